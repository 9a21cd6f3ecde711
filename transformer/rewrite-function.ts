import type * as TS from 'typescript';
import { HOOK } from '../runtime/injected-names';
import type { LocalNames } from './local-names';
import type { HooksAccess } from './module-format';
import { createHooksGuard } from './preamble';

/**
 * Builders for the code docs/internals.md prescribes around frames and suspension points.
 * They only build nodes; `rewrite-file.ts` decides where they go. Every identifier is a
 * fresh node (a node must not appear twice in a tree). `__aiH` below stands for the
 * file's global hooks binding `__aiH_<key>` (preamble.ts). The shapes are those of
 * CommonJS output and scripts; in ES module, AMD, UMD and System output only a frame's
 * entry differs (see `wrapBody`).
 */
export interface EmitHelpers {
  /**
   * `((__aiV = await __aiH.s(__aiF, site, X), __aiH)?.r(__aiF, __aiV, __aiV = void 0))` for
   * an original `await X`; the frame needs `let __aiV;` (`declareValue`). The optional
   * call (its check of a hooks object that is always there costs nothing once V8 folds the
   * constant) is for error messages: where V8 quotes the failing expression, it quotes an
   * optional chain as `(intermediate value)`, as it does an `await`, so
   * `(await getFn())()` on a non-function still says `(intermediate value) is not a
   * function` (likewise `new`, spread, a method call, object destructuring), where the
   * plain comma shape made it quote the injected code. Targets below ES2020, where
   * TypeScript would rewrite `?.`, get `(__aiV = await …, __aiH.r(__aiF, __aiV, __aiV = void 0))`.
   * Not the shorter
   * `__aiH.r(__aiF, await …)`: there the callee, `__aiH` and `__aiF` are evaluated before
   * the await and stay live across it, and V8 saves every live register into the
   * generator object at each suspension and allocates room for them in every call (about
   * 2% of the run time on the bench). `__aiV` is emptied as it is read, so a frame does
   * not keep an awaited value alive that the program itself let go.
   */
  wrapAwait(original: TS.AwaitExpression, operand: TS.Expression, site: number): TS.Expression;
  /** The same around `yield __aiH.s(__aiF, site, X)`; `yield*` passes X through `__aiH.l` instead. */
  wrapYield(original: TS.YieldExpression, operand: TS.Expression | undefined, site: number): TS.Expression;
  /** `let __aiV;` for a frame whose code uses `wrapAwait`, `wrapYield` or `exitWith(X)`. */
  declareValue(): TS.Statement;
  /**
   * The operand of a `return` in a frame that ends at its returns (frame-shape.ts):
   * `(__aiV = X, __aiH.x(__aiF), __aiV)` — the value first, then the exit — or
   * `void __aiH.x(__aiF)` for a bare `return;`.
   */
  exitWith(value: TS.Expression | undefined): TS.Expression;
  /**
   * `try { L: for await (const v of __aiH.l(__aiF, site, X)) { __aiH.r(__aiF); BODY } } finally { __aiH.r(__aiF); }`;
   * with `for (await using v of X)` the body is `try { BODY } finally { __aiH.s(__aiF, usingSite); }`.
   */
  wrapForOf(loop: TS.ForOfStatement, labels: TS.LabeledStatement[], forAwaitSite: number | undefined, usingSite: number | undefined): TS.Statement;
  /** After each `await using` statement: `using __aiFU<site> = __aiH.u(__aiF, site);` (undefined when there is none). */
  wrapAfterAwaitUsing(statements: readonly TS.Statement[], siteOf: (s: TS.Statement) => number | undefined): TS.Statement[] | undefined;
  /** `{ try { STATEMENTS } finally { __aiH.r(__aiF); } }` — a block that contains `await using`. */
  resumeAfterBlock(original: TS.Block, statements: TS.Statement[]): TS.Block;
  /** The block with `__aiH.r(__aiF);` as its first statement (catch and finally blocks). */
  prependResume(block: TS.Block): TS.Block;
  /**
   * `[...prologue, const __aiF = __aiH.e(i[, args]); try { BODY } catch (__aiE) { __aiH.t(__aiF, __aiE); throw __aiE; } finally { __aiH.x(__aiF); }]`.
   * With `exitAtReturns` (frame-shape.ts; the returns of BODY are already `exitWith`s)
   * there is no `finally`: `try { BODY; __aiH.x(__aiF); } catch (__aiE) { __aiH.t(__aiF, __aiE); __aiH.x(__aiF); throw __aiE; }`,
   * the trailing exit left out when BODY ends with a `return` or `throw`.
   * Only the entry guards: a function may run before the file's preamble (a hoisted
   * declaration called through a circular ES module import); once entered, `__aiH` exists.
   * CommonJS output and scripts need no guard (`__aiH.e(i)`, see `createPreamble`); ES
   * module, AMD, UMD and System output enter through `(typeof __aiH !== "undefined" ? __aiH : __aiI()).e(i)`
   * and call every later hook of the frame on `__aiH` as CommonJS output does.
   * An async generator enters through `g` with a keep-alive token instead:
   * `const __aiK = {}; const __aiF = __aiH.g(i, __aiK[, args]); … finally { __aiH.x(__aiF, __aiK); }`
   * — `x` ignores the token; passing it there keeps it alive for as long as the generator
   * can still resume (runtime/generator-watch.ts).
   */
  wrapBody(
    prologue: readonly TS.Statement[],
    body: readonly TS.Statement[],
    fnIndex: number,
    args: TS.Expression[] | undefined,
    generator: boolean,
    exitAtReturns: boolean,
  ): TS.Statement[];
  /** `const __aiF = __aiH.e(0);` for the module frame (it starts after the preamble, so no guard). */
  enterModuleFrame(): TS.Statement;
  /** `__aiH.x(__aiF);` */
  exitModuleFrame(): TS.Statement;
}

