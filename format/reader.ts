/**
 * Decoding of trace files (format/records.ts is the specification). Incremental, so a
 * viewer can follow a trace that is still being written: push bytes as they arrive,
 * ask for the trace so far at any time.
 */

import { EVENT_FIELDS, EVENT_WORDS, EVENTS_PREFIX_BYTES, EventKind, KIND_BITS } from './events';
import { IdUnwrapper, unwrapTime } from './unwrap';
import {
  isArgsEntry,
  isAwaitTuple,
  isDropped,
  isEnd,
  isErrorInfo,
  isFunctionTuple,
  isHeader,
  isSnapshot,
  isSnapshotFrame,
  keepValid,
} from './validate';
import {
  RECORD_HEADER_BYTES,
  RecordType,
  READABLE_FORMAT_VERSIONS,
  TRACE_MAGIC,
  type ArgsRecord,
  type DroppedRecord,
  type EndRecord,
  type ErrorInfo,
  type ErrorsRecord,
  type HeaderRecord,
  type SitesRecord,
  type SnapshotRecord,
} from './records';
import { SITE_TABLE_VERSION } from './sites';
import type { ParsedTrace, Site, SourceFileInfo } from './trace-model';

export type TraceFormatErrorCode = 'empty' | 'not-a-trace' | 'unsupported-version' | 'no-header';

/** The file cannot be read as a trace at all. The message is meant for the user. */
export class TraceFormatError extends Error {
  constructor(
    readonly code: TraceFormatErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TraceFormatError';
  }
}

const MAGIC = Buffer.from(TRACE_MAGIC, 'latin1');

export class TraceDecoder {
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes consumed so far (complete records and the magic). */
  private consumed = 0;
  private sawMagic = false;
  private header?: HeaderRecord;
  private readonly sites = new Map<number, Site>();
  private readonly eventChunks: Float64Array[] = [];
  private eventCount = 0;
  private merged?: Float64Array;
  private readonly errors = new Map<number, ErrorInfo>();
  private readonly args = new Map<number, string[]>();
  private readonly snapshots: SnapshotRecord[] = [];
  private dropped?: DroppedRecord;
  private end?: EndRecord;
  private readonly warnings: string[] = [];
  private readonly frameIds = new IdUnwrapper();
  /** Frames whose last event is a suspension, with its time (for resumes left implicit). */
  private readonly suspendedAt = new Map<number, number>();
  private readonly taskIds = new IdUnwrapper();

  /** Feeds the next bytes of the file. Throws TraceFormatError when the file is not a readable trace. */
  push(chunk: Uint8Array): void {
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    if (!this.sawMagic) {
      if (this.pending.length < MAGIC.length) {
        if (!MAGIC.subarray(0, this.pending.length).equals(this.pending)) throw notATrace();
        return;
      }
      if (!this.pending.subarray(0, MAGIC.length).equals(MAGIC)) throw notATrace();
      this.sawMagic = true;
      this.advance(MAGIC.length);
    }
    while (this.pending.length >= RECORD_HEADER_BYTES) {
      const length = this.pending.readUInt32LE(0);
      const total = RECORD_HEADER_BYTES + length;
      if (this.pending.length < total) break;
      const type = this.pending.readUInt8(4);
      this.readRecord(type, this.pending.subarray(RECORD_HEADER_BYTES, total));
      this.advance(total);
    }
  }

  /** The trace as read so far. `cut` is set when bytes of an incomplete record are left over. */
  result(): ParsedTrace {
    if (!this.sawMagic) {
      throw new TraceFormatError('empty', 'the trace file is empty (the process wrote nothing yet)');
    }
    if (!this.header) {
      throw new TraceFormatError('no-header', 'the trace file has no complete header record (cut off at the start)');
    }
    const trace: ParsedTrace = {
      header: this.header,
      sites: this.sites,
      events: this.mergedEvents(),
      eventCount: this.eventCount,
      errors: this.errors,
      args: this.args,
      snapshots: this.snapshots,
      dropped: this.dropped,
      end: this.end,
      warnings: [...this.warnings],
    };
    if (this.pending.length > 0) {
      const need = this.pending.length >= RECORD_HEADER_BYTES ? RECORD_HEADER_BYTES + this.pending.readUInt32LE(0) : undefined;
      trace.cut = {
        offset: this.consumed,
        reason:
          need === undefined
            ? `the file ends inside a record header (${this.pending.length} stray bytes after byte ${this.consumed})`
            : `the last record is incomplete (${this.pending.length} of ${need} bytes, at byte ${this.consumed})`,
      };
    }
    return trace;
  }

  private advance(bytes: number): void {
    this.pending = this.pending.subarray(bytes);
    this.consumed += bytes;
  }

