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
 * Everything a hook does is here, in one module: small-integer stores, no allocation, no
 * clock read (clock.ts), no user code. The per-file hook wrappers are inlined into the
 * instrumented function; the functions they call are too large for V8 to inline there,
 * and what makes them cheap is that every array and counter they touch sits at an address
 * V8 knows when it compiles them (see `table` and `reg`). Frame and task ids are 31-bit
 * counters that wrap; the trace reader undoes the wrap (format/events.ts).
 */

import { EventKind, KIND_BITS } from '../format/events';
import { clockMs, refreshClock } from './clock';
import { wrapForAwait } from './for-await';

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
const STRIDE = 8;
const ID = 0;
const FN = 1;
// Field 2 is unused (the stride stays a power of two).
const PARENT_ID = 3;
const TASK = 4;
const SITE = 5;
/**
 * The frame's state in one word: 4 * (suspensions so far) + one of the `S_*` values, so
 * that a suspension or a resumption is one load and one store.
 */
const STATE = 6;
const OUTER = 7;
/** Running; it either never suspended or resumed with an event. */
const S_RUNNING = 0;
/** Running after a resumption without an event (same clock tick as the suspension). */
const S_QUIET = 1;
const S_SUSPENDED = 2;
const S_THROWN = 3;
/** One suspension more, in the suspension count of a state word. */
const COUNT_STEP = 4;
// Float64 fields (ms), at slot * TIME_STRIDE + field.
const TIME_STRIDE = 2;
const START = 0;
const SINCE = 1;

/** Slots before the table first grows. */
const INITIAL_CAPACITY = 4096;
let capacity = INITIAL_CAPACITY;
/**
 * The frame table's arrays. They are fields of a constant object, not `let`s: V8 treats a
 * field that was never reassigned as a constant and folds each array's address and length
 * into the compiled hooks (about a fifth of the recording cost). Growing the table
 * reassigns them, after which they are loaded like variables.
 */
const table = {
  slots: new Int32Array(INITIAL_CAPACITY * STRIDE),
  times: new Float64Array(INITIAL_CAPACITY * TIME_STRIDE),
  freeList: new Int32Array(INITIAL_CAPACITY),
};

/**
 * The hot path's counters, in an Int32Array rather than `let`s: V8 checks a module `let`
 * for its temporal dead zone at every access, may box it, and puts a write barrier on its
 * stores; a typed-array element is a plain int32 at a fixed address. (Fixed only when the
 * array lives outside the JS heap: V8 keeps typed arrays of up to 64 bytes on the heap,
 * where they move, hence the unused room here and in `stampedAt`.)
 */
const reg = new Int32Array(32);
/** Slot of the frame whose code runs synchronously now, or -1. */
const CURRENT = 0;
/** Entries of `table.freeList` in use. */
const FREE_TOP = 1;
const NEXT_FRAME = 2;
const NEXT_TASK = 3;
/** Words in the event buffer. */
const WORDS = 4;
/** Events in the buffer (a `call` counts as the enter and return it stands for). */
const BUFFERED = 6;
/** Index in the buffer of the last enter event while nothing follows it, else -1. */
const LAST_ENTER = 7;
reg[LAST_ENTER] = -1;
reg[CURRENT] = -1;
reg[NEXT_FRAME] = 1;
reg[NEXT_TASK] = 1;
/** Clock value of the last time marker in the buffer (NaN: none yet in this batch). */
const stampedAt = new Float64Array(16).fill(NaN);

/** Int32 words of events held in memory before a flush (events take 2 or 3, format/events.ts). */
const BUFFER_WORDS = 65536;
/** Past this many words the buffer is flushed: room is left for a time marker and one event. */
const FLUSH_AT = BUFFER_WORDS - 5;
const events = new Int32Array(BUFFER_WORDS);

let onFull: () => void = () => {
  takeEvents(() => {});
};
let identifyError: (error: unknown) => number = () => 0;
let noteArgs: (frame: number, args: unknown[]) => void = () => {};

for (let slot = INITIAL_CAPACITY - 1; slot >= 0; slot--) table.freeList[reg[FREE_TOP]++] = slot;

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
  const n = reg[WORDS];
  const count = reg[BUFFERED];
  if (n > 0) write(events, n, count);
  reg[WORDS] = 0;
  reg[BUFFERED] = 0;
  reg[LAST_ENTER] = -1;
  stampedAt[0] = NaN;
  return count;
}

/**
 * Writes a time marker at `at` when the clock moved since the last one; returns where the
 * event goes.
 */
