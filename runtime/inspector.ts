/**
 * The runtime's one piece of state: its settings, whether it has started, and the error
 * table. `attach` is what emitted code calls when a file loads.
 */

import { HOOKS_ABI, SERVED_HOOKS_ABIS } from './injected-names';
import { startHelperThread } from './helper-thread';
import { checkOptions, defaultOptions, type InspectorOptions } from './config';
import { describeError, previewValue } from './describe-value';
import { connectFrames, createFrameHooks, type Hooks } from './frames';
import { watchGenerator } from './generator-watch';
import { installLifecycle } from './lifecycle';
import { flush, flushOnTimer, queueArgs, queueError, startRecording, tracePath as currentTracePath } from './recorder';
import { checkTable, registerTable } from './site-registry';
import { raiseInliningBudget } from './v8-tuning';
import { warnOnce } from './warn';
import type { FileSiteTable } from '../format';

export type { Hooks };

const noopDisposable: Disposable = { [Symbol.dispose]: () => {} };

/** Hooks that do nothing: recording off, or code this runtime cannot serve. */
function noopHooks(): Hooks {
  return {
    o: false,
    e: () => -1,
    g: () => -1,
    s: (_f, _i, v) => v,
    r: (_f, v) => v,
    l: (_f, _i, v) => v,
    u: () => noopDisposable,
    t: () => {},
    x: () => {},
  };
}

let options: InspectorOptions | undefined;
let started = false;
let filesAttached = 0;
const errorIds = new WeakMap<object, number>();
let nextErrorId = 1;

function currentOptions(): InspectorOptions {
  return (options ??= defaultOptions());
}

function start(): void {
  if (started) return;
  started = true;
  connectFrames({
    onBufferFull: flush,
    errorId,
    args: (frame, args) => queueArgs(frame, args.map(previewValue)),
    watchGenerator,
  });
  const budgetFlag = raiseInliningBudget(currentOptions().inliningBudget);
  startHelperThread({ flushDue: flush, lost: flushOnTimer });
  startRecording(currentOptions(), budgetFlag ? [budgetFlag] : []);
  installLifecycle();
}

/** Called by each instrumented file as it loads. */
export function attach(abi: number, table: FileSiteTable): Hooks {
  try {
    if (!SERVED_HOOKS_ABIS.includes(abi)) {
      warnOnce('abi', `code built for hooks ABI ${abi} cannot use this runtime (ABI ${HOOKS_ABI}); rebuild with the matching async-inspect version. Running uninstrumented.`);
      return noopHooks();
    }
    const problem = checkTable(table);
    if (problem) {
      warnOnce('table', `a file built by a different async-inspect version (${problem}); rebuild with this version. Running uninstrumented.`);
      return noopHooks();
    }
    filesAttached++;
    if (!currentOptions().enabled) return noopHooks();
    start();
    const base = registerTable(table);
    return createFrameHooks(base, base + table.functions.length);
  } catch (error) {
    warnOnce('attach', `internal error while loading a file (${describeError(error).message}); running uninstrumented`);
    return noopHooks();
  }
}

function errorId(error: unknown): number {
  const isObject = error !== null && (typeof error === 'object' || typeof error === 'function');
  if (isObject) {
    const known = errorIds.get(error as object);
    if (known !== undefined) return known;
  }
  const id = nextErrorId++;
  if (isObject) errorIds.set(error as object, id);
  queueError({ id, ...describeError(error) });
  return id;
}

/**
 * Changes settings. `enabled` and `dir` apply to files loaded from then on: instrumented
 * files take their hooks when they load (ES module imports load before the importing
 * module's own code runs), so ASYNC_INSPECT=0 is the way to switch everything off.
 */
export function configure(partial: Partial<InspectorOptions>): void {
  const checked = checkOptions(partial);
  const before = currentOptions();
  if (started && checked.dir !== undefined && checked.dir !== before.dir) {
    warnOnce('configure-dir', `configure({ dir }) came after the trace file was opened (${currentTracePath() ?? before.dir}); call it before the first instrumented file loads`);
    delete checked.dir;
  }
  if (started && checked.inliningBudget !== undefined && checked.inliningBudget !== before.inliningBudget) {
    warnOnce('configure-budget', 'configure({ inliningBudget }) came after the runtime started; call it before the first instrumented file loads');
    delete checked.inliningBudget;
  }
  if (filesAttached > 0 && checked.enabled !== undefined && checked.enabled !== before.enabled) {
    warnOnce('configure-enabled', `configure({ enabled: ${checked.enabled} }) applies only to files loaded from now on (${filesAttached} already loaded); set ASYNC_INSPECT=${checked.enabled ? 1 : 0} to switch recording for the whole program`);
  }
  options = { ...before, ...checked };
}

export function currentSettings(): Readonly<InspectorOptions> {
  return { ...currentOptions() };
}
