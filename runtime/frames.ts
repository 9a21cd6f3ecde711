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
 * clock read (clock.ts), no user code. What makes the hooks cheap is that V8 can inline
 * them into the instrumented functions, which it does only while the inlined bytecode
 * stays within a budget (about 900 bytes per compiled function, counting what the hook
 * itself inlined). So the code here is written small: field and register indexes and
 * event codes are `const enum`s, which compile to literal numbers (a module constant
 * costs a context load and a hole check per use); each hook has one call site per event
 * it may write; rare paths are calls. Where a hook is not inlined, it should at least be
 * short: indexes are built so that they need no overflow checks (see `Slot`), and no value
 * a hook works with comes back from a call (see `push2`). And every array and counter they
 * touch sits at an address V8 knows when it compiles them (see `table` and `reg`). Frame
 * and task ids are 31-bit counters that wrap; the trace reader undoes the wrap
 * (format/events.ts).
 */

import { EventKind, KIND_BITS } from '../format/events';
import { clockMs, startEpoch } from './clock';
import { HEAD_WORDS, SEGMENTS, SEGMENT_WORDS, ring, waitForSegment } from './event-ring';
import { wrapForAwait } from './for-await';

export const RUNNING = 1;
const SUSPENDED = 2;
const THROWN = 3;

/** Event codes as format/events.ts defines them (checked below): (site << Ev.siteBits) | kind. */
const enum Ev {
  enter = 1,
  suspend = 2,
  resume = 3,
  return = 4,
  throw = 5,
  call = 6,
  time = 7,
  settle = 8,
  abandon = 9,
  /** KIND_BITS is 1 << siteBits. */
  siteBits = 4,
  kindMask = 15,
}
if (
  EventKind.enter !== Ev.enter ||
  EventKind.suspend !== Ev.suspend ||
  EventKind.resume !== Ev.resume ||
  EventKind.return !== Ev.return ||
  EventKind.throw !== Ev.throw ||
  EventKind.call !== Ev.call ||
  EventKind.time !== Ev.time ||
  EventKind.settle !== Ev.settle ||
  EventKind.abandon !== Ev.abandon ||
  KIND_BITS !== 1 << Ev.siteBits ||
  Ev.kindMask !== KIND_BITS - 1
) {
  throw new Error('async-inspect runtime: event codes differ from format/events.ts');
}

/** The shared clock (clock.ts), held locally: a property load through another module per event costs more than the event itself. */
const CLOCK = clockMs;
const MAX_ID = 0x7fffffff;

/**
 * Int32 fields of a slot, at (slot << Slot.shift) | field. Indexes are built with shifts
 * and `|`, which cannot overflow, so V8 compiles them without the overflow checks a `*` or
 * `+` needs. Field 2 is unused (eight fields: a power of two).
 */
const enum Slot {
  shift = 3,
  id = 0,
  fn = 1,
  parentId = 3,
  task = 4,
  site = 5,
  /** The frame's state in one word: 4 * (suspensions so far) + a `State`, so that a suspension is one load and one store. */
  state = 6,
  outer = 7,
}

/**
 * A frame's state. A resumption within the clock tick of the suspension (the common case)
 * writes nothing, not even the state: the frame then still reads `suspended` while it
 * runs. What tells that it runs is that it is current, or the outer of one that is (see
 * `throwFrame` and `forEachPendingFrame`).
 */
const enum State {
  /** Running; it either never suspended or resumed with an event. */
  running = 0,
  suspended = 2,
  thrown = 3,
  /** The bits of the state word that hold the state. */
  mask = 3,
  /** One suspension more, in the count of a state word. */
  countStep = 4,
}

