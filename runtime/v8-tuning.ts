/**
 * Gives V8's optimizing compiler room for the hooks.
 *
 * TurboFan inlines callees into a function it optimizes only up to a cumulative bytecode
 * size (V8's `--max-inlined-bytecode-size-cumulative`, 920 bytes). Instrumentation makes
 * every async function about 2.5 times its plain size, and the hooks it calls are
 * themselves candidates for inlining: an instrumented call chain runs out of budget where
 * the plain one did not, and the hooks that are left out cost a real call each, several
 * per frame. On the await-heavy benchmark that is the difference between ~1.55x and
 * ~1.4x of the plain program's time; the plain program itself does not get faster with
 * the larger budget (docs/internals.md, "Inlining budget").
 *
 * So a recording run raises the budget when the runtime starts, before most code is hot.
 * A budget the user set on node's command line is left as it is; `inliningBudget: 0`
 * (ASYNC_INSPECT_INLINING_BUDGET=0) keeps V8's default. Off (ASYNC_INSPECT=0), the
 * runtime changes nothing.
 */

import { setFlagsFromString } from 'node:v8';

const FLAG = 'max-inlined-bytecode-size-cumulative';

/** Whether the process was started with its own value for the flag (node does not take it from NODE_OPTIONS). */
export function userSetsInliningBudget(execArgv: readonly string[]): boolean {
  return execArgv.some((arg) => arg.replace(/_/g, '-').startsWith(`--${FLAG}`));
}

/**
 * Sets the cumulative inlining budget to `bytes` unless `bytes` is 0 or the user set it.
 * Returns the flag it set, for the trace header, or undefined. A V8 that refuses to change
 * flags at run time (`setFlagsFromString` throws) is left alone: this is a speed-up, not
 * something a trace depends on.
 */
export function raiseInliningBudget(
  bytes: number,
  execArgv: readonly string[] = process.execArgv,
  setFlags: (flags: string) => void = setFlagsFromString,
): string | undefined {
  if (bytes <= 0 || userSetsInliningBudget(execArgv)) return undefined;
  const flag = `--${FLAG}=${Math.floor(bytes)}`;
  try {
    setFlags(flag);
    return flag;
  } catch {
    return undefined;
  }
}
