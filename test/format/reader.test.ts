import { describe, expect, it } from 'vitest';
import {
  EventKind,
  MAX_RAW_ID,
  RecordType,
  TRACE_FORMAT_VERSION,
  TraceDecoder,
  TraceFormatError,
  decodeTrace,
  encodeEventCode,
  encodeEventRows,
  encodeEventsRecord,
  encodeJsonRecord,
  encodeMagic,
  eventKindOf,
  eventSiteOf,
  type HeaderRecord,
  type ParsedTrace,
} from '../../format';
import { unwrapTime } from '../../format/unwrap';

const header: HeaderRecord = {
  format: TRACE_FORMAT_VERSION,
  runtime: '0.0.0-test',
  pid: 1,
  argv: ['node', 'main.js'],
  cwd: '/project',
  startTime: 1_700_000_000_000,
  node: 'v20.0.0',
  mode: 'development',
};

const table = {
  v: 1,
  file: 'src/db.ts',
  root: '/project',
  hash: '0123456789abcdef',
  functions: [
    ['handleRequest', 3, 1, ['req'], 'function'],
    ['dbQuery', 10, 1, ['sql'], 'function'],
  ],
  awaits: [
    [0, 4, 16, 'dbQuery(sql)', 'await'],
    [1, 11, 3, 'pool.acquire()', 'await'],
  ],
};

const T = EventKind.time;

/** A raw event stream as the runtime writes it (format/events.ts). */
function stream(words: number[], batchTimeMs: number): Buffer {
  return Buffer.concat(encodeEventsRecord(Int32Array.from(words), words.length, batchTimeMs));
}

function traceBytes(...records: Buffer[]): Buffer {
  return Buffer.concat([encodeMagic(), encodeJsonRecord(RecordType.header, header), ...records]);
}

function rows(trace: ParsedTrace): string[] {
  const names = ['', 'enter', 'suspend', 'resume', 'return', 'throw', '', '', '', 'abandon'];
  const out: string[] = [];
  for (let i = 0; i < trace.eventCount; i++) {
    const [code, frame, arg, time] = trace.events.subarray(i * 4, i * 4 + 4);
    out.push(`${names[eventKindOf(code)]} site=${eventSiteOf(code)} f${frame} arg=${arg} t=${time}`);
  }
  return out;
}

