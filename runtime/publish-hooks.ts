/**
 * The fallback for a file's global hooks binding (docs/internals.md, section 1). Emitted
 * code defines `__aiH_<key>` as a property of `globalThis`; when the global object takes
 * no new property (someone froze it), it calls `publish` instead, which declares the
 * binding as a global `let` — global lexical bindings live outside the global object.
 * That is only possible from this realm: `vm.runInThisContext` declares into the main
 * context, so code running in another one (a `vm` context) gets a warning: its instrumented
 * functions cannot reach their hooks.
 */

import * as vm from 'node:vm';
import { HOOKS_KEY_DIGITS, LOCAL } from './injected-names';
import { warnOnce } from './warn';

/** The names the transformer gives the binding (`__aiH_` + the key's hex digits, maybe a numeric suffix). */
const BINDING_NAME = new RegExp(`^${LOCAL.hooks}_[0-9a-f]{${HOOKS_KEY_DIGITS}}\\d*$`);

export function publish(name: string, hooks: unknown, global: unknown): void {
  try {
    // The name goes into compiled source text: only ever the transformer's own names.
    if (typeof name !== 'string' || !BINDING_NAME.test(name)) throw new Error(`not a hooks binding name: ${String(name)}`);
    if (vm.runInThisContext('globalThis') !== global) throw new Error('the code runs in another realm (a vm context)');
    const assign = vm.runInThisContext(`let ${name}; (function (value) { ${name} = value; })`) as (value: unknown) => void;
    assign(hooks);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    warnOnce(`publish:${name}`, `the global object is frozen and the hooks could not be declared otherwise (${reason}); instrumented async functions that load them will throw a ReferenceError`);
  }
}
