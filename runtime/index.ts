/**
 * async-inspect's runtime API. Instrumented code records on its own; this module is for
 * programs that want to change settings or look at the live state themselves.
 */

import { preciseNow } from './clock';
import { snapshot } from './lifecycle';
import { liveState } from './live-state';
import { flushNow, recorderStats, tracePath } from './recorder';
import { configure, currentSettings } from './inspector';
import './hooks';

export { configure, currentSettings };
export type { InspectorOptions } from './config';
export type { LiveFrame, LiveState, LiveTask } from './live-state';

/**
 * The pending tasks right now, each with its tree of pending frames, where each waits
 * and for how long. Plain data: safe to log or serialise.
 */
export function inspect() {
  return liveState();
}

/** Writes buffered events and a snapshot of the pending frames to the trace file now. */
export function writeSnapshotNow(): void {
  snapshot('api');
  flushNow();
}

/** Path of this process's trace file, once it has been created. */
export function getTracePath(): string | undefined {
  return tracePath();
}

/** Counters of the recorder: events written, dropped (cap or write errors), still buffered. */
export function getRecorderStats() {
  return { ...recorderStats(), uptimeMs: preciseNow() };
}
