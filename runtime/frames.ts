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
 * These functions are the per-call and per-await cost of the whole product: plain
 * stores, no allocation, no clock read (see clock.ts), no user code touched.
 */

import { EventKind, KIND_BITS } from '../format';
import { now } from './clock';
import { record } from './recorder';

export const FREE = 0;
export const RUNNING = 1;
export const SUSPENDED = 2;
export const THROWN = 3;

let capacity = 0;
let ids = new Float64Array(0);
let fnSite = new Int32Array(0);
let parentSlot = new Int32Array(0);
let parentId = new Float64Array(0);
let taskOf = new Float64Array(0);
let awaitSite = new Int32Array(0);
let state = new Uint8Array(0);
let startTime = new Float64Array(0);
let sinceTime = new Float64Array(0);
let suspendCount = new Int32Array(0);
let outer = new Int32Array(0);
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
  const id = nextFrameId++;
  const t = now();
  const parent = current;
  ids[slot] = id;
  fnSite[slot] = fn;
  state[slot] = RUNNING;
  awaitSite[slot] = 0;
  suspendCount[slot] = 0;
  startTime[slot] = t;
  outer[slot] = parent;
  let link: number;
  if (parent >= 0) {
    parentSlot[slot] = parent;
    link = parentId[slot] = ids[parent];
    taskOf[slot] = taskOf[parent];
  } else {
    parentSlot[slot] = -1;
    parentId[slot] = 0;
    const task = nextTaskId++;
    taskOf[slot] = task;
    link = -task;
  }
  current = slot;
  record(EventKind.enter + KIND_BITS * fn, id, link, t);
  return slot;
}

/** The frame in `slot` suspends at await site `site`. */
export function suspend(slot: number, site: number): void {
  if (slot < 0 || ids[slot] === 0) return;
  const t = now();
  state[slot] = SUSPENDED;
  awaitSite[slot] = site;
  suspendCount[slot]++;
  sinceTime[slot] = t;
  current = outer[slot];
  record(EventKind.suspend + KIND_BITS * site, ids[slot], 0, t);
}

/** The frame in `slot` runs again; nothing happens when it is already current. */
export function resume(slot: number): void {
  if (slot < 0 || slot === current || ids[slot] === 0) return;
  outer[slot] = current;
  current = slot;
  state[slot] = RUNNING;
  record(EventKind.resume, ids[slot], 0, now());
}

/** The frame in `slot` is ending by throwing the error with id `errorId`. */
export function fail(slot: number, errorId: number): void {
  if (slot < 0 || ids[slot] === 0) return;
  state[slot] = THROWN;
  record(EventKind.throw, ids[slot], errorId, now());
}

/** The frame in `slot` ends; its slot is freed. */
export function exit(slot: number): void {
  if (slot < 0 || ids[slot] === 0) return;
  if (state[slot] !== THROWN) record(EventKind.return, ids[slot], 0, now());
  current = outer[slot];
  ids[slot] = 0;
  state[slot] = FREE;
  freeList[freeTop++] = slot;
}

/** The slot arrays as they are now, for snapshots (read-only use; they are replaced when the table grows). */
export function readFrameTable() {
  return { capacity, ids, fnSite, parentSlot, parentId, taskOf, awaitSite, state, startTime, sinceTime, suspendCount };
}

export type FrameTable = ReturnType<typeof readFrameTable>;

/** Frame id of a slot, 0 when free. */
export function frameIdOf(slot: number): number {
  return slot >= 0 && slot < capacity ? ids[slot] : 0;
}

/** Doubles every array; returns the first new slot (the others go on the free list). */
function grow(size: number): number {
  const old = capacity;
  ids = resized(ids, size);
  fnSite = resized(fnSite, size);
  parentSlot = resized(parentSlot, size);
  parentId = resized(parentId, size);
  taskOf = resized(taskOf, size);
  awaitSite = resized(awaitSite, size);
  state = resized(state, size);
  startTime = resized(startTime, size);
  sinceTime = resized(sinceTime, size);
  suspendCount = resized(suspendCount, size);
  outer = resized(outer, size);
  freeList = resized(freeList, size);
  capacity = size;
  for (let slot = size - 1; slot > old; slot--) freeList[freeTop++] = slot;
  return old;
}

function resized<T extends Float64Array | Int32Array | Uint8Array>(array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}