  private readRecord(type: number, body: Buffer): void {
    if (!this.header && type !== RecordType.header) {
      throw new TraceFormatError('no-header', 'the trace file does not start with a header record');
    }
    switch (type) {
      case RecordType.header:
        return this.readHeader(body);
      case RecordType.events:
        return this.readEvents(body);
      case RecordType.sites:
        return this.readSites(this.json<SitesRecord>(body, 'sites'));
      case RecordType.errors:
        for (const e of this.valid(this.json<ErrorsRecord>(body, 'errors')?.errors, isErrorInfo, 'errors')) this.errors.set(e.id, e);
        return;
      case RecordType.args:
        for (const a of this.valid(this.json<ArgsRecord>(body, 'args')?.frames, isArgsEntry, 'args')) this.args.set(this.frameIds.known(a.frame), a.args);
        return;
      case RecordType.snapshot: {
        const snapshot = this.json<SnapshotRecord>(body, 'snapshot');
        if (!isSnapshot(snapshot)) {
          if (snapshot !== undefined) this.warnings.push('skipped a malformed snapshot record');
          return;
        }
        snapshot.frames = this.valid(snapshot.frames, isSnapshotFrame, 'snapshot');
        this.snapshots.push(this.unwrapSnapshot(snapshot));
        return;
      }
      case RecordType.dropped: {
        const dropped = this.json<DroppedRecord>(body, 'dropped');
        if (isDropped(dropped)) this.dropped = dropped;
        else if (dropped !== undefined) this.warnings.push('skipped a malformed dropped record');
        return;
      }
      case RecordType.end: {
        const end = this.json<EndRecord>(body, 'end');
        if (isEnd(end)) this.end = end;
        else if (end !== undefined) this.warnings.push('skipped a malformed end record');
        return;
      }
      default:
        this.warnings.push(`skipped a record of unknown type ${type} (${body.length} bytes)`);
    }
  }

  private unwrapSnapshot(snapshot: SnapshotRecord): SnapshotRecord {
    for (const f of snapshot.frames ?? []) {
      f.frame = this.frameIds.known(f.frame);
      f.parent = this.frameIds.known(f.parent);
      f.task = this.taskIds.known(f.task);
    }
    return snapshot;
  }

  private readHeader(body: Buffer): void {
    let header: HeaderRecord;
    try {
      header = JSON.parse(body.toString('utf8'));
    } catch {
      throw new TraceFormatError('no-header', 'the trace header is not valid JSON');
    }
    // The version first: a newer writer may have changed the other fields.
    if (!READABLE_FORMAT_VERSIONS.includes(header?.format)) {
      throw new TraceFormatError(
        'unsupported-version',
        `trace format version ${String(header?.format)} is not supported (this async-inspect reads versions ${READABLE_FORMAT_VERSIONS.slice(0, -1).join(', ')} and ${READABLE_FORMAT_VERSIONS.at(-1)}); ` +
          `read it with the async-inspect version that wrote it (runtime ${String(header?.runtime)})`,
      );
    }
    if (!isHeader(header)) throw new TraceFormatError('no-header', 'the trace header is malformed (pid, argv, cwd or start time missing)');
    this.header = header;
  }

  private readEvents(body: Buffer): void {
    if (body.length < EVENTS_PREFIX_BYTES) {
      this.warnings.push(`skipped an events record of ${body.length} bytes (too short)`);
      return;
    }
    const batchTime = body.readDoubleLE(0);
    const words = Math.floor((body.length - EVENTS_PREFIX_BYTES) / 4);
    const word = (i: number) => body.readInt32LE(EVENTS_PREFIX_BYTES + i * 4);
    const out = new EventSink(Math.ceil(words / 2));
    let time = batchTime;
    let i = 0;
    while (i < words) {
      const code = word(i);
      const kind = code % KIND_BITS;
      const size = EVENT_WORDS[kind] ?? 0;
      if (size === 0 || i + size > words) {
        this.warnings.push(`an events record has ${size === 0 ? `an unknown event kind ${kind}` : 'a cut-off event'} at word ${i}; read the ${out.count()} events before it`);
        break;
      }
      if (kind === EventKind.time) {
        time = unwrapTime(word(i + 1), batchTime);
      } else if (kind === EventKind.enter || kind === EventKind.call) {
        // The parent was handed out before this frame; a root's task id is new.
        const arg = word(i + 2);
        const link = arg > 0 ? this.frameIds.known(arg) : -this.taskIds.fresh(-arg);
        const frame = this.frameIds.fresh(word(i + 1));
        out.push(code - kind + EventKind.enter, frame, link, time);
        if (kind === EventKind.call) out.push(EventKind.return, frame, 0, time);
      } else {
        const frame = this.frameIds.known(word(i + 1));
        const since = this.suspendedAt.get(frame);
        if (since !== undefined) {
          this.suspendedAt.delete(frame);
          // A resume the writer left out: it happened in the suspension's clock tick.
          if (kind === EventKind.suspend || kind === EventKind.return || kind === EventKind.settle) out.push(EventKind.resume, frame, 0, since);
        }
        if (kind === EventKind.suspend) this.suspendedAt.set(frame, time);
        if (kind === EventKind.settle) {
          out.push(code - kind + EventKind.suspend, frame, 0, time);
          out.push(EventKind.resume, frame, 0, time);
          out.push(EventKind.return, frame, 0, time);
        } else out.push(code, frame, size === 3 ? word(i + 2) : 0, time);
      }
      i += size;
    }
    const values = out.values();
    this.eventChunks.push(values);
    this.eventCount += values.length / EVENT_FIELDS;
    this.merged = undefined;
  }

