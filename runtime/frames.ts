/**
 * The hot path: the frame table, the event buffer, and the hook functions instrumented
 * code calls at every frame entry, suspension, resumption and exit.
 *
 * Every pending frame lives in a slot of preallocated typed arrays (no object per frame);
 * slots are reused through a free list, and the frame id stored in a slot acts as its
 * generation, so that a stale parent link is recognised as such. "Current" is the slot of
 * the frame whose code runs synchronously right now, or -1: a frame that starts while
 * another is current is its child, one that starts with none current roots a new task.
 * Suspending hands "current" back to whoever ran before the frame (its `outer`).
 *
 * Everything a hook does is here, in one module and inside the hook itself, so that V8
 * inlines it into the instrumented function: small-integer stores, no allocation, no
 * clock read (clock.ts), no user code. Frame and task ids are 31-bit counters that wrap;
 * the trace reader undoes the wrap (format/events.ts).
 */

import { EventKind, KIND_BITS } from '../format/events';
import { clockMs, refreshClock } from './clock';
import { wrapForAwait } from './for-await';

const FREE = 0;
export const RUNNING = 1;
const SUSPENDED = 2;
const THROWN = 3;

// Local copies of constants: a property load through another module per event costs
// more than the event itself.
const ENTER = EventKind.enter;
const SUSPEND = EventKind.suspend;
const RESUME = EventKind.resume;
const RETURN = EventKind.return;
const THROW = EventKind.throw;
const TIME = EventKind.time;
const ENTER_TO_CALL = EventKind.call - EventKind.enter;
const SITE_SHIFT = KIND_BITS;
/** The shared clock (clock.ts), held locally for the same reason. */
const CLOCK = clockMs;
const MAX_ID = 0x7fffffff;

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
/** Absolute index of the frame's enter event, to merge enter + return into one `call`. */
const ENTER_AT = 8;
/** 1 while a resume happened without an event (same clock tick as the suspension). */
const QUIET = 9;
// Float64 fields (ms), at slot * 2 + field.
const START = 0;
const SINCE = 1;

let capacity = 0;
let slots = new Int32Array(0);
let times = new Float64Array(0);
let suspends = new Int32Array(0);
let freeList = new Int32Array(0);
let freeTop = 0;

let current = -1;
let nextFrameId = 1;
let nextTaskId = 1;

/** Int32 words of events held in memory before a flush (events take 2 or 3, format/events.ts). */
const BUFFER_WORDS = 65536;
/** Past this many words the buffer is flushed: room is left for a time marker and one event. */
const FLUSH_AT = BUFFER_WORDS - 5;
const events = new Int32Array(BUFFER_WORDS);
let words = 0;
/** Words handed out by `takeEvents` so far: the absolute index of events[0]. */
let taken = 0;
/** Clock value of the last time marker in the buffer (NaN: none yet in this batch). */
let stampedAt = NaN;
/** Events in the buffer (a `call` counts as the enter and return it stands for). */
let buffered = 0;

let onFull: () => void = () => {
  takeEvents(() => {});
};
let identifyError: (error: unknown) => number = () => 0;
let noteArgs: (frame: number, args: unknown[]) => void = () => {};

grow(1024);
freeList[freeTop++] = 0;

/** Wires the hot path to the recorder and the error table (inspector.ts). */
export function connectFrames(options: {
  onBufferFull: () => void;
  errorId: (error: unknown) => number;
  args: (frame: number, args: unknown[]) => void;
}): void {
  onFull = options.onBufferFull;
  identifyError = options.errorId;
  noteArgs = options.args;
}

/** Hands the buffered event words to `write` (valid during the call) and empties the buffer; returns the event count. */
export function takeEvents(write: (stream: Int32Array, words: number, events: number) => void): number {
  const n = words;
  const count = buffered;
  if (n > 0) write(events, n, count);
  taken += n;
  words = 0;
  buffered = 0;
  stampedAt = NaN;
  return count;
}

/** Writes a time marker when the clock moved since the last one. */
function stamp(): void {
  if (CLOCK[1] === 0) refreshClock();
  const now = CLOCK[0];
  if (now !== stampedAt) {
    stampedAt = now;
    events[words] = TIME;
    events[words + 1] = now * 1000; // µs; the int32 store wraps it modulo 2^32
    words += 2;
  }
}

/** Appends a two-word event. */
function push2(code: number, frame: number): void {
  stamp();
  events[words] = code;
  events[words + 1] = frame;
  words += 2;
  buffered++;
  if (words > FLUSH_AT) onFull();
}

/** Appends a three-word event; returns its absolute word index. */
function push3(code: number, frame: number, arg: number): number {
  stamp();
  const at = words;
  events[at] = code;
  events[at + 1] = frame;
  events[at + 2] = arg;
  words += 3;
  buffered++;
  if (words > FLUSH_AT) onFull();
  return (taken + at) | 0;
}

/** Marks the frame in `slot` suspended at the global await site `site`. */
function suspendFrame(slot: number, site: number): void {
  const at = slot * STRIDE;
  if (slot < 0 || slots[at + ID] === 0) return;
  slots[at + STATE] = SUSPENDED;
  slots[at + SITE] = site;
  slots[at + QUIET] = 0;
  suspends[slot]++;
  current = slots[at + OUTER];
  push2(SUSPEND + SITE_SHIFT * site, slots[at + ID]);
  times[slot * 2 + SINCE] = CLOCK[0];
}

/**
 * The frame in `slot` runs again; nothing happens when it is already current. Within the
 * clock tick of its suspension no event is written: the reader restores it.
 */
