/**
 * A cheap clock for the hot path. Reading `performance.now()` costs about as much as an
 * await (~60 ns here), so events do not read it. Instead the helper thread
 * (helper-thread.ts) writes the current time into shared memory about every millisecond,
 * and an event's time is one typed-array load. Until the helper runs (its start takes
 * some milliseconds), or if it cannot start or stops, the shared time is NaN and the hot
 * path reads the time itself at every event (frames.ts).
 *
 * Times are milliseconds since `startEpoch` (wall clock, high resolution).
 */

/** [0] = ms since startEpoch while the helper thread ticks, else NaN; [1] = 1 while it ticks. */
export const clockMs = new Float64Array(new SharedArrayBuffer(16));
clockMs[0] = NaN;

/** Marks the shared time as not ticking (the helper thread stopped). */
export function stopTicking(): void {
  clockMs[0] = NaN;
  clockMs[1] = 0;
}

/** Wall-clock time (ms since the epoch) that clock readings are relative to. */
export const startEpoch = performance.timeOrigin + performance.now();

/** Exact milliseconds since `startEpoch` (for rare moments such as snapshots). */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now() - startEpoch;
}
