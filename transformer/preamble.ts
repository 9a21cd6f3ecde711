import type * as TS from 'typescript';
import type { FileSiteTable } from '../format/sites';
import { HOOK, HOOKS_ABI, HOOKS_GLOBAL_KEY, HOOKS_MODULE, MISSING_WARNED_KEY } from '../runtime/injected-names';
import type { LocalNames } from './local-names';
import type { HooksAccess } from './module-format';

/**
 * The per-file preamble (docs/internals.md, section 1): two statements (one in a script,
 * see below),
 *
 *   __aiI();
 *   function __aiI() {
 *     if (typeof __aiH_<key> !== "undefined") return __aiH_<key>;
 *     var h;
 *     try { h = require("async-inspect/hooks").attach(3, TABLE); }
 *     catch (e) { h = (function (e) { …warn once…; return NO_OP_HOOKS; })(e); }
 *     try { Object.defineProperty(globalThis, "__aiH_<key>", { value: h }); }
 *     catch (e) { try { require("async-inspect/hooks").publish("__aiH_<key>", h, globalThis); } catch (_) {} }
 *     return h;
 *   }
 *
 * The hooks live in a global binding, not in a variable of the file: V8 folds a global
 * that never changes into the optimized code, so a hook call there is a direct, inlinable
 * call with no load or check of the hooks object (bench, recording off: 2.5–3%
 * fewer instructions). `Object.defineProperty` with only a value makes it non-writable,
 * non-enumerable and non-configurable: invisible to `Object.keys(globalThis)` and
 * `for…in`, and it never changes, so V8 never has to drop that code. The key is unique
 * per build of a file (`hooksBindingKey`); a second evaluation of the same file reuses
 * the binding. Where the global object takes no new property (frozen), the runtime's
 * `publish` declares a global `let` instead.
 *
 * `__aiI` is a function declaration, so it exists (hoisted) before the file's body runs.
 * In ES module, AMD/UMD and System output a frame enters through
 * `(typeof __aiH_<key> !== "undefined" ? __aiH_<key> : __aiI()).e(…)`: an ES module's
 * hoisted async function called through a circular import before this module's body ran
 * loads the hooks itself (`createHooksGuard`). CommonJS output needs no guard: its
 * preamble is the first code of the module to run (before even the `require`s of its
 * imports), nor does a script, which runs the loader in place as a function expression
 * instead of declaring one more global function. `esm` loads through
 * `__aiReq(import.meta.url)` (plus the `createRequire` import, see `createRequireImport`),
 * `global` and `script` through `globalThis[Symbol.for("async-inspect.hooks")]`.
 */
export function createPreamble(f: TS.NodeFactory, ts: typeof TS, access: HooksAccess, names: LocalNames, table: FileSiteTable): TS.Statement[] {
  const id = (n: string) => f.createIdentifier(n);
  const str = (s: string) => f.createStringLiteral(s);
  const call = (fn: TS.Expression, args: TS.Expression[]) => f.createCallExpression(fn, undefined, args);
  const prop = (o: TS.Expression, n: string) => f.createPropertyAccessExpression(o, n);
  const stmt = (e: TS.Expression) => f.createExpressionStatement(e);
  const block = (statements: TS.Statement[]) => f.createBlock(statements, true);
  const symbolFor = (key: string) => call(prop(id('Symbol'), 'for'), [str(key)]);

  const hooksModule = (): TS.Expression => {
    if (access === 'cjs') return call(id('require'), [str(HOOKS_MODULE)]);
    if (access === 'esm') {
      const importMetaUrl = prop(f.createMetaProperty(ts.SyntaxKind.ImportKeyword, id('meta')), 'url');
      return call(call(id(names.createRequire), [importMetaUrl]), [str(HOOKS_MODULE)]);
    }
    return f.createElementAccessExpression(id('globalThis'), symbolFor(HOOKS_GLOBAL_KEY));
  };

  const attach = call(prop(hooksModule(), HOOK.attach), [f.createNumericLiteral(HOOKS_ABI), toLiteral(f, table, 0)]);
  const define = call(prop(id('Object'), 'defineProperty'), [
    id('globalThis'),
    str(names.hooks),
    f.createObjectLiteralExpression([f.createPropertyAssignment('value', id('h'))], false),
  ]);
  const publish = call(prop(hooksModule(), HOOK.publish), [str(names.hooks), id('h'), id('globalThis')]);
  const body = block([
    f.createIfStatement(
      f.createStrictInequality(f.createTypeOfExpression(id(names.hooks)), str('undefined')),
      f.createReturnStatement(id(names.hooks)),
    ),
    f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration('h')])),
    f.createTryStatement(
      block([stmt(f.createAssignment(id('h'), attach))]),
      f.createCatchClause('e', block([stmt(f.createAssignment(id('h'), call(f.createParenthesizedExpression(createFallback(f)), [id('e')])))])),
      undefined,
    ),
    f.createTryStatement(
      block([stmt(define)]),
      f.createCatchClause('e', block([f.createTryStatement(block([stmt(publish)]), f.createCatchClause('_', f.createBlock([], false)), undefined)])),
      undefined,
    ),
    f.createReturnStatement(id('h')),
  ]);
  if (access === 'script') {
    // Nothing of a script runs before its first statement, and a function declaration
    // would be one more global: the loader runs in place.
    const loadInPlace = f.createFunctionExpression(undefined, undefined, undefined, undefined, [], undefined, body);
    return [stmt(call(f.createParenthesizedExpression(loadInPlace), []))];
  }
  return [stmt(call(id(names.init), [])), f.createFunctionDeclaration(undefined, undefined, names.init, undefined, [], undefined, body)];
}