/** Float64 fields (ms), at (slot << Time.shift) | field. */
const enum Time {
  shift = 1,
  start = 0,
  since = 1,
}

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
  slots: new Int32Array(INITIAL_CAPACITY << Slot.shift),
  times: new Float64Array(INITIAL_CAPACITY << Time.shift),
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
/** Indexes in `reg`. */
const enum Reg {
  /** Slot of the frame whose code runs synchronously now, or -1. */
  current = 0,
  /** Entries of `table.freeList` in use. */
  freeTop = 1,
  nextFrame = 2,
  nextTask = 3,
  /** Position in `events` where the next event goes. */
  words = 4,
  /** An event that ends past this position flushes the segment: up to here, a time marker and one more event fit. */
  limit = 5,
  /** Events in the buffer (a `call` counts as the enter and return it stands for, a `settle` as suspend and return). */
  buffered = 6,
  /** Index in the buffer of the last event (not counting time markers), or -1 after a flush. */
  last = 7,
  /** The ring segment being filled. */
  segment = 8,
}
reg[Reg.last] = -1;
reg[Reg.current] = -1;
reg[Reg.nextFrame] = 1;
reg[Reg.nextTask] = 1;
/**
 * [0]: time of the last time marker in the buffer (NaN: none yet in this batch);
 * [1]: time of the last event written (what frames record as their start or since).
 */
const stampedAt = new Float64Array(16).fill(NaN);

/**
 * The event buffer: the shared ring (event-ring.ts), filled one segment at a time. Events
 * take 2 or 3 words (format/events.ts); a segment's first HEAD_WORDS are kept for its
 * record head.
 */
const events = ring;
startSegment(0);

/** Makes `segment` (free) the one the hot path fills. */
function startSegment(segment: number): void {
  reg[Reg.segment] = segment;
  reg[Reg.words] = segment * SEGMENT_WORDS + HEAD_WORDS;
  reg[Reg.limit] = (segment + 1) * SEGMENT_WORDS - 5;
}

let onFull: () => void = () => {
  takeEvents(() => {});
};
let identifyError: (error: unknown) => number = () => 0;
let noteArgs: (frame: number, args: unknown[]) => void = () => {};
let watchGenerator: (token: object, slot: number, id: number) => void = () => {};

for (let slot = INITIAL_CAPACITY - 1; slot >= 0; slot--) table.freeList[reg[Reg.freeTop]++] = slot;

/** Wires the hot path to the recorder and the error table (inspector.ts). */
export function connectFrames(options: {
  onBufferFull: () => void;
  errorId: (error: unknown) => number;
  args: (frame: number, args: unknown[]) => void;
  /** Called when an async generator's frame starts, with the token that lives as long as the generator runs or waits. */
  watchGenerator: (token: object, slot: number, id: number) => void;
}): void {
  onFull = options.onBufferFull;
  identifyError = options.errorId;
  noteArgs = options.args;
  watchGenerator = options.watchGenerator;
}

/**
 * Hands the buffered events to `write` — their words as a view of the current ring
 * segment, which `write` may queue for the helper thread (event-ring.ts) — and goes on in
 * the next segment once it is free. Returns the event count.
 */
export function takeEvents(write: (segment: number, stream: Int32Array, events: number) => void): number {
  const segment = reg[Reg.segment];
  const first = segment * SEGMENT_WORDS + HEAD_WORDS;
  const count = reg[Reg.buffered];
  reg[Reg.buffered] = 0;
  reg[Reg.last] = -1;
  stampedAt[0] = NaN;
  if (reg[Reg.words] === first) return count;
  write(segment, events.subarray(first, reg[Reg.words]), count);
  const next = (segment + 1) % SEGMENTS;
  // The helper thread writes segments in order; a stalled helper is given up on inside.
  waitForSegment(next);
  startSegment(next);
  return count;
}

/**
 * Writes a time marker when the clock moved since the last one. The shared time is NaN
 * while the helper thread does not tick it (clock.ts), which never equals anything: every
 * event then goes through `writeTime`.
 */
function stamp(): void {
  if (CLOCK[0] !== stampedAt[0]) writeTime();
}