function resumeFrame(slot: number): void {
  const at = slot * STRIDE;
  if (slot < 0 || slot === current || slots[at + ID] === 0) return;
  slots[at + OUTER] = current;
  slots[at + STATE] = RUNNING;
  current = slot;
  // Until the clock worker runs, the shared time is only as fresh as the last event.
  if (CLOCK[1] === 0) refreshClock();
  if (times[slot * 2 + SINCE] !== CLOCK[0]) push2(RESUME, slots[at + ID]);
  else slots[at + QUIET] = 1;
}

/** What emitted code calls (docs/internals.md, section 1). */
export interface Hooks {
  e(fn: number, args?: unknown[]): number;
  s<T>(frame: number, site: number, value: T): T;
  r<T>(frame: number, value?: T): T | undefined;
  l<T>(frame: number, site: number, iterable: T): T;
  u(frame: number, site: number): Disposable;
  t(frame: number, error: unknown): void;
  x(frame: number): void;
}

/**
 * The hooks of one instrumented file, whose function sites start at global id `base` and
 * await sites at `awaitBase`. Built as one literal, never modified: V8 then knows each
 * hook's target and can inline it into the instrumented function.
 */
export function createFrameHooks(base: number, awaitBase: number): Hooks {
  return {
    e: (fn, args) => enterFrame(base + fn, args),
    s: (slot, site, value) => {
      suspendFrame(slot, awaitBase + site);
      return value;
    },
    r: (slot, value) => {
      resumeFrame(slot);
      return value;
    },
    l: (slot, site, iterable) => {
      if (slot < 0) return iterable;
      return wrapForAwait(iterable, {
        before: () => resumeFrame(slot),
        after: () => suspendFrame(slot, awaitBase + site),
      }) as typeof iterable;
    },
    // A `using` marker declared right after an `await using`: disposed first, it marks the
    // frame suspended at the site just before the awaited disposals run.
    u: (slot, site) => ({ [Symbol.dispose]: () => suspendFrame(slot, awaitBase + site) }),
    t: throwFrame,
    x: exitFrame,
  };
}

/** A frame of function site `site` starts: returns its slot. */
function enterFrame(site: number, args: unknown[] | undefined): number {
  const slot = freeTop > 0 ? freeList[--freeTop] : grow(capacity * 2);
  const id = nextFrameId;
  nextFrameId = id === MAX_ID ? 1 : id + 1;
  const parent = current;
  const at = slot * STRIDE;
  slots[at + ID] = id;
  slots[at + FN] = site;
  slots[at + STATE] = RUNNING;
  slots[at + OUTER] = parent;
  slots[at + PARENT_SLOT] = parent;
  suspends[slot] = 0;
  let link: number;
  if (parent >= 0) {
    link = slots[at + PARENT_ID] = slots[parent * STRIDE + ID];
    slots[at + TASK] = slots[parent * STRIDE + TASK];
  } else {
    link = startTask(at);
  }
  current = slot;
  slots[at + ENTER_AT] = push3(ENTER + SITE_SHIFT * site, id, link);
  times[slot * 2 + START] = CLOCK[0];
  if (args !== undefined) noteArgs(id, args);
  return slot;
}

/** A root frame starts a new task: returns the enter event's link, -(task id). */
function startTask(at: number): number {
  const task = nextTaskId;
  nextTaskId = task === MAX_ID ? 1 : task + 1;
  slots[at + TASK] = task;
  slots[at + PARENT_ID] = 0;
  return -task;
}

/** The frame in `slot` is ending by throwing `error`. */
function throwFrame(slot: number, error: unknown): void {
  const at = slot * STRIDE;
  if (slot < 0 || slots[at + ID] === 0) return;
  if (slots[at + STATE] === SUSPENDED) {
    // The rejection of the awaited value arrived: the frame runs again (from a microtask)
    // without `r`, so take "current" like a resume does, for `x` to hand it back right.
    slots[at + OUTER] = current;
    current = slot;
  } else if (suspends[slot] > 0 && slots[at + QUIET] === 1) {
    // A throw straight after a suspension means "rejected at that await"; this frame had
    // resumed first (without an event), so say so.
    push2(RESUME, slots[at + ID]);
  }
  slots[at + STATE] = THROWN;
  push3(THROW, slots[at + ID], identifyError(error));
}

/** The frame in `slot` ends; its slot is freed. */
function exitFrame(slot: number): void {
  const at = slot * STRIDE;
  if (slot < 0 || slots[at + ID] === 0) return;
  if (slots[at + STATE] !== THROWN && !(suspends[slot] === 0 && mergeIntoCall(slot, at))) push2(RETURN, slots[at + ID]);
  current = slots[at + OUTER];
  slots[at + ID] = 0;
  slots[at + STATE] = FREE;
  freeList[freeTop++] = slot;
}

/**
 * A frame that returns without ever suspending, in the clock tick it started in, while its
 * enter event is still in the buffer: that event becomes a `call` and no return is written.
 */
function mergeIntoCall(slot: number, at: number): boolean {
  if (CLOCK[1] === 0) refreshClock();
  const i = (slots[at + ENTER_AT] - taken) | 0;
  if (times[slot * 2 + START] !== CLOCK[0] || i < 0 || i >= words || events[i + 1] !== slots[at + ID]) return false;
  events[i] += ENTER_TO_CALL;
  buffered++;
  return true;
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
    const suspended = suspends[slot] > 0;
    const parentAlive = ps >= 0 && slots[ps * STRIDE + ID] === slots[at + PARENT_ID];
    visit({
      id: slots[at + ID],
      fn: slots[at + FN],
      parent: slots[at + PARENT_ID],
      parentPending: parentAlive,
      task: slots[at + TASK],
      site: suspended ? slots[at + SITE] : 0,
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