describe('decodeTrace', () => {
  it('resolves site ids of a table to functions and awaits', () => {
    const trace = decodeTrace(traceBytes(encodeJsonRecord(RecordType.sites, { base: 5, table })));
    expect(trace.sites.get(5)).toMatchObject({ type: 'function', name: 'handleRequest', line: 3, params: ['req'] });
    expect(trace.sites.get(6)).toMatchObject({ type: 'function', name: 'dbQuery' });
    expect(trace.sites.get(8)).toMatchObject({ type: 'await', fn: 6, line: 11, column: 3, text: 'pool.acquire()' });
    expect(trace.sites.get(8)?.source).toEqual({ file: 'src/db.ts', root: '/project', hash: '0123456789abcdef' });
  });

  it('restores resumes left out within a clock tick, and expands merged calls', () => {
    const trace = decodeTrace(
      traceBytes(
        stream(
          [
            T, 1000,
            encodeEventCode(EventKind.enter, 5), 1, -1,
            encodeEventCode(EventKind.call, 6), 2, 1,
            T, 2000,
            encodeEventCode(EventKind.suspend, 7), 1,
            // no resume: it happened in the same tick as the suspension
            T, 9000,
            encodeEventCode(EventKind.return, 0), 1,
          ],
          10,
        ),
      ),
    );
    expect(rows(trace)).toEqual([
      'enter site=5 f1 arg=-1 t=1',
      'enter site=6 f2 arg=1 t=1',
      'return site=0 f2 arg=0 t=1',
      'suspend site=7 f1 arg=0 t=2',
      'resume site=0 f1 arg=0 t=2',
      'return site=0 f1 arg=0 t=9',
    ]);
  });

  it('expands a settle into the suspension, its resume and the return, after the resume of an earlier await', () => {
    const trace = decodeTrace(
      traceBytes(
        stream(
          [
            T, 1000,
            encodeEventCode(EventKind.enter, 5), 1, -1,
            encodeEventCode(EventKind.suspend, 7), 1,
            // resumed in the same tick (not written), then suspended at its last await
            T, 3000,
            encodeEventCode(EventKind.settle, 8), 1,
          ],
          4,
        ),
      ),
    );
    expect(rows(trace)).toEqual([
      'enter site=5 f1 arg=-1 t=1',
      'suspend site=7 f1 arg=0 t=1',
      'resume site=0 f1 arg=0 t=1',
      'suspend site=8 f1 arg=0 t=3',
      'resume site=0 f1 arg=0 t=3',
      'return site=0 f1 arg=0 t=3',
    ]);
  });

  it('reads an abandon as the end of a frame that waited at a yield, with no resume before it', () => {
    const trace = decodeTrace(
      traceBytes(
        stream(
          [
            T, 1000,
            encodeEventCode(EventKind.enter, 5), 1, -1,
            encodeEventCode(EventKind.suspend, 8), 1,
            // its generator was collected while it waited there
            T, 7000,
            encodeEventCode(EventKind.abandon, 8), 1,
          ],
          8,
        ),
      ),
    );
    expect(rows(trace)).toEqual(['enter site=5 f1 arg=-1 t=1', 'suspend site=8 f1 arg=0 t=1', 'abandon site=8 f1 arg=0 t=7']);
  });

  it('reads format 2 traces (written before `abandon` existed)', () => {
    const bytes = Buffer.concat([
      encodeMagic(),
      encodeJsonRecord(RecordType.header, { ...header, format: 2 }),
      stream([T, 1000, encodeEventCode(EventKind.enter, 5), 1, -1, encodeEventCode(EventKind.settle, 7), 1], 2),
    ]);
    expect(rows(decodeTrace(bytes))).toEqual([
      'enter site=5 f1 arg=-1 t=1',
      'suspend site=7 f1 arg=0 t=1',
      'resume site=0 f1 arg=0 t=1',
      'return site=0 f1 arg=0 t=1',
    ]);
  });

  it('keeps a throw straight after a suspension as "rejected at that await"', () => {
    const trace = decodeTrace(
      traceBytes(
        stream(
          [
            T, 0,
            encodeEventCode(EventKind.enter, 6), 3, -2,
            T, 100,
            encodeEventCode(EventKind.suspend, 8), 3,
            T, 5000,
            encodeEventCode(EventKind.throw, 0), 3, 7,
          ],
          6,
        ),
      ),
    );
    expect(rows(trace)).toEqual(['enter site=6 f3 arg=-2 t=0', 'suspend site=8 f3 arg=0 t=0.1', 'throw site=0 f3 arg=7 t=5']);
  });

  it('unwraps frame ids that wrapped around', () => {
    const trace = decodeTrace(
      traceBytes(
        stream(
          [
            T, 0,
            encodeEventCode(EventKind.enter, 5), MAX_RAW_ID - 1, -1,
            encodeEventCode(EventKind.enter, 6), MAX_RAW_ID, MAX_RAW_ID - 1,
            encodeEventCode(EventKind.enter, 6), 1, MAX_RAW_ID - 1,
            encodeEventCode(EventKind.return, 0), MAX_RAW_ID,
            encodeEventCode(EventKind.return, 0), 1,
          ],
          1,
        ),
      ),
    );
    const frames = rows(trace).map((r) => r.split(' ')[2]);
    expect(frames).toEqual([`f${MAX_RAW_ID - 1}`, `f${MAX_RAW_ID}`, `f${MAX_RAW_ID + 1}`, `f${MAX_RAW_ID}`, `f${MAX_RAW_ID + 1}`]);
  });

  it('reads a file cut off mid-record up to the cut and says so', () => {
    const whole = traceBytes(
      encodeJsonRecord(RecordType.sites, { base: 1, table }),
      stream([T, 0, encodeEventCode(EventKind.enter, 1), 1, -1], 1),
      stream([T, 500, encodeEventCode(EventKind.return, 0), 1], 1),
    );
    const cut = whole.subarray(0, whole.length - 7);
    const trace = decodeTrace(cut);
    expect(trace.eventCount).toBe(1);
    expect(trace.cut?.reason).toMatch(/last record is incomplete/);
    expect(trace.cut?.offset).toBe(whole.length - (5 + 8 + 16));
  });

  it('rejects an unknown format version with a message naming both versions', () => {
    const bytes = Buffer.concat([encodeMagic(), encodeJsonRecord(RecordType.header, { ...header, format: 99 })]);
    expect(() => decodeTrace(bytes)).toThrowError(TraceFormatError);
    expect(() => decodeTrace(bytes)).toThrowError(/version 99 is not supported.*reads versions 1, 2 and 3/);
  });

  it('reads format 1 traces (written before `settle` existed)', () => {
    const bytes = Buffer.concat([
      encodeMagic(),
      encodeJsonRecord(RecordType.header, { ...header, format: 1 }),
      stream([T, 1000, encodeEventCode(EventKind.enter, 5), 1, -1, encodeEventCode(EventKind.suspend, 7), 1, encodeEventCode(EventKind.return, 0), 1], 2),
    ]);
    expect(rows(decodeTrace(bytes))).toEqual([
      'enter site=5 f1 arg=-1 t=1',
      'suspend site=7 f1 arg=0 t=1',
      'resume site=0 f1 arg=0 t=1',
      'return site=0 f1 arg=0 t=1',
    ]);
  });

  it('rejects a file that is not a trace', () => {
    expect(() => decodeTrace(Buffer.from('{"hello": "world"}\n'))).toThrowError(/not an async-inspect trace/);
    expect(() => decodeTrace(Buffer.alloc(0))).toThrowError(/empty/);
  });

  it('skips unknown record types with a warning', () => {
    const odd = Buffer.from([3, 0, 0, 0, 200, 1, 2, 3]);
    const trace = decodeTrace(traceBytes(odd, stream([T, 0, encodeEventCode(EventKind.enter, 1), 1, -1], 1)));
    expect(trace.warnings).toEqual(['skipped a record of unknown type 200 (3 bytes)']);
    expect(trace.eventCount).toBe(1);
  });

  it('decodes the same trace fed byte by byte (following a growing file)', () => {
    const bytes = traceBytes(
      encodeJsonRecord(RecordType.sites, { base: 1, table }),
      stream([T, 0, encodeEventCode(EventKind.enter, 1), 1, -1], 1),
    );
    const decoder = new TraceDecoder();
    for (let i = 0; i < bytes.length; i++) decoder.push(bytes.subarray(i, i + 1));
    expect(decoder.result().eventCount).toBe(1);
    expect(decoder.result().sites.size).toBe(4);
  });
});