/**
 * Writes a time marker (unless the time did not move). Apart from `stamp` because, while
 * the clock ticks, it runs about once per tick, not per event: V8 then leaves it out of
 * the hooks it inlines. Without the ticking clock the time is read here, from `Date.now()`
 * (a builtin that stays small where it is inlined, unlike `performance.now()`), at
 * millisecond resolution.
 */
function writeTime(): void {
  let now = CLOCK[0];
  if (now !== now) now = Date.now() - startEpoch;
  stampedAt[1] = now;
  if (now === stampedAt[0]) return;
  stampedAt[0] = now;
  const at = reg[Reg.words];
  events[at] = Ev.time;
  events[at + 1] = now * 1000; // µs; the int32 store wraps it modulo 2^32
  reg[Reg.words] = at + 2;
}

/*
 * The appends return nothing and take no value from a call: a value that crosses a call
 * V8 did not inline arrives tagged (small integer or heap number) and has to be checked
 * and converted, while a typed-array element is always a plain int32.
 */

/** Appends a two-word event, after a time marker if due. */
function push2(code: number, frame: number): void {
  stamp();
  const at = reg[Reg.words];
  reg[Reg.last] = at;
  events[at] = code;
  events[at + 1] = frame;
  const end = at + 2;
  reg[Reg.words] = end;
  reg[Reg.buffered]++;
  if (end > reg[Reg.limit]) onFull();
}

/** Appends a three-word event, after a time marker if due. */
function push3(code: number, frame: number, arg: number): void {
  stamp();
  const at = reg[Reg.words];
  reg[Reg.last] = at;
  events[at] = code;
  events[at + 1] = frame;
  events[at + 2] = arg;
  const end = at + 3;
  reg[Reg.words] = end;
  reg[Reg.buffered]++;
  if (end > reg[Reg.limit]) onFull();
}

/**
 * The running frame in `slot` suspends at the global await site `awaitSite`. Only emitted
 * code of the frame itself calls this (and `resumeFrame`), between its `e` and its `x`:
 * the slot is live.
 */
function suspendFrame(slot: number, awaitSite: number): void {
  const site = awaitSite | 0; // an int32 from here on (see `push2`)
  const slots = table.slots;
  const at = slot << Slot.shift;
  slots[at | Slot.state] = (slots[at | Slot.state] & -State.countStep) + (State.countStep + State.suspended);
  slots[at | Slot.site] = site;
  reg[Reg.current] = slots[at | Slot.outer];
  push2((site << Ev.siteBits) | Ev.suspend, slots[at | Slot.id]);
  table.times[(slot << Time.shift) | Time.since] = stampedAt[1];
}

/**
 * The frame in `slot` runs again; nothing happens when it is already current. Within the
 * clock tick of its suspension nothing is written (the reader restores the resumption);
 * while the clock does not tick (NaN, never equal), the resumption is always written.
 */
function resumeFrame(slot: number): void {
  const outer = reg[Reg.current];
  if (slot === outer) return;
  const at = slot << Slot.shift;
  table.slots[at | Slot.outer] = outer;
  reg[Reg.current] = slot;
  if (table.times[(slot << Time.shift) | Time.since] !== CLOCK[0]) writeResume(at);
}

/** Writes the resumption of the frame at `at` (from `resumeFrame`, or `throwFrame` for a frame that resumed without one). */
function writeResume(at: number): void {
  const slots = table.slots;
  slots[at | Slot.state] &= -State.countStep;
  push2(Ev.resume, slots[at | Slot.id]);
}

/** Whether `slot` holds a live frame (for callers that may outlive it). */
function live(slot: number): boolean {
  return slot >= 0 && slot < capacity && table.slots[(slot << Slot.shift) | Slot.id] !== 0;
}

