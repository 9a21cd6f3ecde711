/**
 * The event ring: the memory the hot path writes events into (frames.ts), shared with the
 * helper thread (helper-thread.ts) that appends full segments to the trace file, so that
 * the program's own thread does not spend its time copying trace bytes into the kernel
 * (about a tenth of the recording cost on an await-heavy program).
 *
 * The ring is SEGMENTS segments of SEGMENT_WORDS int32 words. The hot path fills one
 * segment; when it is full (or the flush timer fires) the recorder writes the head of an
 * `events` record into the segment's first HEAD_WORDS words and queues it, and the hot
 * path goes on in the next segment, waiting only if the helper has not written that one
 * yet (the same back-pressure a synchronous write would give). The helper writes queued
 * segments in ring order; whoever else writes to the file first waits until the ring is
 * drained (`drainRing`), so records never interleave.
 *
 * This module owns the layout of the shared control words; the helper's source reads the
 * same constants (helper-thread.ts interpolates them).
 */

import { EVENTS_HEAD_BYTES } from '../format/writer';

export const SEGMENTS = 4;
export const SEGMENT_WORDS = 65536;
/** Words at the start of each segment kept for the head of its `events` record. */
export const HEAD_WORDS = 4;
if (HEAD_WORDS * 4 < EVENTS_HEAD_BYTES) throw new Error('event ring: segment head too small');

export const ring = new Int32Array(new SharedArrayBuffer(SEGMENTS * SEGMENT_WORDS * 4));

/** Control words (Int32, shared): their indexes. */
export const CONTROL = {
  /** 1 once the helper thread runs and writes queued segments. */
  ready: 0,
  /** Bumped by the recorder to wake the helper early. */
  wake: 1,
  /** File descriptor of the trace file (the helper writes through it). */
  fd: 2,
  /** 0, or the errno (negative, as Node reports it; -1 when unknown) of the helper's failed write. */
  failedErrno: 3,
  /** Events of segments the helper could not write. */
  failedEvents: 4,
  /** 1: nothing more is written by the helper (the recorder gave up on it). */
  stop: 5,
  /** Every this many ms the helper asks for a flush (a message to the program's thread); 0: never. */
  flushEveryMs: 6,
  /**
   * Per segment k, SEGMENT_FIELDS words from segmentBase + SEGMENT_FIELDS * k: state,
   * first byte, byte length, events, queue order (the helper writes the queued segment
   * of lowest order first: segments written here before the helper ran are skipped).
   */
  segmentBase: 8,
} as const;
export const SEGMENT_FIELDS = 5;
export const SEGMENT_FREE = 0;
export const SEGMENT_QUEUED = 1;

export const control = new Int32Array(new SharedArrayBuffer((CONTROL.segmentBase + SEGMENT_FIELDS * SEGMENTS) * 4));

/** How long the recorder waits for the helper to free a segment before giving up on it. */
const STALL_MS = 10_000;

const stateIndex = (segment: number) => CONTROL.segmentBase + SEGMENT_FIELDS * segment;
let queued = 0;

/** Whether queued segments will be written by the helper thread. */
export function helperWrites(): boolean {
  return Atomics.load(control, CONTROL.ready) === 1 && Atomics.load(control, CONTROL.stop) === 0;
}

/** Hands `segment`'s record (bytes `[start, start + length)` of the ring) to the helper. */
export function queueSegment(segment: number, start: number, length: number, events: number): void {
  const at = stateIndex(segment);
  control[at + 1] = start;
  control[at + 2] = length;
  control[at + 3] = events;
  control[at + 4] = ++queued;
  Atomics.store(control, at, SEGMENT_QUEUED);
  Atomics.add(control, CONTROL.wake, 1);
  Atomics.notify(control, CONTROL.wake);
}

/**
 * Waits until the helper has written `segment`. Returns false when it did not within
 * STALL_MS: the helper is then stopped for good (`stop`), the segments still queued are
 * released and their events counted in `failedEvents`.
 */
export function waitForSegment(segment: number): boolean {
  const at = stateIndex(segment);
  if (Atomics.load(control, at) !== SEGMENT_QUEUED) return true;
  const deadline = Date.now() + STALL_MS;
  while (Atomics.load(control, at) === SEGMENT_QUEUED) {
    if (Date.now() > deadline) {
      giveUpOnHelper();
      return false;
    }
    try {
      Atomics.wait(control, at, SEGMENT_QUEUED, 50);
    } catch {
      // Threads that may not block (an embedder's UI thread) poll instead.
    }
  }
  return true;
}

/** Waits until every queued segment is written (before any other write to the file). */
export function drainRing(): boolean {
  for (let segment = 0; segment < SEGMENTS; segment++) if (!waitForSegment(segment)) return false;
  return true;
}

function giveUpOnHelper(): void {
  Atomics.store(control, CONTROL.stop, 1);
  if (Atomics.load(control, CONTROL.failedErrno) === 0) Atomics.store(control, CONTROL.failedErrno, STALLED);
  for (let segment = 0; segment < SEGMENTS; segment++) {
    const at = stateIndex(segment);
    if (Atomics.load(control, at) !== SEGMENT_QUEUED) continue;
    Atomics.add(control, CONTROL.failedEvents, control[at + 3]);
    Atomics.store(control, at, SEGMENT_FREE);
  }
}

/** `failedErrno` value for "the helper stopped responding" (not an errno). */
export const STALLED = 1;

/** The helper's write failure not reported yet, if any: its errno and the events it lost. */
export function takeHelperFailure(): { errno: number; events: number } | undefined {
  const errno = Atomics.load(control, CONTROL.failedErrno);
  const events = Atomics.exchange(control, CONTROL.failedEvents, 0);
  if (errno === 0 && events === 0) return undefined;
  return { errno, events };
}
