/**
 * Encoding of trace records (format/records.ts is the specification). Used by the
 * runtime; returns bytes and never touches the file system itself.
 */

import { EVENT_FIELDS, EVENTS_PREFIX_BYTES } from './events';
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

/**
 * An `events` record holding the first `count` events of `events` (EVENT_FIELDS int32
 * each, layout in events.ts), written at `batchTime`. Returned as two parts to write one
 * after the other: record header plus batch time, and the events' own memory (no copy on
 * little-endian machines, which is every platform Node supports today).
 */
export function encodeEventsRecord(events: Int32Array, count: number, batchTime: number): [Buffer, Uint8Array] {
  const values = count * EVENT_FIELDS;
  const head = Buffer.allocUnsafe(RECORD_HEADER_BYTES + EVENTS_PREFIX_BYTES);
  head.writeUInt32LE(EVENTS_PREFIX_BYTES + values * 4, 0);
  head.writeUInt8(RecordType.events, 4);
  head.writeDoubleLE(batchTime, RECORD_HEADER_BYTES);
  if (littleEndian) return [head, new Uint8Array(events.buffer, events.byteOffset, values * 4)];
  const body = Buffer.allocUnsafe(values * 4);
  for (let i = 0; i < values; i++) body.writeInt32LE(events[i], i * 4);
  return [head, body];
}

/** Bytes an `events` record of `count` events takes in the file. */
export function eventsRecordSize(count: number): number {
  return RECORD_HEADER_BYTES + EVENTS_PREFIX_BYTES + count * EVENT_FIELDS * 4;
}