function stamp(at: number): number {
  if (CLOCK[1] === 0) refreshClock();
  const now = CLOCK[0];
  if (now === stampedAt[0]) return at;
  stampedAt[0] = now;
  events[at] = TIME;
  events[at + 1] = now * 1000; // µs; the int32 store wraps it modulo 2^32
  return at + 2;
}

/** Appends a two-word event. */
function push2(code: number, frame: number): void {
  const at = stamp(reg[WORDS]);
  events[at] = code;
  events[at + 1] = frame;
  reg[WORDS] = at + 2;
  reg[BUFFERED]++;
  if (at > FLUSH_AT - 2) onFull();
}

/** Appends a three-word event; returns its index in the buffer, or -1 when it was flushed. */
function push3(code: number, frame: number, arg: number): number {
  const at = stamp(reg[WORDS]);
  events[at] = code;
  events[at + 1] = frame;
  events[at + 2] = arg;
  reg[WORDS] = at + 3;
  reg[BUFFERED]++;
  if (at > FLUSH_AT - 3) {
    onFull();
    return -1;
  }
  return at;
}

/**
 * The running frame in `slot` suspends at the global await site `site`. Only emitted
 * code of the frame itself calls this (and `resumeFrame`), between its `e` and its `x`:
 * the slot is live.
 */
function suspendFrame(slot: number, site: number): void {
  const slots = table.slots;
  const at = slot * STRIDE;
  slots[at + STATE] = (slots[at + STATE] & -COUNT_STEP) + (COUNT_STEP + S_SUSPENDED);
  slots[at + SITE] = site;
  reg[CURRENT] = slots[at + OUTER];
  push2(SUSPEND + SITE_SHIFT * site, slots[at + ID]);
  table.times[slot * TIME_STRIDE + SINCE] = CLOCK[0];
}

/**
 * The frame in `slot` runs again; nothing happens when it is already current. Within the
 * clock tick of its suspension no event is written: the reader restores it.
 */
function resumeFrame(slot: number): void {
  const outer = reg[CURRENT];
  if (slot === outer) return;
  const slots = table.slots;
  const at = slot * STRIDE;
  const state = slots[at + STATE] & -COUNT_STEP;
  slots[at + OUTER] = outer;
  reg[CURRENT] = slot;
  // Until the clock worker runs, the shared time is only as fresh as the last event: the
  // resumption is written (push2 reads the real clock) rather than compared.
  if (table.times[slot * TIME_STRIDE + SINCE] !== CLOCK[0] || CLOCK[1] === 0) {
    slots[at + STATE] = state + S_RUNNING;
    push2(RESUME, slots[at + ID]);
  } else slots[at + STATE] = state + S_QUIET;
}

/** Whether `slot` holds a live frame (for callers that may outlive it). */
function live(slot: number): boolean {
  return slot >= 0 && slot < capacity && table.slots[slot * STRIDE + ID] !== 0;
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
 * hook's target and inlines these small wrappers into the instrumented function.
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
    // The iterator wrapper's callbacks may run after the frame ended: they check the slot.
    l: (slot, site, iterable) => {
      if (slot < 0) return iterable;
      const id = table.slots[slot * STRIDE + ID];
      const same = () => live(slot) && table.slots[slot * STRIDE + ID] === id;
      return wrapForAwait(iterable, {
        before: () => {
          if (same()) resumeFrame(slot);
        },
        after: () => {
          if (same()) suspendFrame(slot, awaitBase + site);
        },
      }) as typeof iterable;
    },
    // A `using` marker declared right after an `await using`: disposed first, it marks the
    // frame suspended at the site just before the awaited disposals run.
    u: (slot, site) => ({
      [Symbol.dispose]: () => {
        if (live(slot)) suspendFrame(slot, awaitBase + site);
      },
    }),
    t: throwFrame,
    x: exitFrame,
  };
}

/** A frame of function site `site` starts: returns its slot. */
function enterFrame(site: number, args: unknown[] | undefined): number {
  const slot = reg[FREE_TOP] > 0 ? table.freeList[--reg[FREE_TOP]] : grow(capacity * 2);
  const slots = table.slots;
  const id = reg[NEXT_FRAME];
  reg[NEXT_FRAME] = id === MAX_ID ? 1 : id + 1;
  const parent = reg[CURRENT];
  const at = slot * STRIDE;
  slots[at + ID] = id;
  slots[at + FN] = site;
  slots[at + STATE] = S_RUNNING;
  slots[at + OUTER] = parent;
  let link: number;
  if (parent >= 0) {
    link = slots[at + PARENT_ID] = slots[parent * STRIDE + ID];
    slots[at + TASK] = slots[parent * STRIDE + TASK];
  } else {
    link = startTask(at);
  }
  reg[CURRENT] = slot;
  reg[LAST_ENTER] = push3(ENTER + SITE_SHIFT * site, id, link);
  table.times[slot * TIME_STRIDE + START] = CLOCK[0];
  if (args !== undefined) noteArgs(id, args);
  return slot;
}

