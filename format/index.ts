/** The trace format: specification in records.ts, events.ts and sites.ts. */
export * from './events';
export * from './records';
export * from './sites';
export * from './source-hash';
export * from './trace-model';
export { EVENTS_HEAD_BYTES, encodeEventRows, encodeEventsRecord, encodeJsonRecord, encodeMagic, eventsRecordSize, writeEventsHead } from './writer';
export { TraceDecoder, TraceFormatError, decodeTrace, type TraceFormatErrorCode } from './reader';
