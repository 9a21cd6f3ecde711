/**
 * Encoding of trace records (format/records.ts is the specification). Used by the
 * runtime; returns bytes and never touches the file system itself.
 */

import { EVENT_FIELDS } from './events';
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

/** An `events` record holding the first `count` events of `events` (EVENT_FIELDS doubles each). */
export function encodeEventsRecord(events: Float64Array, count: number): Buffer {
  const values = count * EVENT_FIELDS;
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + values * 8);
  out.writeUInt32LE(values * 8, 0);
  out.writeUInt8(RecordType.events, 4);
  if (littleEndian) {
    Buffer.from(events.buffer, events.byteOffset, values * 8).copy(out, RECORD_HEADER_BYTES);
  } else {
    for (let i = 0; i < values; i++) out.writeDoubleLE(events[i], RECORD_HEADER_BYTES + i * 8);
  }
  return out;
}
