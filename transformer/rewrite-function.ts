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
   * `((__aiV = X, __aiV = await (__aiH.o ? __aiH.s(__aiF, site, __aiV) : __aiV), __aiH)?.r(__aiF, __aiV, __aiV = void 0))`
   * for an original `await X`; the frame needs `let __aiV;` (`declareValue`). The
   * suspension hook runs only when the hooks record (`o`, see `wrapBody`); X goes through
   * `__aiV` so that the guard does not write it twice. The resume is an optional call
   * (its check of a hooks object that is always there costs nothing once V8 folds the
   * constant) for error messages: where V8 quotes the failing expression, it quotes an
   * optional chain as `(intermediate value)`, as it does an `await`, so
   * `(await getFn())()` on a non-function still says `(intermediate value) is not a
   * function` (likewise `new`, spread, a method call, object destructuring), where a
   * comma or conditional expression would be quoted as written, injected code and all.
   * That is also why the resume is not guarded: its no-op returns the value. Targets
   * below ES2020, where TypeScript would rewrite `?.`, end in a plain
   * `…, __aiH.r(__aiF, __aiV, __aiV = void 0))`. Not the shorter
   * `__aiH.r(__aiF, await …)`: there the callee, `__aiH` and `__aiF` are evaluated before
   * the await and stay live across it, and V8 saves every live register into the
   * generator object at each suspension and allocates room for them in every call (about
   * 2% of the run time on the bench). `__aiV` is emptied as it is read, so a frame does
   * not keep an awaited value alive that the program itself let go.
   */
  wrapAwait(original: TS.AwaitExpression, operand: TS.Expression, site: number): TS.Expression;
  /**
   * The same around `yield`; `yield*` passes X through `__aiH.l` instead of `s`, and a bare
   * `yield` passes `void 0` without the temporary.
   */
  wrapYield(original: TS.YieldExpression, operand: TS.Expression | undefined, site: number): TS.Expression;
  /** `let __aiV;` for a frame whose code uses `wrapAwait`, `wrapYield` or `exitWith(X)`. */
  declareValue(): TS.Statement;
  /**
   * The operand of a `return` in a frame that ends at its returns (frame-shape.ts):
   * `(__aiV = X, __aiH.o && __aiH.x(__aiF), __aiV)` — the value first, then the exit — or
   * `void (__aiH.o && __aiH.x(__aiF))` for a bare `return;`.
   */
  exitWith(value: TS.Expression | undefined): TS.Expression;
  /**
   * `try { L: for await (const v of __aiH.l(__aiF, site, X)) { __aiH.o && __aiH.r(__aiF); BODY } } finally { __aiH.o && __aiH.r(__aiF); }`;
   * with `for (await using v of X)` the body is `try { BODY } finally { __aiH.o && __aiH.s(__aiF, usingSite); }`.
   * `l` is not guarded (X would be written twice); its no-op returns X.
   */
  wrapForOf(loop: TS.ForOfStatement, labels: TS.LabeledStatement[], forAwaitSite: number | undefined, usingSite: number | undefined): TS.Statement;
  /** After each `await using` statement: `using __aiFU<site> = __aiH.u(__aiF, site);` (undefined when there is none). */
  wrapAfterAwaitUsing(statements: readonly TS.Statement[], siteOf: (s: TS.Statement) => number | undefined): TS.Statement[] | undefined;
  /** `{ try { STATEMENTS } finally { __aiH.o && __aiH.r(__aiF); } }` — a block that contains `await using`. */
  resumeAfterBlock(original: TS.Block, statements: TS.Statement[]): TS.Block;
  /** The block with `__aiH.o && __aiH.r(__aiF);` as its first statement (catch and finally blocks). */
  prependResume(block: TS.Block): TS.Block;
  /**
   * `[...prologue, const __aiF = __aiH.o ? __aiH.e(i[, args]) : -1; try { BODY } catch (__aiE) { __aiH.o && __aiH.t(__aiF, __aiE); throw __aiE; } finally { __aiH.o && __aiH.x(__aiF); }]`.
   * `o` is `true` on hooks that record, `false` on the no-op ones (ABI 3): V8 folds it,
   * so with recording off the guarded calls are gone from the optimized code, including
   * no-op calls it would otherwise leave out of line in a callee it inlined
   * (docs/internals.md, section 1). Every hook call is guarded but the resume after an
   * `await`/`yield` and `l`/`u`.
   * With `exitAtReturns` (frame-shape.ts; the returns of BODY are already `exitWith`s)
   * there is no `finally`: `try { BODY; X } catch (__aiE) { T; X; throw __aiE; }` with the
   * guarded exit X and throw T, the trailing exit left out when BODY ends with a `return`
   * or `throw`.
   * Only the entry checks that the binding exists: a function may run before the file's
   * preamble (a hoisted declaration called through a circular ES module import); once
   * entered, `__aiH` exists. CommonJS output and scripts need no check (`__aiH.o ? …`, see
   * `createPreamble`); ES module, AMD, UMD and System output enter through
   * `(typeof __aiH !== "undefined" ? __aiH : __aiI()).o ? __aiH.e(i) : -1` and call every
   * later hook of the frame on `__aiH` as CommonJS output does.
   * An async generator enters through `g` with a keep-alive token instead:
   * `const __aiK = {}; const __aiF = __aiH.o ? __aiH.g(i, __aiK[, args]) : -1; … finally { __aiH.o && __aiH.x(__aiF, __aiK); }`
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
  /** `const __aiF = __aiH.o ? __aiH.e(0) : -1;` for the module frame (it starts after the preamble, so no `typeof` guard). */
  enterModuleFrame(): TS.Statement;
  /** `__aiH.o && __aiH.x(__aiF);` */
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
  const frame = () => id(names.frame);
  const stmt = (e: TS.Expression) => f.createExpressionStatement(e);
  /** `HOOKS.o ? __aiH.method(args) : otherwise`: the hook call only when the hooks record (see `wrapBody`). */
  const whenRecording = (hooks: TS.Expression, method: string, args: TS.Expression[], otherwise: TS.Expression) =>
    f.createConditionalExpression(f.createPropertyAccessExpression(hooks, HOOK.recording), undefined, hook(method, args), undefined, otherwise);
  /** `__aiH.o && __aiH.method(args)`, where no value is wanted. */
  const ifRecording = (method: string, args: TS.Expression[]) =>
    f.createLogicalAnd(f.createPropertyAccessExpression(id(names.hooks), HOOK.recording), hook(method, args));
  /** `const __aiF = <hooks>.o ? __aiH.method(args) : -1;` */
  const enterStatement = (hooks: TS.Expression, method: string, args: TS.Expression[]) =>
    constant(names.frame, whenRecording(hooks, method, args, f.createPrefixMinus(num(1))));
  const resume = () => stmt(ifRecording(HOOK.resume, [frame()]));
  const block = (statements: readonly TS.Statement[]) => f.createBlock(statements, true);
  const tryFinally = (body: readonly TS.Statement[], fin: TS.Statement) => f.createTryStatement(block(body), undefined, block([fin]));
  const mapTo = <T extends TS.Node>(node: T, original: TS.Node): T => ts.setSourceMapRange(node, original);
  const assignValue = (value: TS.Expression) => f.createAssignment(id(names.value), value);
  /**
   * `((__aiV = X, __aiV = SUSPEND(__aiH.o ? __aiH.<method>(__aiF, site, __aiV) : __aiV), __aiH)?.r(__aiF, __aiV, __aiV = void 0))`
   * (see `wrapAwait`); `suspend` rebuilds the original `await`/`yield` around its new operand.
   */
  const suspendAndResume = (method: string, operand: TS.Expression | undefined, site: number, suspend: (operand: TS.Expression) => TS.Expression) => {
    // A bare `yield` passes `void 0`, which needs no temporary.
    const passed = () => (operand === undefined ? f.createVoidZero() : id(names.value));
    const guarded = f.createParenthesizedExpression(whenRecording(id(names.hooks), method, [frame(), num(site), passed()], passed()));
    const steps = operand === undefined ? [] : [assignValue(operand)];
    steps.push(assignValue(suspend(guarded)));
    const args = [frame(), id(names.value), assignValue(f.createVoidZero())];
    if (!optionalChains) return f.createParenthesizedExpression(f.createCommaListExpression([...steps, hook(HOOK.resume, args)]));
    const hooksAfterSuspension = f.createParenthesizedExpression(f.createCommaListExpression([...steps, id(names.hooks)]));
    const resume = f.createPropertyAccessChain(hooksAfterSuspension, f.createToken(ts.SyntaxKind.QuestionDotToken), HOOK.resume);
    return f.createParenthesizedExpression(f.createCallChain(resume, undefined, undefined, args));
  };

  return {
    wrapAwait(original, operand, site) {
      const rewritten = suspendAndResume(HOOK.suspend, operand, site, (guarded) => f.updateAwaitExpression(original, guarded));
      return mapTo(rewritten, original);
    },
    wrapYield(original, operand, site) {
      // yield* runs the delegate's body inside its next() calls: the same forwarding wrapper
      // as for-await keeps those frames children of this one.
      const method = original.asteriskToken ? HOOK.forAwait : HOOK.suspend;
      const rewritten = suspendAndResume(method, operand, site, (guarded) => f.updateYieldExpression(original, original.asteriskToken, guarded));
      return mapTo(rewritten, original);
    },
    exitWith(value) {
      const exit = ifRecording(HOOK.exit, [frame()]);
      if (!value) return f.createVoidExpression(exit);
      return f.createParenthesizedExpression(f.createCommaListExpression([assignValue(value), exit, id(names.value)]));
    },
    declareValue() {
      return f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(names.value)], ts.NodeFlags.Let));
    },
    wrapForOf(loop, labels, forAwaitSite, usingSite) {
      const iterable = forAwaitSite === undefined ? loop.expression : hook(HOOK.forAwait, [frame(), num(forAwaitSite), loop.expression]);
      const body = ts.isBlock(loop.statement) ? [...loop.statement.statements] : [loop.statement];
      const inner = usingSite === undefined ? body : [tryFinally(body, stmt(ifRecording(HOOK.suspend, [frame(), num(usingSite)])))];
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
      const exit = () => stmt(ifRecording(HOOK.exit, exitArgs));
      const onThrow = f.createCatchClause(
        f.createVariableDeclaration(errorRef()),
        block([stmt(ifRecording(HOOK.throw, [frame(), errorRef()])), ...(exitAtReturns ? [exit()] : []), f.createThrowStatement(errorRef())]),
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
      return stmt(ifRecording(HOOK.exit, [frame()]));
    },
  };
}