describe('damaged JSON records', () => {
  it('keeps the well-formed entries and warns about the rest, never throws', () => {
    const trace = decodeTrace(
      traceBytes(
        encodeJsonRecord(RecordType.sites, { base: 1, table: { ...table, functions: [table.functions[0], null], awaits: [table.awaits[0], [7, 1, 1, 'x', 'await']] } }),
        encodeJsonRecord(RecordType.errors, { errors: [null, { id: 3, name: 'Error', message: 'ok' }, { id: 'x' }] }),
        encodeJsonRecord(RecordType.snapshot, { reason: 'exit', time: 5, frames: [null, { frame: 1 }], omittedFrames: 0 }),
        encodeJsonRecord(RecordType.snapshot, { frames: 'nope' }),
        encodeJsonRecord(RecordType.args, { frames: [{ frame: 1, args: ['1'] }, { frame: 2, args: [3] }] }),
        encodeJsonRecord(RecordType.end, { time: 'late' }),
      ),
    );
    expect([...trace.sites.keys()]).toEqual([1, 3]);
    expect([...trace.errors.keys()]).toEqual([3]);
    expect(trace.snapshots).toHaveLength(1);
    expect(trace.snapshots[0].frames).toEqual([]);
    expect([...trace.args.keys()]).toEqual([1]);
    expect(trace.end).toBeUndefined();
    expect(trace.warnings).toEqual([
      'skipped 2 malformed sites in the site table of src/db.ts',
      'skipped 2 malformed entries in errors records',
      'skipped 2 malformed entries in snapshot records',
      'skipped a malformed snapshot record',
      'skipped 1 malformed entries in args records',
      'skipped a malformed end record',
    ]);
  });

  it('rejects a header without pid, argv, cwd or start time', () => {
    const bytes = Buffer.concat([encodeMagic(), encodeJsonRecord(RecordType.header, { format: TRACE_FORMAT_VERSION })]);
    expect(() => decodeTrace(bytes)).toThrowError(/trace header is malformed/);
  });
});

describe('encodeEventRows', () => {
  it('round-trips plain rows through the compact stream', () => {
    const rows = [
      encodeEventCode(EventKind.enter, 5), 1, -1, 1.5,
      encodeEventCode(EventKind.suspend, 7), 1, 0, 1.5,
      encodeEventCode(EventKind.resume, 0), 1, 0, 40.25,
      encodeEventCode(EventKind.throw, 0), 1, 3, 41,
    ];
    const trace = decodeTrace(traceBytes(encodeEventRows(rows)));
    expect([...trace.events]).toEqual(rows);
  });

  it('stops at an unknown event kind with a warning, keeping what came before', () => {
    const trace = decodeTrace(traceBytes(stream([T, 0, encodeEventCode(EventKind.enter, 1), 1, -1, 12, 1, 2], 1)));
    expect(trace.eventCount).toBe(1);
    expect(trace.warnings[0]).toMatch(/unknown event kind 12 at word 5/);
  });
});

describe('unwrapTime', () => {
  it('restores microsecond times that wrapped past 2^32', () => {
    const later = 2 ** 32 / 1000 + 5; // ms, just past one wrap
    const raw = (later * 1000) | 0;
    expect(unwrapTime(raw, later + 0.5)).toBeCloseTo(later, 6);
    expect(unwrapTime(1500, 2)).toBe(1.5);
  });

  it('takes an event slightly after its batch time as clock jitter', () => {
    expect(unwrapTime(2100, 2)).toBe(2.1);
  });
});
