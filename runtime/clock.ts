/**
 * A cheap clock for the hot path. Reading `performance.now()` costs about as much as an
 * await (~60 ns here), so events do not read it. Instead a small worker thread writes the
 * current time into shared memory about every millisecond, and an event's time is one
 * typed-array load. Until the worker runs (its start takes some milliseconds), or if it
 * cannot start, the recorder refreshes the shared value itself at every event.
 *
 * Times are milliseconds since `startEpoch` (wall clock, high resolution).
 */

import { Worker } from 'node:worker_threads';

const TICK_MS = 1;

/** [0] = ms since startEpoch; [1] = 1 while the worker keeps [0] current. */
export const clockMs = new Float64Array(new SharedArrayBuffer(16));

/** Wall-clock time (ms since the epoch) that clock readings are relative to. */
export const startEpoch = performance.timeOrigin + performance.now();

let started = false;

const perf = performance;
/** `startEpoch` on the `performance.now()` scale. */
const nowOffset = startEpoch - performance.timeOrigin;

/** Sets the shared time from the real clock (when the worker does not); small, for the hot path. */
export function refreshClock(): void {
  clockMs[0] = perf.now() - nowOffset;
}

/** Exact milliseconds since `startEpoch` (for rare moments such as snapshots). */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now() - startEpoch;
}

const workerSource = `
const { workerData } = require('node:worker_threads');
const clock = new Float64Array(workerData.buffer);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  clock[0] = performance.timeOrigin + performance.now() - workerData.startEpoch;
  clock[1] = 1;
  Atomics.wait(sleeper, 0, 0, ${TICK_MS});
}
`;

/** Starts the ticking worker once; never throws (the clock falls back to direct reads). */
export function startClock(): void {
  if (started) return;
  started = true;
  refreshClock();
  try {
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: { buffer: clockMs.buffer, startEpoch },
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
      stdout: true,
      stderr: true,
    });
    worker.unref();
    const stopped = () => {
      clockMs[1] = 0;
    };
    worker.on('error', stopped);
    worker.on('exit', stopped);
  } catch {
    clockMs[1] = 0;
  }
}
