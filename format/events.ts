/**
 * Events: the binary part of a trace.
 *
 * In the file, an `events` record body is
 *
 *   batchTime   float64 LE: milliseconds since the header's `startTime` when the batch was
 *               written; no event of the batch is later than this
 *   stream      int32 LE words, one event after the other; an event's first word is its
 *               code = kind + 16 * site (site: a global site id, 0 when none), and the kind
 *               says how many words follow:
 *
 *     kind     words  layout
 *     enter    3      code, frame, link   link = parent frame id, or -(task id) for a task root
 *     suspend  2      code, frame         site = the await site
 *     resume   2      code, frame
 *     return   2      code, frame
 *     throw    3      code, frame, error  error = id of an entry of an `errors` record
 *     call     3      code, frame, link   enter + return within one clock tick (a leaf call)
 *     settle   2      code, frame         site = an await site: suspend there, resume and
 *                                          return, all within one clock tick (format 2)
 *     time     2      code, micros        the time of the events that follow: µs since
 *                                          startTime, modulo 2^32; first in every batch
 *     abandon  2      code, frame         site = the yield site the frame waited at: its
 *                                          async generator was garbage-collected there, so
 *                                          it can never resume (format 3)
 *
 * Frame and task ids are 31-bit counters from 1 that wrap to 1 after 2^31-1.
 *
 * Why this shape: the runtime's hot path is a few int32 stores, and most events take 8
 * bytes. Time is written only when the clock (which ticks about every millisecond) moved;
 * a resume within the clock tick of its suspension is not written at all (the reader
 * inserts it, at the suspension's time, before the frame's next `suspend` or `return`; so
 * a `throw` right after a `suspend` means the rejection arrived at that await); and a
 * `call` stands for an `enter` and `return` in one tick, a `settle` for a frame's last
 * `suspend`, its resume and its `return` in one tick.
 *
 * The reader undoes all of this: `ParsedTrace.events` holds EVENT_FIELDS float64 values
 * an event — [code, frame id, arg, time in ms since startTime] — with only the kinds
 * enter, suspend, resume, return, throw and abandon, ids unwrapped (ids of enters only grow,
 * until they wrap), and times restored as the latest value congruent to the stored µs
 * that is not after `batchTime` (exact while one batch spans less than 71 minutes; the
 * runtime writes every 200 ms).
 */

/** Values an event takes in `ParsedTrace.events`. */
export const EVENT_FIELDS = 4;
/** Bytes before the stream of an `events` record body (the batch time). */
export const EVENTS_PREFIX_BYTES = 8;
export const KIND_BITS = 16;
/** Frame and task ids wrap from this value to 1. */
export const MAX_RAW_ID = 0x7fffffff;

export const EventKind = {
  /** A frame starts. site = its function site; arg = parent frame id, or -(task id) for the root of a new task. */
  enter: 1,
  /** The frame suspends at an await site. site = the await site; arg = 0. */
  suspend: 2,
  /** The frame runs again after its last suspension. site = 0; arg = 0. */
  resume: 3,
  /** The frame returns. site = 0; arg = 0. */
  return: 4,
  /** The frame ends by throwing. site = 0; arg = error id (an entry of an `errors` record). */
  throw: 5,
  /** Only in files: `enter` + `return` in one clock tick. */
  call: 6,
  /** Only in files: the time of the events that follow. */
  time: 7,
  /** Only in files (format 2): `suspend` at the site + `resume` + `return` within one clock tick. */
  settle: 8,
  /**
   * The frame ends without returning or throwing: it is an async generator that waited for
   * its consumer at a `yield` (or `yield*`), and the generator object was
   * garbage-collected, so nothing can resume it. site = that yield site; arg = 0. (Format 3.)
   */
  abandon: 9,
} as const;

export type EventKindCode = (typeof EventKind)[keyof typeof EventKind];

/** Words an event of each kind takes in the file (index = kind; 0 = unknown kind). */
export const EVENT_WORDS: readonly number[] = [0, 3, 2, 2, 2, 3, 3, 2, 2, 2];

export function encodeEventCode(kind: number, site: number): number {
  return kind + KIND_BITS * site;
}

export function eventKindOf(code: number): number {
  return code % KIND_BITS;
}

export function eventSiteOf(code: number): number {
  return Math.floor(code / KIND_BITS);
}