/** A root frame starts a new task: returns the enter event's link, -(task id). */
function startTask(at: number): number {
  const task = reg[NEXT_TASK];
  reg[NEXT_TASK] = task === MAX_ID ? 1 : task + 1;
  table.slots[at + TASK] = task;
  table.slots[at + PARENT_ID] = 0;
  return -task;
}

/** The frame in `slot` is ending by throwing `error`. */
function throwFrame(slot: number, error: unknown): void {
  if (!live(slot)) return;
  const slots = table.slots;
  const at = slot * STRIDE;
  const state = slots[at + STATE];
  if ((state & S_THROWN) === S_SUSPENDED) {
    // The rejection of the awaited value arrived: the frame runs again (from a microtask)
    // without `r`, so take "current" like a resume does, for `x` to hand it back right.
    slots[at + OUTER] = reg[CURRENT];
    reg[CURRENT] = slot;
  } else if ((state & S_THROWN) === S_QUIET) {
    // A throw straight after a suspension means "rejected at that await"; this frame had
    // resumed first (without an event), so say so.
    push2(RESUME, slots[at + ID]);
  }
  slots[at + STATE] = (state & -COUNT_STEP) + S_THROWN;
  push3(THROW, slots[at + ID], identifyError(error));
}

/** The frame in `slot` ends; its slot is freed. */
function exitFrame(slot: number): void {
  if (slot < 0) return;
  const slots = table.slots;
  const at = slot * STRIDE;
  const id = slots[at + ID];
  if (id === 0) return;
  const state = slots[at + STATE];
  // A frame that returns without ever having suspended may merge into a `call`.
  if (state === S_RUNNING) {
    if (!mergeIntoCall(slot, id)) push2(RETURN, id);
  } else if ((state & S_THROWN) !== S_THROWN) push2(RETURN, id);
  reg[CURRENT] = slots[at + OUTER];
  slots[at + ID] = 0;
  table.freeList[reg[FREE_TOP]++] = slot;
}

/**
 * A frame that returns without ever suspending, in the clock tick it started in, while its
 * enter event is still the last event in the buffer (`LAST_ENTER`, reset by every flush;
 * the id check rules out another frame's enter): that event becomes a `call` and no return
 * is written.
 */
function mergeIntoCall(slot: number, id: number): boolean {
  const i = reg[LAST_ENTER];
  // Until the clock worker runs, the shared time is only as fresh as the last event: no merge.
  if (i !== reg[WORDS] - 3 || events[i + 1] !== id || table.times[slot * TIME_STRIDE + START] !== CLOCK[0] || CLOCK[1] === 0) return false;
  events[i] += ENTER_TO_CALL;
  reg[BUFFERED]++;
  return true;
}

export interface PendingSlot {
  id: number;
  fn: number;
  /** Parent frame id, 0 for a task root. */
  parent: number;
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
    if (table.slots[at + ID] === 0) continue;
    const word = table.slots[at + STATE];
    const count = word >>> 2;
    const state = word & S_THROWN;
    visit({
      id: table.slots[at + ID],
      fn: table.slots[at + FN],
      parent: table.slots[at + PARENT_ID],
      task: table.slots[at + TASK],
      site: count > 0 ? table.slots[at + SITE] : 0,
      state: state === S_SUSPENDED ? SUSPENDED : state === S_THROWN ? THROWN : RUNNING,
      start: table.times[slot * TIME_STRIDE + START],
      since: table.times[slot * TIME_STRIDE + SINCE],
      suspends: count,
    });
  }
}

/** Doubles the table; returns the first new slot (the others go on the free list). */
function grow(size: number): number {
  const old = capacity;
  table.slots = resized(table.slots, size * STRIDE);
  table.times = resized(table.times, size * TIME_STRIDE);
  table.freeList = resized(table.freeList, size);
  capacity = size;
  for (let slot = size - 1; slot > old; slot--) table.freeList[reg[FREE_TOP]++] = slot;
  return old;
}

function resized<T extends Float64Array | Int32Array>(array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}
