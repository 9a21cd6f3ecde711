/**
 * The frame table: every pending frame lives in a slot of preallocated typed arrays
 * (no object per frame), slots are reused through a free list, and a unique frame id per
 * slot acts as its generation, so that a stale parent link is recognised as such.
 *
 * "Current" is the frame whose code runs synchronously right now, or -1. A frame that
 * starts while another is current is its child; one that starts with none current is the
 * root of a new task. Suspending hands "current" back to whoever ran before the frame
 * (its `outer`), resuming takes it again.
 *
 * These functions are the per-call and per-await cost of the whole product: small-integer
 * stores into one array, no allocation, no clock read (see clock.ts), no user code.
 * Frame and task ids are 31-bit counters that wrap; the trace reader undoes the wrap.
 */

import { EventKind, KIND_BITS } from '../format/events';
import { clockMs } from './clock';
import { mergeIntoCall, nextEventIndex, record } from './recorder';

export const FREE = 0;
export const RUNNING = 1;
export const SUSPENDED = 2;
export const THROWN = 3;

// Local copies: a property load through another module's exports on every event costs
// more than the event itself.
const ENTER = EventKind.enter;
const SUSPEND = EventKind.suspend;
const RESUME = EventKind.resume;
const RETURN = EventKind.return;
const THROW = EventKind.throw;
const SITE_SHIFT = KIND_BITS;

// Int32 fields of a slot, at slot * STRIDE + field.
const STRIDE = 10;
const ID = 0;
const FN = 1;
const PARENT_SLOT = 2;
const PARENT_ID = 3;
const TASK = 4;
const SITE = 5;
const STATE = 6;
const OUTER = 7;
/** Absolute index of the frame's enter event (see mergeIntoCall). */
const ENTER_AT = 8;
/** 1 while a resume happened without an event (same clock tick as the suspension). */
const QUIET = 9;
// Float64 fields (ms), at slot * 2 + field.
const START = 0;
const SINCE = 1;

const MAX_ID = 0x7fffffff;

let capacity = 0;
let slots = new Int32Array(0);
let times = new Float64Array(0);
let suspends = new Int32Array(0);
let freeList = new Int32Array(0);
let freeTop = 0;

let current = -1;
let nextFrameId = 1;
let nextTaskId = 1;

grow(1024);
freeList[freeTop++] = 0;

/** A frame starts: returns its slot. */
export function enter(fn: number): number {
  const slot = freeTop > 0 ? freeList[--freeTop] : grow(capacity * 2);
  const id = nextFrameId;
  nextFrameId = id === MAX_ID ? 1 : id + 1;
  const parent = current;
  const at = slot * STRIDE;
  slots[at + ID] = id;
  slots[at + FN] = fn;
  slots[at + STATE] = RUNNING;
  slots[at + SITE] = 0;
  slots[at + OUTER] = parent;
  slots[at + PARENT_SLOT] = parent;
  suspends[slot] = 0;
  let link: number;
  if (parent >= 0) {
    const p = parent * STRIDE;
    link = slots[at + PARENT_ID] = slots[p + ID];
    slots[at + TASK] = slots[p + TASK];
  } else {
    const task = nextTaskId;
    nextTaskId = task === MAX_ID ? 1 : task + 1;
    slots[at + PARENT_ID] = 0;
    slots[at + TASK] = task;
    link = -task;
  }
  current = slot;
  slots[at + QUIET] = 0;
  slots[at + ENTER_AT] = nextEventIndex();
  record(ENTER + SITE_SHIFT * fn, id, link);
  times[slot * 2 + START] = clockMs[0];
  return slot;
}

/** The frame in `slot` suspends at await site `site`. */
export function suspend(slot: number, site: number): void {
  const at = slot * STRIDE;
  if (slot < 0 || slots[at + ID] === 0) return;
  slots[at + STATE] = SUSPENDED;
  slots[at + SITE] = site;
  suspends[slot]++;
  slots[at + QUIET] = 0;
  current = slots[at + OUTER];
  record(SUSPEND + SITE_SHIFT * site, slots[at + ID], 0);
  times[slot * 2 + SINCE] = clockMs[0];
}

/**
 * The frame in `slot` runs again; nothing happens when it is already current. Within the
 * clock tick of its suspension no event is written: the reader restores it (events.ts).
 */
export function resume(slot: number): void {
  const at = slot * STRIDE;
  if (slot < 0 || slot === current || slots[at + ID] === 0) return;
  slots[at + OUTER] = current;
  slots[at + STATE] = RUNNING;
  current = slot;
  if (times[slot * 2 + SINCE] !== clockMs[0]) record(RESUME, slots[at + ID], 0);
  else slots[at + QUIET] = 1;
}

/** The frame in `slot` is ending by throwing the error with id `errorId`. */
export function fail(slot: number, errorId: number): void {
  const at = slot * STRIDE;
  if (slot < 0 || slots[at + ID] === 0) return;
  // A throw straight after a suspension means "rejected at that await"; when the frame had
  // resumed first, say so.
  if (slots[at + QUIET] === 1) record(RESUME, slots[at + ID], 0);
  slots[at + STATE] = THROWN;
  record(THROW, slots[at + ID], errorId);
}

/** The frame in `slot` ends; its slot is freed. */
export function exit(slot: number): void {
  const at = slot * STRIDE;
  if (slot < 0 || slots[at + ID] === 0) return;
  if (slots[at + STATE] !== THROWN) {
    const quick = suspends[slot] === 0 && times[slot * 2 + START] === clockMs[0];
    if (!quick || !mergeIntoCall(slots[at + ENTER_AT], slots[at + ID])) record(RETURN, slots[at + ID], 0);
  }
  current = slots[at + OUTER];
  slots[at + ID] = 0;
  slots[at + STATE] = FREE;
  freeList[freeTop++] = slot;
}

/** Frame id of a slot, 0 when free. */
export function frameIdOf(slot: number): number {
  return slot >= 0 && slot < capacity ? slots[slot * STRIDE + ID] : 0;
}

export interface PendingSlot {
  id: number;
  fn: number;
  /** Parent frame id, 0 for a task root. */
  parent: number;
  /** Whether the parent is still pending. */
  parentPending: boolean;
  task: number;
  site: number;
  state: number;
  start: number;
  since: number;
  suspends: number;
}

/** Every occupied slot, for snapshots and the live-state API (not the hot path). */
export function forEachPendingFrame(visit: (frame: PendingSlot) => void): void {
  for (let slot = 0; slot < capacity; slot++) {
    const at = slot * STRIDE;
    if (slots[at + ID] === 0 || slots[at + STATE] === FREE) continue;
    const ps = slots[at + PARENT_SLOT];
    const parentAlive = ps >= 0 && slots[ps * STRIDE + ID] === slots[at + PARENT_ID];
    visit({
      id: slots[at + ID],
      fn: slots[at + FN],
      parent: slots[at + PARENT_ID],
      parentPending: parentAlive,
      task: slots[at + TASK],
      site: slots[at + SITE],
      state: slots[at + STATE],
      start: times[slot * 2 + START],
      since: times[slot * 2 + SINCE],
      suspends: suspends[slot],
    });
  }
}

/** Doubles the table; returns the first new slot (the others go on the free list). */
function grow(size: number): number {
  const old = capacity;
  slots = resized(slots, size * STRIDE);
  times = resized(times, size * 2);
  suspends = resized(suspends, size);
  freeList = resized(freeList, size);
  capacity = size;
  for (let slot = size - 1; slot > old; slot--) freeList[freeTop++] = slot;
  return old;
}

function resized<T extends Float64Array | Int32Array>(array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}
