/**
 * The recorder: side records (site tables, errors, argument previews) queued beside the
 * hot path's fixed-size event buffer (frames.ts), and flushes of both to the trace file
 * in batches — when the buffer fills, periodically, and at exit. Memory stays bounded:
 * the buffer never grows, and what the file cap or a failing disk refuses is counted in
 * a `dropped` record, never lost silently.
 */

// From the format's parts rather than its index: the index also loads the reader, which
// the program's process never needs (start-up time).
import { RecordType, TRACE_FORMAT_VERSION, type ArgsRecord, type ErrorInfo, type HeaderRecord, type SnapshotRecord } from '../format/records';
import type { FileSiteTable } from '../format/sites';
import { EVENTS_HEAD_BYTES, encodeEventsRecord, encodeJsonRecord, eventsRecordSize, writeEventsHead } from '../format/writer';
import { hostname } from 'node:os';
import { getSystemErrorName } from 'node:util';
import { preciseNow, startEpoch } from './clock';
import type { InspectorOptions } from './config';
import { CONTROL, STALLED, control, drainRing, helperWrites, queueSegment, ring, takeHelperFailure } from './event-ring';
import { takeEvents } from './frames';
import { TraceFile } from './trace-file';

/** Bytes of the file cap kept back for site tables, errors, snapshots and the end record. */
const MAX_RESERVE_BYTES = 1024 * 1024;
let reserveBytes = MAX_RESERVE_BYTES;
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

export function startRecording(opts: InspectorOptions, v8Flags: string[] = []): void {
  options = opts;
  reserveBytes = Math.min(MAX_RESERVE_BYTES, Math.floor(opts.maxFileBytes / 4));
  file = new TraceFile(opts.dir, opts.maxFileBytes, opts.maxFiles);
  const header: HeaderRecord = {
    format: TRACE_FORMAT_VERSION,
    runtime: runtimeVersion(),
    pid: process.pid,
    host: hostname(),
    argv: process.argv.slice(),
    cwd: process.cwd(),
    startTime: startEpoch,
    node: process.version,
    mode: 'development',
  };
  if (v8Flags.length > 0) header.v8Flags = v8Flags;
  sideRecords.push(encodeJsonRecord(RecordType.header, header));
  // Create the file now, so that it exists (and a viewer can find it) from the start.
  flush();
  // Periodic flushes, for viewers that follow a running program: asked for by the helper
  // thread (helper-thread.ts), or from a timer when there is none (`flushOnTimer`).
  control[CONTROL.flushEveryMs] = Math.max(1, Math.round(opts.flushIntervalMs));
  if (!helperRuns) flushOnTimer();
}

let helperRuns = true;

/**
 * Without the helper thread, periodic flushes come from an unref'd timer of this thread
 * (which can fall due in the same turn as the program's timers, see README limits).
 */
export function flushOnTimer(): void {
  helperRuns = false;
  if (timer || !options) return;
  timer = setInterval(flush, options.flushIntervalMs);
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

/**
 * Writes everything buffered — events possibly through the helper thread, so they may
 * still be on their way when this returns (`flushNow` waits). Called from the hot path
 * when a segment is full; never throws.
 */
export function flush(): void {
  try {
    noteHelperFailure();
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
      writeRecord(side);
    }
    takeEvents(writeEvents);
    if (dropped !== droppedReported && file?.writable) {
      droppedReported = dropped;
      writeRecord(encodeJsonRecord(RecordType.dropped, { events: dropped, reason: droppedReason }));
    }
  } catch {
    // The recorder must never break the program; what was not written is counted.
    dropped += takeEvents(() => {});
  }
}

/** Writes everything buffered and waits until the helper thread has written it too. */
export function flushNow(): void {
  flush();
  drain();
}

function writeEvents(segment: number, stream: Int32Array, events: number): void {
  const words = stream.length;
  const size = eventsRecordSize(words);
  const result = queueEvents(segment, stream, size, events) ?? write(reserveBytes, size, () => encodeEventsRecord(stream, words, clockNowForBatch()));
  if (result === 'written') {
    written += events;
    return;
  }
  dropped += events;
  droppedReason = result === 'full' ? `trace file reached its size cap (${options?.maxFileBytes} bytes)` : 'writing the trace file failed';
}

/**
 * Queues the events for the helper thread (it writes them in queue order); undefined when
 * they have to be written here (no helper yet, or a big-endian machine).
 */
function queueEvents(segment: number, stream: Int32Array, size: number, events: number): 'written' | 'full' | 'failed' | undefined {
  if (!helperWrites() || !file) return undefined;
  if (!file.writable) return 'failed';
  const fd = file.openForHelper();
  if (fd < 0) return 'failed';
  if (file.room(reserveBytes) < size) return 'full';
  const start = stream.byteOffset - EVENTS_HEAD_BYTES;
  if (!writeEventsHead(new Uint8Array(ring.buffer), start, stream.length, clockNowForBatch())) return undefined;
  control[CONTROL.fd] = fd;
  file.countWrittenElsewhere(size);
  queueSegment(segment, start, size, events);
  return 'written';
}

/** Moves what the helper thread could not write from `written` to `dropped`, with the reason. */
function noteHelperFailure(): void {
  const failure = takeHelperFailure();
  if (!failure) return;
  written -= failure.events;
  dropped += failure.events;
  if (failure.errno === 0) {
    droppedReason = 'the trace writer thread ended';
    return;
  }
  droppedReason = 'writing the trace file failed';
  if (failure.errno === STALLED) file?.failedElsewhere('the trace writer thread stopped responding');
  else file?.failedElsewhere(errnoName(failure.errno));
}

function errnoName(errno: number): string {
  try {
    return getSystemErrorName(errno);
  } catch {
    return 'an unknown error';
  }
}

/** Waits for the helper thread's queued writes; before this thread writes to the file itself. */
function drain(): void {
  drainRing();
  noteHelperFailure();
}

/** Writes a snapshot (after flushing events, so the snapshot follows them). */
export function writeSnapshot(snapshot: SnapshotRecord): void {
  flush();
  writeRecord(encodeJsonRecord(RecordType.snapshot, snapshot));
}

/** Final flush and end record; the file stays open for a later snapshot (signals, crash). */
export function writeEnd(time: number): void {
  flush();
  writeRecord(encodeJsonRecord(RecordType.end, { time, events: written, droppedEvents: dropped }));
}

/** No more periodic flushes (the end of the trace). */
export function stopTimer(): void {
  control[CONTROL.flushEveryMs] = 0;
  if (timer) clearInterval(timer);
  timer = undefined;
}

export function tracePath(): string | undefined {
  return file?.path;
}

/** Events written (or handed to the helper thread, which writes them within about a millisecond) and dropped. */
export function recorderStats(): { written: number; dropped: number } {
  return { written, dropped };
}

/**
 * Appends `size` bytes made by `encode` unless that would eat into the last `reserve`
 * bytes under the cap (encoding only what will be written).
 */
function write(reserve: number, size: number, encode: () => Uint8Array[]): 'written' | 'full' | 'failed' {
  drain();
  if (!file || !file.writable) return 'failed';
  if (file.room(reserve) < size) return 'full';
  return file.append(...encode()) ? 'written' : 'failed';
}

/** Appends a JSON record from the reserve (site tables, errors, snapshots, the end). */
function writeRecord(data: Buffer): void {
  write(0, data.length, () => [data]);
}

/** The batch's reference time: not before any of its events. */
function clockNowForBatch(): number {
  return preciseNow();
}

function runtimeVersion(): string {
  try {
    // dist/runtime/recorder.js → package.json two levels up.
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
