/**
 * The recorder: a fixed-size buffer of events on the hot path, side records (site
 * tables, errors, argument previews) queued beside it, and flushes of both to the trace
 * file in batches — when the buffer fills, on a timer, and at exit. Memory stays bounded:
 * the buffer never grows, and what the file cap or a failing disk refuses is counted in
 * a `dropped` record, never lost silently.
 */

import { EVENT_FIELDS, EventKind } from '../format/events';
import {
  RecordType,
  TRACE_FORMAT_VERSION,
  encodeEventsRecord,
  encodeJsonRecord,
  eventsRecordSize,
  type ArgsRecord,
  type ErrorInfo,
  type FileSiteTable,
  type HeaderRecord,
  type SnapshotRecord,
} from '../format';
import { clockMs, refreshClock, startEpoch } from './clock';
import type { InspectorOptions } from './config';
import { TraceFile } from './trace-file';

/** Events held in memory before a flush (16 bytes each). */
export const BUFFER_EVENTS = 16384;
/** Bytes of the file cap kept back for site tables, errors, snapshots and the end record. */
const MAX_RESERVE_BYTES = 1024 * 1024;
let reserveBytes = MAX_RESERVE_BYTES;

const FIELDS = EVENT_FIELDS; // a local constant: see frames.ts
const buffer = new Int32Array(BUFFER_EVENTS * FIELDS);
let count = 0;
/** Events handed to flushes so far (written or dropped): the absolute index of buffer[0]. */
let flushedBefore = 0;
let written = 0;
let dropped = 0;
let droppedReason = '';
let droppedReported = 0;
let sideRecords: Buffer[] = [];
let pendingErrors: ErrorInfo[] = [];
let pendingArgs: ArgsRecord['frames'] = [];
let file: TraceFile | undefined;
let options: InspectorOptions | undefined;
let timer: NodeJS.Timeout | undefined;

/**
 * Appends one event. The hot path: four stores and a compare. The time is stored in
 * microseconds modulo 2^32 (the int32 store wraps it); the reader restores it from the
 * batch's flush time (format/events.ts).
 */
export function record(code: number, frame: number, arg: number): void {
  const i = count * FIELDS;
  if (clockMs[1] === 0) refreshClock();
  buffer[i] = code;
  buffer[i + 1] = frame;
  buffer[i + 2] = arg;
  buffer[i + 3] = clockMs[0] * 1000;
  if (++count === BUFFER_EVENTS) flush();
}

export function startRecording(opts: InspectorOptions): void {
  options = opts;
  reserveBytes = Math.min(MAX_RESERVE_BYTES, Math.floor(opts.maxFileBytes / 4));
  file = new TraceFile(opts.dir, opts.maxFileBytes, opts.maxFiles);
  const header: HeaderRecord = {
    format: TRACE_FORMAT_VERSION,
    runtime: runtimeVersion(),
    pid: process.pid,
    argv: process.argv.slice(),
    cwd: process.cwd(),
    startTime: startEpoch,
    node: process.version,
    mode: 'development',
  };
  sideRecords.push(encodeJsonRecord(RecordType.header, header));
  // Create the file now, so that it exists (and a viewer can find it) from the start.
  flush();
  timer = setInterval(flush, opts.flushIntervalMs);
  timer.unref();
}

export function queueSites(base: number, table: FileSiteTable): void {
  sideRecords.push(encodeJsonRecord(RecordType.sites, { base, table }));
}

export function queueError(info: ErrorInfo): void {
  pendingErrors.push(info);
}

export function queueArgs(frame: number, args: string[]): void {
  pendingArgs.push({ frame, args });
}

/** Absolute index (int32, wrapping) the next recorded event will get. */
export function nextEventIndex(): number {
  return (flushedBefore + count) | 0;
}

const ENTER_TO_CALL = EventKind.call - EventKind.enter;

/**
 * Turns the `enter` event at absolute index `index` into a `call` (enter + return in one
 * tick) when it is still in the buffer and belongs to `frame`; false otherwise.
 */
export function mergeIntoCall(index: number, frame: number): boolean {
  const i = (index - (flushedBefore | 0)) | 0;
  if (i < 0 || i >= count) return false;
  const at = i * FIELDS;
  if (buffer[at + 1] !== frame) return false;
  buffer[at] += ENTER_TO_CALL;
  return true;
}

/** Writes everything buffered. Called from the hot path when the buffer is full; never throws. */
export function flush(): void {
  try {
    if (pendingErrors.length > 0) {
      sideRecords.push(encodeJsonRecord(RecordType.errors, { errors: pendingErrors }));
      pendingErrors = [];
    }
    if (pendingArgs.length > 0) {
      sideRecords.push(encodeJsonRecord(RecordType.args, { frames: pendingArgs }));
      pendingArgs = [];
    }
    if (sideRecords.length > 0) {
      const side = sideRecords.length === 1 ? sideRecords[0] : Buffer.concat(sideRecords);
      sideRecords = [];
      writeOrDrop(side, 0, 'side records');
    }
    if (count > 0) {
      const fits = file !== undefined && file.room(reserveBytes) >= eventsRecordSize(count);
      if (!fits && file?.writable) droppedReason = `trace file reached its size cap (${options?.maxFileBytes} bytes)`;
      if (fits && file!.append(...encodeEventsRecord(buffer, count, clockNowForBatch()))) written += count;
      else {
        dropped += count;
        if (!file?.writable) droppedReason ||= 'writing the trace file failed';
      }
      flushedBefore += count;
      count = 0;
    }
    if (dropped !== droppedReported && file?.writable) {
      droppedReported = dropped;
      writeOrDrop(encodeJsonRecord(RecordType.dropped, { events: dropped, reason: droppedReason }), 0, '');
    }
  } catch {
    // The recorder must never break the program; what was not written is counted.
    dropped += count;
    flushedBefore += count;
    count = 0;
  }
}

/** Writes a snapshot (after flushing events, so the snapshot follows them). */
export function writeSnapshot(snapshot: SnapshotRecord): void {
  flush();
  writeOrDrop(encodeJsonRecord(RecordType.snapshot, snapshot), 0, 'snapshot');
}

/** Final flush and end record; the file stays open for a later snapshot (signals, crash). */
export function writeEnd(time: number): void {
  flush();
  writeOrDrop(encodeJsonRecord(RecordType.end, { time, events: written, droppedEvents: dropped }), 0, 'end');
}

export function stopTimer(): void {
  if (timer) clearInterval(timer);
  timer = undefined;
}

export function tracePath(): string | undefined {
  return file?.path;
}

export function recorderStats(): { written: number; dropped: number; buffered: number } {
  return { written, dropped, buffered: count };
}

function writeOrDrop(data: Buffer, reserve: number, reasonIfFull: string): boolean {
  if (!file) return false;
  if (!file.writable) {
    droppedReason ||= 'the trace file could not be written';
    return false;
  }
  if (file.room(reserve) < data.length) {
    if (reasonIfFull) droppedReason = reasonIfFull;
    return false;
  }
  const ok = file.append(data);
  if (!ok) droppedReason = 'writing the trace file failed';
  return ok;
}

/** The batch's reference time: not before any of its events. */
function clockNowForBatch(): number {
  refreshClock();
  return clockMs[0];
}

function runtimeVersion(): string {
  try {
    // dist/runtime/recorder.js → package.json two levels up.
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
