/**
 * A cheap clock for the hot path. Reading `performance.now()` costs about as much as an
 * await (~60 ns here), so events do not read it. Instead the helper thread
 * (helper-thread.ts) writes the current time into shared memory about every millisecond,
 * and the hot path writes a time marker at its next event (frames.ts). Until the helper
 * runs (its start takes some milliseconds), or if it cannot start or stops, this thread
 * ticks the clock itself whenever its event loop turns.
 *
 * Times are milliseconds since `startEpoch` (wall clock, high resolution).
 */

/** [0] = ms since startEpoch, as of the last tick; [1] = 1 while the helper thread ticks it. */
export const clockMs = new Float64Array(new SharedArrayBuffer(16));

/** Wall-clock time (ms since the epoch) that clock readings are relative to. */
export const startEpoch = performance.timeOrigin + performance.now();

/** Exact milliseconds since `startEpoch` (for rare moments such as snapshots). */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now() - startEpoch;
}
