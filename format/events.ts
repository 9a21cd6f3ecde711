/**
 * Events: the binary part of a trace. The runtime records every event as four float64
 * values in a preallocated buffer and writes batches of them verbatim (little-endian) in
 * an `events` record. Four doubles keep the hot path to plain typed-array stores; the
 * cost is 32 bytes an event on disk.
 *
 *   [0] code   = kind + 16 * site    (site: a global site id, 0 when the kind has none)
 *   [1] frame  = frame id (unique in the trace, from 1)
 *   [2] arg    = depends on the kind, see below
 *   [3] time   = milliseconds since the trace's `startTime` (header), from a clock
 *                that ticks about every millisecond (see runtime/clock.ts)
 */

export const EVENT_FIELDS = 4;
export const EVENT_BYTES = EVENT_FIELDS * 8;
export const KIND_BITS = 16;

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
