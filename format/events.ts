/**
 * Events: the binary part of a trace.
 *
 * In the file, an `events` record body is
 *
 *   batchTime   float64 LE: milliseconds since the header's `startTime` when the batch was
 *               written; no event of the batch is later than this
 *   events      `count` times four int32 LE:
 *                 [0] code  = kind + 16 * site   (site: a global site id, 0 when none)
 *                 [1] frame = frame id, a 31-bit counter from 1 that wraps to 1 after 2^31-1
 *                 [2] arg   = depends on the kind, see `EventKind`
 *                 [3] time  = microseconds since `startTime`, modulo 2^32
 *
 * Small integers keep the runtime's hot path to plain int32 stores (16 bytes an event).
 * Two economies keep the count down, and the reader undoes both: a resume within the same
 * clock tick as its suspension is not written (the reader inserts it, at the suspension's
 * time, before the frame's next `suspend` or `return`; a `throw` right after a `suspend`
 * therefore means the rejection arrived at that await), and a `call` stands for an
 * `enter` + `return` in one tick.
 * The reader undoes both wraps: an event's time is the latest value congruent to [3]
 * modulo 2^32 µs that is not after `batchTime` (exact while one batch spans less than
 * 71 minutes; the runtime flushes every 200 ms), and frame/task ids are unwrapped from
 * the order of `enter` events (ids of enters only grow, until they wrap).
 *
 * After reading, `ParsedTrace.events` holds EVENT_FIELDS float64 values an event:
 * [code, frame id (unwrapped), arg (ids unwrapped), time in ms since startTime].
 */

export const EVENT_FIELDS = 4;
/** Bytes of one event in the file. */
export const EVENT_BYTES = EVENT_FIELDS * 4;
/** Bytes before the events of an `events` record body (the batch time). */
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
  /**
   * Only in files, never in `ParsedTrace.events`: a frame that started and returned within
   * one clock tick without suspending (most leaf calls). site and arg as for `enter`. The
   * reader expands it into `enter` + `return` at the same time.
   */
  call: 6,
} as const;

export type EventKindCode = (typeof EventKind)[keyof typeof EventKind];

export function encodeEventCode(kind: number, site: number): number {
  return kind + KIND_BITS * site;
}

export function eventKindOf(code: number): number {
  return code % KIND_BITS;
}

export function eventSiteOf(code: number): number {
  return Math.floor(code / KIND_BITS);
}
