/**
 * Gives V8's optimizing compiler room for the hooks.
 *
 * TurboFan inlines callees into a function it optimizes only up to a cumulative bytecode
 * size (V8's `--max-inlined-bytecode-size-cumulative`, 920 bytes). Instrumentation makes
 * every async function about 2.5 times its plain size, and the hooks it calls are
 * themselves candidates for inlining: an instrumented call chain runs out of budget where
 * the plain one did not, and the hooks that are left out cost a real call each, several
 * per frame. On the await-heavy benchmark that is the difference between ~1.5x and
 * ~1.4x of the plain program's time; the plain program itself does not get faster with
 * the larger budget (docs/internals.md, "Inlining budget").
 *
 * So a recording run raises the budget when the runtime starts, before most code is hot.
 * A budget the user set on node's command line is left as it is; `inliningBudget: 0`
 * (ASYNC_INSPECT_INLINING_BUDGET=0) keeps V8's default. Off (ASYNC_INSPECT=0), the
 * runtime changes nothing.
 *
 * Only in Node itself: Node keeps V8's flags writable after start-up for
 * `v8.setFlagsFromString`, but embedders that let V8 freeze them abort the whole process
 * on a write (NW.js: "Check failed: !IsFrozen()"), and other runtimes implement `node:v8`
 * their own way.
 */

const FLAG = 'max-inlined-bytecode-size-cumulative';

/** What the decision depends on; the defaults describe this process. */
export interface TuningContext {
  execArgv: readonly string[];
  releaseName: string | undefined;
  versions: Readonly<Record<string, string | undefined>>;
  setFlags: (flags: string) => void;
}

const thisProcess = (): TuningContext => ({
  execArgv: process.execArgv,
  releaseName: process.release?.name,
  versions: process.versions,
  // Loaded when used, not at the top: a program with recording off never pays for it.
  setFlags: (flags) => (require('node:v8') as typeof import('node:v8')).setFlagsFromString(flags),
});

/** Whether the process was started with its own value for the flag (node does not take it from NODE_OPTIONS). */
export function userSetsInliningBudget(execArgv: readonly string[]): boolean {
  return execArgv.some((arg) => arg.replace(/_/g, '-').startsWith(`--${FLAG}`));
}

/** Node itself, not an embedder or another runtime that also answers to `process`. */
function isPlainNode(context: Pick<TuningContext, 'releaseName' | 'versions'>): boolean {
  const { versions } = context;
  return context.releaseName === 'node' && !versions.electron && !versions.nw && !versions.bun && !versions.deno;
}

/**
 * Sets the cumulative inlining budget to `bytes` (a whole number, checked by config.ts)
 * unless `bytes` is 0, the user set it, or this is not Node itself. Returns the flag it
 * set, for the trace header, or undefined. A V8 that refuses the change with an exception
 * is left alone: this is a speed-up, not something a trace depends on.
 */
export function raiseInliningBudget(bytes: number, context: TuningContext = thisProcess()): string | undefined {
  if (bytes <= 0 || !isPlainNode(context) || userSetsInliningBudget(context.execArgv)) return undefined;
  const flag = `--${FLAG}=${bytes}`;
  try {
    context.setFlags(flag);
    return flag;
  } catch {
    return undefined;
  }
}
