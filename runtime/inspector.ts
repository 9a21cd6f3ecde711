/**
 * The runtime's one piece of state: whether it records, and the hooks objects handed to
 * instrumented files. `attach` is what emitted code calls when a file loads.
 */

import { HOOKS_ABI } from './injected-names';
import { startClock } from './clock';
import { checkOptions, defaultOptions, type InspectorOptions } from './config';
import { describeError, previewValue } from './describe-value';
import { connectFrames, createFrameHooks, resumeFrame, suspendFrame } from './frames';
import { wrapForAwait } from './for-await';
import { installLifecycle } from './lifecycle';
import { flush, queueArgs, queueError, startRecording, tracePath as currentTracePath } from './recorder';
import { checkTable, registerTable } from './site-registry';
import { warnOnce } from './warn';
import type { FileSiteTable } from '../format';

/** What emitted code calls; see docs/internals.md section 1. */
export interface Hooks {
  e(fn: number, args?: unknown[]): number;
  s<T>(frame: number, site: number, value: T): T;
  r<T>(frame: number, value?: T): T | undefined;
  l<T>(frame: number, site: number, iterable: T): T;
  u(frame: number, site: number): Disposable;
  t(frame: number, error: unknown): void;
  x(frame: number): void;
}

const noopDisposable: Disposable = { [Symbol.dispose]: () => {} };

const noop: Hooks = {
  e: () => -1,
  s: (_f, _i, v) => v,
  r: (_f, v) => v,
  l: (_f, _i, v) => v,
  u: () => noopDisposable,
  t: () => {},
  x: () => {},
};

let options: InspectorOptions | undefined;
let started = false;
interface AttachedFile {
  hooks: Hooks;
  table: FileSiteTable;
  /** Global id of the file's first site once registered, else 0. */
  base: number;
}
const attached: AttachedFile[] = [];
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
  });
  startClock();
  startRecording(currentOptions());
  installLifecycle();
}

/** Called by each instrumented file as it loads. */
export function attach(abi: number, table: FileSiteTable): Hooks {
  try {
    if (abi !== HOOKS_ABI) {
      warnOnce('abi', `code built for hooks ABI ${abi} cannot use this runtime (ABI ${HOOKS_ABI}); rebuild with the matching async-inspect version. Running uninstrumented.`);
      return { ...noop };
    }
    const problem = checkTable(table);
    if (problem) {
      warnOnce('table', `a file built by a different async-inspect version (${problem}); rebuild with this version. Running uninstrumented.`);
      return { ...noop };
    }
    const entry: AttachedFile = { hooks: { ...noop }, table, base: 0 };
    attached.push(entry);
    if (currentOptions().enabled) activate(entry);
    return entry.hooks;
  } catch (error) {
    warnOnce('attach', `internal error while loading a file (${describeError(error).message}); running uninstrumented`);
    return { ...noop };
  }
}

function activate(entry: AttachedFile): void {
  start();
  if (entry.base === 0) entry.base = registerTable(entry.table);
  Object.assign(entry.hooks, activeHooks(entry.base, entry.base + entry.table.functions.length));
}

function activeHooks(base: number, awaitBase: number): Hooks {
  const hooks = createFrameHooks(base, awaitBase);
  return {
    ...hooks,
    l: (frame, site, iterable) => {
      if (frame < 0) return iterable;
      return wrapForAwait(iterable, {
        before: () => resumeFrame(frame),
        after: () => suspendFrame(frame, awaitBase + site),
      }) as typeof iterable;
    },
    // A `using` marker declared right after an `await using`: disposed first, it marks the
    // frame suspended at the site just before the awaited disposals run.
    u: (frame, site) => ({ [Symbol.dispose]: () => suspendFrame(frame, awaitBase + site) }),
  };
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

/** Changes settings; recording switched on later starts from that moment. */
export function configure(partial: Partial<InspectorOptions>): void {
  const checked = checkOptions(partial);
  const before = currentOptions();
  if (started && checked.dir !== undefined && checked.dir !== before.dir) {
    warnOnce('configure-dir', `configure({ dir }) came after the trace file was opened (${currentTracePath() ?? before.dir}); call it before the first async function runs`);
    delete checked.dir;
  }
  options = { ...before, ...checked };
  if (checked.enabled === true) {
    for (const entry of attached) activate(entry);
  } else if (checked.enabled === false) {
    for (const entry of attached) Object.assign(entry.hooks, noop);
  }
}

export function currentSettings(): Readonly<InspectorOptions> {
  return { ...currentOptions() };
}