/**
 * How a frame's entry reaches the hooks:
 * `(typeof __aiH_<key> !== "undefined" ? __aiH_<key> : __aiI())`, loading them now if this
 * file's body has not run yet; in CommonJS output and scripts, where the preamble always
 * ran first, `__aiH_<key>`. Once V8 has folded the binding, the test folds too.
 */
export function createHooksGuard(f: TS.NodeFactory, names: LocalNames, access: HooksAccess): TS.Expression {
  const hooks = () => f.createIdentifier(names.hooks);
  if (access === 'cjs' || access === 'script') return hooks();
  const loadNow = f.createCallExpression(f.createIdentifier(names.init), undefined, []);
  const defined = f.createStrictInequality(f.createTypeOfExpression(hooks()), f.createStringLiteral('undefined'));
  return f.createParenthesizedExpression(f.createConditionalExpression(defined, undefined, hooks(), undefined, loadNow));
}

/** `import { createRequire as __aiReq } from "node:module";` */
export function createRequireImport(f: TS.NodeFactory, names: LocalNames): TS.Statement {
  const specifier = f.createImportSpecifier(false, f.createIdentifier('createRequire'), f.createIdentifier(names.createRequire));
  const clause = f.createImportClause(false, undefined, f.createNamedImports([specifier]));
  return f.createImportDeclaration(undefined, clause, f.createStringLiteral('node:module'), undefined);
}

/**
 * `function (e) { var k = Symbol.for("async-inspect.missing"); try { if (!globalThis[k]) {
 *   globalThis[k] = true; process.stderr.write("async-inspect: …" + reason + "\n"); } } catch (_) {}
 *   return { o: false, r: function (f, v) { return v; }, l: function (f, i, v) { return v; }, u: … }; }`
 */
function createFallback(f: TS.NodeFactory): TS.Expression {
  const id = (n: string) => f.createIdentifier(n);
  const str = (s: string) => f.createStringLiteral(s);
  const call = (fn: TS.Expression, args: TS.Expression[]) => f.createCallExpression(fn, undefined, args);
  const prop = (o: TS.Expression, n: string) => f.createPropertyAccessExpression(o, n);
  const flag = () => f.createElementAccessExpression(id('globalThis'), id('k'));
  // String(e && e.message || e).split("\n")[0]
  const reason = f.createElementAccessExpression(
    call(prop(call(id('String'), [f.createLogicalOr(f.createLogicalAnd(id('e'), prop(id('e'), 'message')), id('e'))]), 'split'), [str('\n')]),
    0,
  );
  const message = f.createAdd(f.createAdd(str(`${'async-inspect:'} runtime not available, running uninstrumented (`), reason), str(')\n'));
  const warnOnce = f.createIfStatement(
    f.createLogicalNot(flag()),
    f.createBlock([
      f.createExpressionStatement(f.createAssignment(flag(), f.createTrue())),
      f.createExpressionStatement(call(prop(prop(id('process'), 'stderr'), 'write'), [message])),
    ], true),
  );
  const noop = (params: string[], result: TS.Expression | undefined) =>
    f.createFunctionExpression(undefined, undefined, undefined, undefined,
      params.map((p) => f.createParameterDeclaration(undefined, undefined, p)), undefined,
      f.createBlock(result ? [f.createReturnStatement(result)] : [], false));
  const hooks = f.createObjectLiteralExpression([
    // With `o` false the emitted code calls only the hooks it does not guard (rewrite-function.ts).
    f.createPropertyAssignment(HOOK.recording, f.createFalse()),
    f.createPropertyAssignment(HOOK.resume, noop(['f', 'v'], id('v'))),
    f.createPropertyAssignment(HOOK.forAwait, noop(['f', 'i', 'v'], id('v'))),
    f.createPropertyAssignment(
      HOOK.awaitUsing,
      noop([], f.createObjectLiteralExpression([f.createPropertyAssignment(f.createComputedPropertyName(prop(id('Symbol'), 'dispose')), noop([], undefined))], false)),
    ),
  ], false);
  return f.createFunctionExpression(undefined, undefined, undefined, undefined, [f.createParameterDeclaration(undefined, undefined, 'e')], undefined,
    f.createBlock([
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration('k', undefined, undefined, call(prop(id('Symbol'), 'for'), [str(MISSING_WARNED_KEY)]))])),
      f.createTryStatement(f.createBlock([warnOnce], true), f.createCatchClause('_', f.createBlock([], false)), undefined),
      f.createReturnStatement(hooks),
    ], true));
}

/** A JSON-like value as an object/array literal; the `functions` and `awaits` lists get one tuple per line. */
function toLiteral(f: TS.NodeFactory, value: unknown, depth: number): TS.Expression {
  if (typeof value === 'string') return f.createStringLiteral(value);
  if (typeof value === 'number') return value < 0 ? f.createPrefixMinus(f.createNumericLiteral(-value)) : f.createNumericLiteral(value);
  if (Array.isArray(value)) return f.createArrayLiteralExpression(value.map((v) => toLiteral(f, v, depth + 1)), depth === 1 && value.length > 0);
  const entries = Object.entries(value as Record<string, unknown>);
  return f.createObjectLiteralExpression(entries.map(([k, v]) => f.createPropertyAssignment(k, toLiteral(f, v, depth + 1))), depth === 0);
}
