import type * as TS from 'typescript';
import type { FileSiteTable } from '../format/sites';
import { HOOK, HOOKS_ABI, HOOKS_GLOBAL_KEY, HOOKS_MODULE, MISSING_WARNED_KEY } from '../runtime/injected-names';
import type { LocalNames } from './local-names';
import type { HooksAccess } from './module-format';

/**
 * The per-file preamble (docs/internals.md, section 1): two statements,
 *
 *   var __aiH = __aiI();
 *   function __aiI() {
 *     try { return __aiH || (__aiH = __aiReq(import.meta.url)("async-inspect/hooks").attach(2, TABLE)); }
 *     catch (e) { return __aiH = (function (e) { …warn once…; return NO_OP_HOOKS; })(e); }
 *   }
 *
 * `__aiI` is a function declaration, so it exists (hoisted) before the file's body runs,
 * like `var __aiH` (undefined until then). A frame enters through
 * `(__aiH !== void 0 ? __aiH : __aiI()).e(…)`:
 * an ES module's hoisted async function called through a circular import before this
 * module's body ran loads the hooks itself. The hooks are loaded once; the preamble's
 * assignment stores what is already there when that happened. `esm` loads through
 * `__aiReq(import.meta.url)` (plus the `createRequire` import, see `createRequireImport`),
 * `global` through `globalThis[Symbol.for("async-inspect.hooks")]`.
 *
 * CommonJS (`cjs`) needs no guard: its preamble is the first code of the module to run
 * (before even the `require`s of its imports), so no function of the file can run before
 * the hooks are there. There the hooks are a constant, which V8 folds into the optimized
 * functions (each hook call is then a direct, inlinable call, with no load or check of
 * `__aiH`), and frames enter through `__aiH.e(…)`:
 *
 *   const __aiH = __aiI();
 *   function __aiI() {
 *     try { return require("async-inspect/hooks").attach(2, TABLE); }
 *     catch (e) { return (function (e) { …warn once…; return NO_OP_HOOKS; })(e); }
 *   }
 */
export function createPreamble(f: TS.NodeFactory, ts: typeof TS, access: HooksAccess, names: LocalNames, table: FileSiteTable): TS.Statement[] {
  const id = (n: string) => f.createIdentifier(n);
  const str = (s: string) => f.createStringLiteral(s);
  const call = (fn: TS.Expression, args: TS.Expression[]) => f.createCallExpression(fn, undefined, args);
  const symbolFor = (key: string) => call(f.createPropertyAccessExpression(id('Symbol'), 'for'), [str(key)]);

  let hooksModule: TS.Expression;
  if (access === 'cjs') hooksModule = call(id('require'), [str(HOOKS_MODULE)]);
  else if (access === 'esm') {
    const importMetaUrl = f.createPropertyAccessExpression(f.createMetaProperty(ts.SyntaxKind.ImportKeyword, id('meta')), 'url');
    hooksModule = call(call(id(names.createRequire), [importMetaUrl]), [str(HOOKS_MODULE)]);
  } else hooksModule = f.createElementAccessExpression(id('globalThis'), symbolFor(HOOKS_GLOBAL_KEY));

  const attach = call(f.createPropertyAccessExpression(hooksModule, HOOK.attach), [f.createNumericLiteral(HOOKS_ABI), toLiteral(f, table, 0)]);
  const eager = access === 'cjs';
  const fallbackHooks = call(f.createParenthesizedExpression(createFallback(f)), [id('e')]);
  const loaded = eager ? attach : f.createLogicalOr(id(names.hooks), f.createParenthesizedExpression(f.createAssignment(id(names.hooks), attach)));
  const fallback = eager ? fallbackHooks : f.createAssignment(id(names.hooks), fallbackHooks);
  const loader = f.createFunctionDeclaration(undefined, undefined, names.init, undefined, [], undefined,
    f.createBlock([
      f.createTryStatement(
        f.createBlock([f.createReturnStatement(loaded)], true),
        f.createCatchClause('e', f.createBlock([f.createReturnStatement(fallback)], true)),
        undefined,
      ),
    ], true));
  const init = call(id(names.init), []);
  const declarations = f.createVariableDeclarationList([f.createVariableDeclaration(names.hooks, undefined, undefined, init)], eager ? ts.NodeFlags.Const : ts.NodeFlags.None);
  return [f.createVariableStatement(undefined, declarations), loader];
}

/**
 * How a frame's entry reaches the hooks: `(__aiH !== void 0 ? __aiH : __aiI())`, loading
 * them now if this file's body has not run yet; in CommonJS, where the preamble always ran
 * first, `__aiH`. A comparison with `undefined` rather than `__aiH || …`: V8 compiles the
 * truthiness test of a value it knows nothing about into a chain of about twenty
 * instructions (false, "", null, undefined, numbers, BigInts…), a comparison into one.
 */
export function createHooksGuard(f: TS.NodeFactory, names: LocalNames, access: HooksAccess): TS.Expression {
  const hooks = () => f.createIdentifier(names.hooks);
  if (access === 'cjs') return hooks();
  const loadNow = f.createCallExpression(f.createIdentifier(names.init), undefined, []);
  return f.createParenthesizedExpression(f.createConditionalExpression(f.createStrictInequality(hooks(), f.createVoidZero()), undefined, hooks(), undefined, loadNow));
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
 *   return { e: function () { return 0; }, s: function (f, i, v) { return v; }, … }; }`
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
    f.createPropertyAssignment(HOOK.enter, noop([], f.createNumericLiteral(0))),
    f.createPropertyAssignment(HOOK.enterGenerator, noop([], f.createNumericLiteral(0))),
    f.createPropertyAssignment(HOOK.suspend, noop(['f', 'i', 'v'], id('v'))),
    f.createPropertyAssignment(HOOK.resume, noop(['f', 'v'], id('v'))),
    f.createPropertyAssignment(HOOK.throw, noop([], undefined)),
    f.createPropertyAssignment(HOOK.exit, noop([], undefined)),
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
