/**
 * The runtime's one helper thread. It does the small jobs that the program's thread
 * should not: it ticks the shared clock (clock.ts) about every millisecond, appends the
 * event segments the recorder queues (event-ring.ts) to the trace file, and asks for the
 * periodic flush. Anything that goes wrong in it ends up as a flag the recorder reads (a
 * failed write's errno, events lost); it never throws into the program.
 */

import { clockMs, startEpoch, stopTicking } from './clock';
import { CONTROL, SEGMENTS, SEGMENT_FIELDS, SEGMENT_FREE, SEGMENT_QUEUED, control, ring } from './event-ring';

const TICK_MS = 1;
/**
 * Writes go out in pieces of this size with a clock tick after each: the clock never
 * stands still for longer than one piece takes (some microseconds; more only when the
 * kernel makes writers wait for the disk).
 */
const WRITE_CHUNK_BYTES = 65536;

// Plain JavaScript run with `eval: true`; the layout constants come from event-ring.ts.
const helperSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const clock = new Float64Array(workerData.clock);
const control = new Int32Array(workerData.control);
const bytes = new Uint8Array(workerData.ring);
const origin = performance.timeOrigin - workerData.startEpoch;
function tick() {
  clock[0] = origin + performance.now();
  clock[1] = 1;
}
function writeSegment(at) {
  if (Atomics.load(control, ${CONTROL.stop}) !== 0 || Atomics.load(control, ${CONTROL.failedErrno}) !== 0) {
    Atomics.add(control, ${CONTROL.failedEvents}, control[at + 3]);
    return;
  }
  try {
    const fd = control[${CONTROL.fd}];
    const end = control[at + 1] + control[at + 2];
    for (let offset = control[at + 1]; offset < end; ) {
      offset += writeSync(fd, bytes, offset, Math.min(${WRITE_CHUNK_BYTES}, end - offset));
      tick();
    }
  } catch (error) {
    const errno = error && typeof error.errno === 'number' && error.errno < 0 ? error.errno : -1;
    Atomics.store(control, ${CONTROL.failedErrno}, errno);
    Atomics.add(control, ${CONTROL.failedEvents}, control[at + 3]);
  }
  tick();
}
function oldestQueued() {
  let oldest = -1;
  for (let i = 0; i < ${SEGMENTS}; i++) {
    const at = ${CONTROL.segmentBase} + ${SEGMENT_FIELDS} * i;
    if (Atomics.load(control, at) === ${SEGMENT_QUEUED} && (oldest < 0 || control[at + 4] < control[oldest + 4])) oldest = at;
  }
  return oldest;
}
let flushedAt = 0;
function askForFlush() {
  const every = control[${CONTROL.flushEveryMs}];
  if (every <= 0 || clock[0] - flushedAt < every) return;
  flushedAt = clock[0];
  parentPort.postMessage(0);
}
try {
  Atomics.store(control, ${CONTROL.ready}, 1);
  for (;;) {
    const woken = Atomics.load(control, ${CONTROL.wake});
    tick();
    for (let at = oldestQueued(); at >= 0; at = oldestQueued()) {
      writeSegment(at);
      Atomics.store(control, at, ${SEGMENT_FREE});
      Atomics.notify(control, at);
    }
    askForFlush();
    Atomics.wait(control, ${CONTROL.wake}, woken, ${TICK_MS});
  }
} catch {
  // Should not happen; if it does, the program must not wait for this thread.
  Atomics.store(control, ${CONTROL.ready}, 0);
  clock[0] = NaN;
  clock[1] = 0;
  for (let i = 0; i < ${SEGMENTS}; i++) {
    const at = ${CONTROL.segmentBase} + ${SEGMENT_FIELDS} * i;
    if (Atomics.load(control, at) !== ${SEGMENT_QUEUED}) continue;
    Atomics.add(control, ${CONTROL.failedEvents}, control[at + 3]);
    Atomics.store(control, at, ${SEGMENT_FREE});
    Atomics.notify(control, at);
  }
}
`;

let started = false;

export interface HelperCallbacks {
  /** The helper asks for a periodic flush (see `CONTROL.flushEveryMs`). */
  flushDue(): void;
  /** The helper could not start, or stopped: this thread has to do its jobs. */
  lost(): void;
}

/**
 * Starts the helper once; never throws (without it, the clock and the writes stay on this
 * thread). Its flush requests arrive as messages, handled in the event loop's poll phase:
 * unlike a timer of this thread, they never fall due in the same turn as the program's
 * own timers, which would change where Node drains those timers' promise jobs (and what
 * an error's stack shows).
 */
export function startHelperThread(callbacks: HelperCallbacks): void {
  if (started) return;
  started = true;
  try {
    // Loaded here, not at the top: a program with recording off never pays for it.
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    const worker = new Worker(helperSource, {
      eval: true,
      workerData: { clock: clockMs.buffer, control: control.buffer, ring: ring.buffer, startEpoch },
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
      stdout: true,
      stderr: true,
    });
    worker.on('message', () => callbacks.flushDue());
    worker.unref(); // after the listener, which would otherwise keep the process alive
    const stopped = () => {
      stopTicking();
      Atomics.store(control, CONTROL.ready, 0);
      callbacks.lost();
    };
    worker.on('error', stopped);
    worker.on('exit', stopped);
  } catch {
    stopTicking();
    callbacks.lost();
  }
}