  private readSites(record: SitesRecord | undefined): void {
    const table = record?.table;
    if (!record || !table || typeof record.base !== 'number' || !Array.isArray(table.functions) || !Array.isArray(table.awaits)) {
      this.warnings.push('skipped a malformed site table');
      return;
    }
    if (table.v !== SITE_TABLE_VERSION) {
      this.warnings.push(`skipped the site table of ${table.file}: version ${table.v} is not supported`);
      return;
    }
    if (typeof table.file !== 'string' || typeof table.root !== 'string' || typeof table.hash !== 'string') {
      this.warnings.push('skipped a site table without file, root or hash');
      return;
    }
    const source: SourceFileInfo = { file: table.file, root: table.root, hash: table.hash };
    const fnBase = record.base;
    const functions = table.functions.length;
    let skipped = 0;
    table.functions.forEach((tuple, i) => {
      if (!isFunctionTuple(tuple)) return void skipped++;
      const [name, line, column, params, kind] = tuple;
      this.sites.set(fnBase + i, { id: fnBase + i, type: 'function', name, source, line, column, params, kind });
    });
    const awaitBase = fnBase + functions;
    table.awaits.forEach((tuple, i) => {
      if (!isAwaitTuple(tuple, functions)) return void skipped++;
      const [fn, line, column, text, kind] = tuple;
      this.sites.set(awaitBase + i, { id: awaitBase + i, type: 'await', fn: fnBase + fn, source, line, column, text, kind });
    });
    if (skipped > 0) this.warnings.push(`skipped ${skipped} malformed sites in the site table of ${table.file}`);
  }

  /** The well-formed entries of a record's list; a warning counts the others. */
  private valid<T>(list: unknown, check: (v: unknown) => v is T, what: string): T[] {
    if (list === undefined) return [];
    const { kept, skipped } = keepValid(list, check);
    if (skipped > 0) this.warnings.push(`skipped ${skipped} malformed entries in ${what} records`);
    return kept;
  }

  private json<T>(body: Buffer, what: string): T | undefined {
    try {
      return JSON.parse(body.toString('utf8')) as T;
    } catch {
      this.warnings.push(`skipped a ${what} record that is not valid JSON`);
      return undefined;
    }
  }

  private mergedEvents(): Float64Array {
    if (this.merged) return this.merged;
    if (this.eventChunks.length === 1) return (this.merged = this.eventChunks[0]);
    const all = new Float64Array(this.eventChunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of this.eventChunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    this.eventChunks.length = 0;
    this.eventChunks.push(all);
    return (this.merged = all);
  }
}

/** Decodes a whole trace held in memory. */
export function decodeTrace(bytes: Uint8Array): ParsedTrace {
  const decoder = new TraceDecoder();
  decoder.push(bytes);
  return decoder.result();
}

/** A growable buffer of decoded events (a batch expands when implicit events are restored). */
class EventSink {
  private data: Float64Array;
  private length = 0;

  constructor(expected: number) {
    this.data = new Float64Array(Math.max(1, expected) * EVENT_FIELDS);
  }

  push(code: number, frame: number, arg: number, time: number): void {
    if (this.length + EVENT_FIELDS > this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    const d = this.data;
    d[this.length] = code;
    d[this.length + 1] = frame;
    d[this.length + 2] = arg;
    d[this.length + 3] = time;
    this.length += EVENT_FIELDS;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  count(): number {
    return this.length / EVENT_FIELDS;
  }
}

function notATrace(): TraceFormatError {
  return new TraceFormatError('not-a-trace', 'not an async-inspect trace (the file does not start with the trace signature)');
}