/** What emitted code calls (docs/internals.md, section 1). */
export interface Hooks {
  /**
   * Whether these hooks record (ABI 3). Emitted code guards its hook calls with it, so that
   * with recording off V8 folds every call away (docs/internals.md, section 1).
   */
  readonly o: boolean;
  e(fn: number, args?: unknown[]): number;
  g(fn: number, token: object, args?: unknown[]): number;
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
    o: true,
    e: (fn, args) => enterFrame(base + fn, args),
    // An async generator's frame: its code keeps `token` alive until the frame ends (it
    // hands it to `x`), so the token is collected only with a generator dropped mid-way.
    g: (fn, token, args) => {
      const slot = enterFrame(base + fn, args);
      watchGenerator(token, slot, table.slots[(slot << Slot.shift) | Slot.id]);
      return slot;
    },
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
      const id = table.slots[(slot << Slot.shift) | Slot.id];
      const same = () => live(slot) && table.slots[(slot << Slot.shift) | Slot.id] === id;
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

/** A frame of function site `fnSite` starts: returns its slot. */
function enterFrame(fnSite: number, args: unknown[] | undefined): number {
  const site = fnSite | 0; // an int32 from here on (see `push2`)
  if (reg[Reg.freeTop] === 0) grow(capacity * 2);
  const slot = table.freeList[--reg[Reg.freeTop]];
  const slots = table.slots;
  const id = reg[Reg.nextFrame];
  reg[Reg.nextFrame] = id === MAX_ID ? 1 : id + 1;
  const parent = reg[Reg.current];
  const at = slot << Slot.shift;
  slots[at | Slot.id] = id;
  slots[at | Slot.fn] = site;
  slots[at | Slot.state] = State.running;
  slots[at | Slot.outer] = parent;
  // The enter event's link: the parent's id, or -(task id) for the root of a new task.
  let link: number;
  if (parent >= 0) {
    const parentAt = parent << Slot.shift;
    slots[at | Slot.task] = slots[parentAt | Slot.task];
    link = slots[at | Slot.parentId] = slots[parentAt | Slot.id];
  } else {
    startTask(at);
    link = -slots[at | Slot.task];
  }
  reg[Reg.current] = slot;
  push3((site << Ev.siteBits) | Ev.enter, id, link);
  table.times[(slot << Time.shift) | Time.start] = stampedAt[1];
  if (args !== undefined) noteArgs(id, args);
  return slot;
}

/** A root frame at `at` starts a new task. */
function startTask(at: number): void {
  const task = reg[Reg.nextTask];
  reg[Reg.nextTask] = task === MAX_ID ? 1 : task + 1;
  table.slots[at | Slot.task] = task;
  table.slots[at | Slot.parentId] = 0;
}

/** The frame in `slot` is ending by throwing `error`. */
function throwFrame(slot: number, error: unknown): void {
  if (!live(slot)) return;
  const slots = table.slots;
  const at = slot << Slot.shift;
  const state = slots[at | Slot.state];
  if (reg[Reg.current] !== slot) {
    // Not current: the rejection of the awaited value arrived, and the frame runs again
    // (from a microtask) without `r`. Take "current" like a resume does, for `x` to hand it
    // back right.
    slots[at | Slot.outer] = reg[Reg.current];
    reg[Reg.current] = slot;
  } else if ((state & State.mask) === State.suspended) {
    // Current but still marked suspended: it resumed without an event. A throw straight
    // after a suspension means "rejected at that await", so say that it resumed first.
    writeResume(at);
  }
  slots[at | Slot.state] = (state & -State.countStep) + State.thrown;
  push3(Ev.throw, slots[at | Slot.id], identifyError(error));
}

/** The frame in `slot` ends; its slot is freed. */
function exitFrame(slot: number): void {
  if (slot < 0) return;
  const slots = table.slots;
  const at = slot << Slot.shift;
  const id = slots[at | Slot.id];
  if (id === 0) return;
  // A thrown frame wrote its end already.
  if ((slots[at | Slot.state] & State.mask) !== State.thrown) writeReturn(id);
  reg[Reg.current] = slots[at | Slot.outer];
  slots[at | Slot.id] = 0;
  table.freeList[reg[Reg.freeTop]++] = slot;
}

/**
 * Writes the return of frame `id`, or merges it into the last event when that is the
 * frame's own enter (it never suspended: the enter becomes a `call`) or its own suspend
 * (it resumed without an event, within the same clock tick: the suspend becomes a
 * `settle`), and the clock has not moved since (NaN while it does not tick: no merge).
 * "Last" is exact: every event notes its position, a flush resets it.
 */
function writeReturn(id: number): void {
  const i = reg[Reg.last];
  if (i >= 0 && events[i + 1] === id && CLOCK[0] === stampedAt[0]) {
    const kind = events[i] & Ev.kindMask;
    if (kind === Ev.enter || kind === Ev.suspend) {
      events[i] += kind === Ev.enter ? Ev.call - Ev.enter : Ev.settle - Ev.suspend;
      reg[Reg.buffered]++;
      return;
    }
  }
  push2(Ev.return, id);
}

/**
 * The async generator of the frame `id` in `slot` was garbage-collected. When the frame
 * still waits for its consumer (`waitsForConsumer` says so of the site it is suspended
 * at: a `yield`), nothing can ever resume it: it ends as abandoned and its slot is freed,
 * so that a program that drops generators mid-way does not make the table grow. A frame
 * suspended at an `await` stays: a promise that can no longer settle is a stuck await, the
 * thing the final snapshot is there to show.
 */
export function abandonFrame(slot: number, id: number, waitsForConsumer: (site: number) => boolean): void {
  if (!live(slot)) return;
  const slots = table.slots;
  const at = slot << Slot.shift;
  if (slots[at | Slot.id] !== id || (slots[at | Slot.state] & State.mask) !== State.suspended) return;
  if (runningSlots().has(slot)) return;
  const site = slots[at | Slot.site];
  if (!waitsForConsumer(site)) return;
  push2((site << Ev.siteBits) | Ev.abandon, id);
  slots[at | Slot.id] = 0;
  table.freeList[reg[Reg.freeTop]++] = slot;
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
  const running = runningSlots();
  for (let slot = 0; slot < capacity; slot++) {
    const at = slot << Slot.shift;
    if (table.slots[at | Slot.id] === 0) continue;
    const word = table.slots[at | Slot.state];
    const count = word >>> 2;
    const state = running.has(slot) && (word & State.mask) === State.suspended ? State.running : word & State.mask;
    visit({
      id: table.slots[at | Slot.id],
      fn: table.slots[at | Slot.fn],
      parent: table.slots[at | Slot.parentId],
      task: table.slots[at | Slot.task],
      site: count > 0 ? table.slots[at | Slot.site] : 0,
      state: state === State.suspended ? SUSPENDED : state === State.thrown ? THROWN : RUNNING,
      start: table.times[(slot << Time.shift) | Time.start],
      since: table.times[(slot << Time.shift) | Time.since],
      suspends: count,
    });
  }
}

/** The slots of the frames that run now: the current one and its outers. */
function runningSlots(): Set<number> {
  const running = new Set<number>();
  for (let slot = reg[Reg.current]; live(slot) && !running.has(slot); slot = table.slots[(slot << Slot.shift) | Slot.outer]) running.add(slot);
  return running;
}

/** Grows the table to `size` slots; the new ones go on the free list. */
function grow(size: number): void {
  const old = capacity;
  table.slots = resized(table.slots, size << Slot.shift);
  table.times = resized(table.times, size << Time.shift);
  table.freeList = resized(table.freeList, size);
  capacity = size;
  for (let slot = size - 1; slot >= old; slot--) table.freeList[reg[Reg.freeTop]++] = slot;
}

function resized<T extends Float64Array | Int32Array>(array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}
