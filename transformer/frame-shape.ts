import type * as TS from 'typescript';
import type { AsyncFunctionNode } from './display-names';

/**
 * Whether a frame can end through exit calls placed at its `return`s (and at the end of
 * its body) instead of a `finally` around the body. A `finally` costs on every call: one
 * more `try` level, whose saved context V8 keeps in the generator object across every
 * suspension, and the finally's dispatch (bench: off 1.09x → 1.065x, recording 1.43x →
 * 1.385x, docs/internals.md section 1).
 *
 * The two shapes differ in what runs after the returned value is computed. With the
 * `finally`, the exit comes last; with an exit call at the `return`, anything that still
 * runs on the way out would run after the frame ended: a user `finally` (which may await
 * or throw), the closing of a `for…of` / `for await` iterator (its `return()` may run code
 * and is awaited), the disposal of `using` / `await using` declarations. So a frame keeps
 * the `finally` when one of its returns sits inside such a construct, when it declares
 * anything with `using`, and always for an async generator (its consumer's `return()` ends
 * it at a `yield` with a return that no code of ours sees).
 */
export function canExitAtReturns(ts: typeof TS, fn: AsyncFunctionNode): boolean {
  if (fn.asteriskToken !== undefined || fn.body === undefined) return false;
  let safe = true;
  const visit = (node: TS.Node, guarded: boolean): void => {
    if (!safe || ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node) || ts.isPropertyDeclaration(node)) return;
    if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.Using) !== 0) safe = false;
    else if (ts.isReturnStatement(node) && guarded) safe = false;
    else {
      const guards = guarded || (ts.isTryStatement(node) && node.finallyBlock !== undefined) || ts.isForOfStatement(node);
      ts.forEachChild(node, (child) => visit(child, guards));
    }
  };
  visit(fn.body, false);
  return safe;
}
