/**
 * Undoing the wraps of the compact event encoding (events.ts): 31-bit frame and task ids,
 * and 32-bit microsecond times.
 */

import { MAX_RAW_ID } from './events';

const ID_SPAN = MAX_RAW_ID; // ids run 1 .. MAX_RAW_ID, then 1 again
const HALF = Math.floor(ID_SPAN / 2);
const TIME_SPAN = 2 ** 32;
/** Events up to this many µs after their batch time are taken as clock jitter, not a wrap. */
const JITTER_US = 1_000_000;

/**
 * Ids are handed out in increasing order, so a new id far below the last one means the
 * counter wrapped; an id far above the last new one belongs to the previous round.
 */
export class IdUnwrapper {
  private round = 0;
  private last = 0;

  /** A newly handed-out id (an `enter`, or a new task). */
  fresh(raw: number): number {
    if (raw < this.last - HALF) this.round++;
    this.last = raw;
    return this.round * ID_SPAN + raw;
  }

  /** An id handed out earlier. */
  known(raw: number): number {
    if (raw <= 0) return raw;
    const round = raw > this.last + HALF && this.round > 0 ? this.round - 1 : this.round;
    return round * ID_SPAN + raw;
  }
}

/** Milliseconds of an event whose stored time is `rawMicros` (int32) in a batch written at `batchTimeMs`. */
export function unwrapTime(rawMicros: number, batchTimeMs: number): number {
  const base = Math.floor(batchTimeMs * 1000);
  const raw = rawMicros >>> 0;
  let behind = (((base - raw) % TIME_SPAN) + TIME_SPAN) % TIME_SPAN;
  if (behind > TIME_SPAN - JITTER_US) behind -= TIME_SPAN;
  return (base - behind) / 1000;
}