/**
 * `target` is the output's. Below ES2015 TypeScript turns async functions into a generator
 * state machine that renames catch variables and only finds references that come from
 * source, so there the catch variable is a generated name (`__aiE`, `__aiE_1`, …) shared
 * by node (`uniqueCatchName`); from ES2020 on `?.` stays as written (`optionalChains`).
 */
export function createEmitHelpers(ts: typeof TS, f: TS.NodeFactory, names: LocalNames, access: HooksAccess, target: TS.ScriptTarget): EmitHelpers {
  const uniqueCatchName = target < ts.ScriptTarget.ES2015;
  const optionalChains = target >= ts.ScriptTarget.ES2020;
  const id = (name: string) => f.createIdentifier(name);
  const num = (n: number) => f.createNumericLiteral(n);
  const hook = (method: string, args: TS.Expression[]) =>
    f.createCallExpression(f.createPropertyAccessExpression(id(names.hooks), method), undefined, args);
  /** `const name = VALUE;` */
  const constant = (name: string, value: TS.Expression) =>
    f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, value)], ts.NodeFlags.Const));
  /** `const __aiF = <hooks>.method(args);` */
  const enterStatement = (hooks: TS.Expression, method: string, args: TS.Expression[]) =>
    constant(names.frame, f.createCallExpression(f.createPropertyAccessExpression(hooks, method), undefined, args));
  const frame = () => id(names.frame);
  const stmt = (e: TS.Expression) => f.createExpressionStatement(e);
  const resume = () => stmt(hook(HOOK.resume, [frame()]));
  const block = (statements: readonly TS.Statement[]) => f.createBlock(statements, true);
  const tryFinally = (body: readonly TS.Statement[], fin: TS.Statement) => f.createTryStatement(block(body), undefined, block([fin]));
  const mapTo = <T extends TS.Node>(node: T, original: TS.Node): T => ts.setSourceMapRange(node, original);
  /** `((__aiV = SUSPENSION, __aiH)?.r(__aiF, __aiV, __aiV = void 0))` (see `wrapAwait`). */
  const resumeWith = (suspension: TS.Expression) => {
    const assign = (value: TS.Expression) => f.createAssignment(id(names.value), value);
    const suspended = assign(suspension);
    const args = [frame(), id(names.value), assign(f.createVoidZero())];
    if (!optionalChains) return f.createParenthesizedExpression(f.createComma(suspended, hook(HOOK.resume, args)));
    const hooksAfterSuspension = f.createParenthesizedExpression(f.createComma(suspended, id(names.hooks)));
    const resume = f.createPropertyAccessChain(hooksAfterSuspension, f.createToken(ts.SyntaxKind.QuestionDotToken), HOOK.resume);
    return f.createParenthesizedExpression(f.createCallChain(resume, undefined, undefined, args));
  };

  return {
    wrapAwait(original, operand, site) {
      const awaited = f.updateAwaitExpression(original, hook(HOOK.suspend, [frame(), num(site), operand]));
      return mapTo(resumeWith(awaited), original);
    },
    wrapYield(original, operand, site) {
      // yield* runs the delegate's body inside its next() calls: the same forwarding wrapper
      // as for-await keeps those frames children of this one.
      const value = original.asteriskToken
        ? hook(HOOK.forAwait, [frame(), num(site), operand ?? f.createVoidZero()])
        : hook(HOOK.suspend, [frame(), num(site), operand ?? f.createVoidZero()]);
      const yielded = f.updateYieldExpression(original, original.asteriskToken, value);
      return mapTo(resumeWith(yielded), original);
    },
    exitWith(value) {
      const exit = hook(HOOK.exit, [frame()]);
      if (!value) return f.createVoidExpression(exit);
      return f.createParenthesizedExpression(f.createCommaListExpression([f.createAssignment(id(names.value), value), exit, id(names.value)]));
    },
    declareValue() {
      return f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(names.value)], ts.NodeFlags.Let));
    },
    wrapForOf(loop, labels, forAwaitSite, usingSite) {
      const iterable = forAwaitSite === undefined ? loop.expression : hook(HOOK.forAwait, [frame(), num(forAwaitSite), loop.expression]);
      const body = ts.isBlock(loop.statement) ? [...loop.statement.statements] : [loop.statement];
      const inner = usingSite === undefined ? body : [tryFinally(body, stmt(hook(HOOK.suspend, [frame(), num(usingSite)])))];
      const newBody = block([resume(), ...inner]);
      if (ts.isBlock(loop.statement)) ts.setTextRange(newBody, loop.statement);
      let result: TS.Statement = f.updateForOfStatement(loop, loop.awaitModifier, loop.initializer, iterable, newBody);
      for (let i = labels.length - 1; i >= 0; i--) result = f.updateLabeledStatement(labels[i], labels[i].label, result);
      return tryFinally([result], resume());
    },
    wrapAfterAwaitUsing(statements, siteOf) {
      // After each `await using` statement, a sync `using` marker in the same scope: being
      // declared later it is disposed first, and marks the frame suspended at the site just
      // before the awaited disposals. No new scope, so no extra disposal await (tick).
      let marked = false;
      const out: TS.Statement[] = [];
      for (const statement of statements) {
        out.push(statement);
        const site = siteOf(statement);
        if (site === undefined) continue;
        marked = true;
        const marker = f.createVariableDeclaration(`${names.frame}U${site}`, undefined, undefined, hook(HOOK.awaitUsing, [frame(), num(site)]));
        out.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([marker], ts.NodeFlags.Using)));
      }
      return marked ? out : undefined;
    },
    resumeAfterBlock(original, statements) {
      return ts.setTextRange(block([tryFinally(statements, resume())]), original);
    },
    prependResume(b) {
      return f.updateBlock(b, [resume(), ...b.statements]);
    },
    wrapBody(prologue, body, fnIndex, args, generator, exitAtReturns) {
      const enterArgs: TS.Expression[] = generator ? [num(fnIndex), id(names.keep)] : [num(fnIndex)];
      if (args) enterArgs.push(f.createArrayLiteralExpression(args, false));
      const enter = enterStatement(createHooksGuard(f, names, access), generator ? HOOK.enterGenerator : HOOK.enter, enterArgs);
      const token = generator ? [constant(names.keep, f.createObjectLiteralExpression([], false))] : [];
      const exitArgs = generator ? [frame(), id(names.keep)] : [frame()];
      const error = uniqueCatchName ? f.createUniqueName(names.error, ts.GeneratedIdentifierFlags.Optimistic) : undefined;
      const errorRef = () => error ?? id(names.error);
      const exit = () => stmt(hook(HOOK.exit, exitArgs));
      const onThrow = f.createCatchClause(
        f.createVariableDeclaration(errorRef()),
        block([stmt(hook(HOOK.throw, [frame(), errorRef()])), ...(exitAtReturns ? [exit()] : []), f.createThrowStatement(errorRef())]),
      );
      if (!exitAtReturns) return [...prologue, ...token, enter, f.createTryStatement(block(body), onThrow, block([exit()]))];
      const last = body[body.length - 1];
      const endsItself = last !== undefined && (ts.isReturnStatement(last) || ts.isThrowStatement(last));
      return [...prologue, ...token, enter, f.createTryStatement(block(endsItself ? body : [...body, exit()]), onThrow, undefined)];
    },
    enterModuleFrame() {
      return enterStatement(id(names.hooks), HOOK.enter, [num(0)]);
    },
    exitModuleFrame() {
      return stmt(hook(HOOK.exit, [frame()]));
    },
  };
}
