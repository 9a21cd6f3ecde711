/**
 * Encoding of trace records (format/records.ts is the specification). Used by the
 * runtime; returns bytes and never touches the file system itself.
 */

import { EVENT_FIELDS, EVENT_WORDS, EVENTS_PREFIX_BYTES, EventKind, KIND_BITS } from './events';
import { RECORD_HEADER_BYTES, RecordType, TRACE_MAGIC } from './records';

const littleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

export function encodeMagic(): Buffer {
  return Buffer.from(TRACE_MAGIC, 'latin1');
}

/** A record with a JSON body. */
export function encodeJsonRecord(type: number, value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + body.length);
  out.writeUInt32LE(body.length, 0);
  out.writeUInt8(type, 4);
  body.copy(out, RECORD_HEADER_BYTES);
  return out;
}

/** Bytes before the stream in an `events` record: record header plus batch time. */
export const EVENTS_HEAD_BYTES = RECORD_HEADER_BYTES + EVENTS_PREFIX_BYTES;

/** The head of an `events` record for a `words`-word stream, at `offset` of `target`. */
function putEventsHead(target: Uint8Array, offset: number, words: number, batchTime: number): void {
  const view = new DataView(target.buffer, target.byteOffset + offset, EVENTS_HEAD_BYTES);
  view.setUint32(0, EVENTS_PREFIX_BYTES + words * 4, true);
  view.setUint8(4, RecordType.events);
  view.setFloat64(RECORD_HEADER_BYTES, batchTime, true);
}

/**
 * An `events` record holding the first `words` words of an event stream (layout in
 * events.ts), written at `batchTime`. Returned as two parts to write one after the
 * other: record header plus batch time, and the stream's own memory (no copy on
 * little-endian machines, which is every platform Node supports today).
 */
export function encodeEventsRecord(stream: Int32Array, words: number, batchTime: number): [Buffer, Uint8Array] {
  const head = Buffer.allocUnsafe(EVENTS_HEAD_BYTES);
  putEventsHead(head, 0, words, batchTime);
  if (littleEndian) return [head, new Uint8Array(stream.buffer, stream.byteOffset, words * 4)];
  const body = Buffer.allocUnsafe(words * 4);
  for (let i = 0; i < words; i++) body.writeInt32LE(stream[i], i * 4);
  return [head, body];
}

/**
 * Writes the head of an `events` record (EVENTS_HEAD_BYTES) into `target` at `offset`,
 * for a stream of `words` words that follows it directly in the same memory: the whole
 * record can then be written with one call (the runtime's helper thread does this).
 * Little-endian machines only, where the stream's memory is already the file's byte
 * order; returns false elsewhere (use encodeEventsRecord).
 */
export function writeEventsHead(target: Uint8Array, offset: number, words: number, batchTime: number): boolean {
  if (!littleEndian) return false;
  putEventsHead(target, offset, words, batchTime);
  return true;
}

/** Bytes an `events` record of a `words`-word stream takes in the file. */
export function eventsRecordSize(words: number): number {
  return EVENTS_HEAD_BYTES + words * 4;
}

/**
 * An `events` record from plain rows of EVENT_FIELDS values — [code, frame, arg, time
 * in ms] with kinds enter/suspend/resume/return/throw, as `ParsedTrace.events` holds
 * them — for tools and tests that write traces. Every row is written (no economies).
 */
export function encodeEventRows(rows: ArrayLike<number>, batchTime?: number): Buffer {
  const count = Math.floor(rows.length / EVENT_FIELDS);
  const stream: number[] = [];
  let latest = 0;
  let lastMicros = NaN;
  for (let e = 0; e < count; e++) {
    const [code, frame, arg, time] = [rows[e * 4], rows[e * 4 + 1], rows[e * 4 + 2], rows[e * 4 + 3]];
    const micros = Math.round(time * 1000) % 2 ** 32;
    if (micros !== lastMicros) stream.push(EventKind.time, micros | 0);
    lastMicros = micros;
    latest = Math.max(latest, time);
    const words = EVENT_WORDS[code % KIND_BITS] ?? 0;
    if (words === 0 || code % KIND_BITS >= EventKind.call) throw new Error(`encodeEventRows: row ${e} has no plain event kind (code ${code})`);
    stream.push(code, frame, arg);
    if (words === 2) stream.pop();
  }
  return Buffer.concat(encodeEventsRecord(Int32Array.from(stream), stream.length, batchTime ?? latest));
}
