/**
 * The trace file format, field by field. This module and its siblings in format/ are the
 * only code that knows the bytes: the runtime writes through `format/writer.ts`, the CLI
 * reads through `format/reader.ts`.
 *
 * A trace file is:
 *
 *   magic      8 bytes, ASCII "AITRACE\n"
 *   records    until end of file, each:
 *                length   uint32 LE, bytes of `body` (not counting these 5 bytes)
 *                type     uint8, a `RecordType`
 *                body     `length` bytes: UTF-8 JSON for every type except `events`
 *
 * Records are appended in batches; a reader that meets a record whose bytes are not all
 * there (the writer is still writing, or the process died mid-write) stops before it and
 * reports the cut. Unknown record types are skipped (a newer minor writer may add some);
 * a header whose `format` is not one of READABLE_FORMAT_VERSIONS is rejected.
 *
 * Bump `TRACE_FORMAT_VERSION` whenever an existing field changes meaning or layout;
 * adding a record type or an optional JSON field does not need a bump.
 */

import type { FileSiteTable } from './sites';

export const TRACE_MAGIC = 'AITRACE\n';
export const TRACE_FORMAT_VERSION = 3;
/**
 * Versions the reader accepts (format/events.ts): 2 is 3 without the `abandon` event, 1 is
 * 2 without the `settle` event.
 */
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2, 3];
/** File name suffix of trace files; the CLI looks for these. */
export const TRACE_EXTENSION = '.aitrace';
export const RECORD_HEADER_BYTES = 5;

export const RecordType = {
  header: 1,
  sites: 2,
  events: 3,
  errors: 4,
  args: 5,
  snapshot: 6,
  dropped: 7,
  end: 8,
} as const;

/** First record of every trace. */
export interface HeaderRecord {
  /** `TRACE_FORMAT_VERSION` of the writer. */
  format: number;
  /** Version of the async-inspect runtime that wrote the trace. */
  runtime: string;
  pid: number;
  /** Host name of the machine (optional; absent in early traces): tells a viewer whether `pid` can be checked here. */
  host?: string;
  argv: string[];
  /** Working directory of the process; site tables carry their own project root. */
  cwd: string;
  /** Wall-clock time (ms since the epoch) that event times are relative to. */
  startTime: number;
  node: string;
  /** Recording mode, e.g. "development". */
  mode: string;
  /** V8 flags the runtime set for the run (its raised inlining budget), absent when none: timings in the trace ran with them. */
  v8Flags?: string[];
}

/**
 * A file's site table, registered when the file is first loaded. Site ids are global
 * in the trace: the file's functions take ids `base .. base + functions.length - 1`, its
 * awaits the ids that follow.
 */
export interface SitesRecord {
  base: number;
  table: FileSiteTable;
}

/** Errors that frames threw, keyed by id (referenced by `throw` events). */
export interface ErrorsRecord {
  errors: ErrorInfo[];
}

export interface ErrorInfo {
  id: number;
  /** Constructor name for errors (`TypeError`), `typeof` otherwise. */
  name: string;
  /** The error's message, or a short description of a thrown non-error. */
  message: string;
  /** Property `code` of the error when it is a string or number (e.g. ECONNRESET). */
  code?: string;
}

/** Argument previews of frames, only with the transformer option `recordArguments`. */
export interface ArgsRecord {
  frames: { frame: number; args: string[] }[];
}

/** One pending frame in a snapshot. */
export interface SnapshotFrame {
  frame: number;
  task: number;
  /** Parent frame id, 0 for a task root. */
  parent: number;
  /** Function site id. */
  fn: number;
  /** Await site id where the frame is suspended, or its last one when `running`; 0 for none. */
  site: number;
  state: 'running' | 'suspended';
  /** Time (trace ms) the frame started. */
  start: number;
  /** Time (trace ms) of its last suspension, when suspended. */
  since: number;
  /** How many times the frame has suspended so far. */
  suspends: number;
}

export type SnapshotReason = 'exit' | 'uncaught-exception' | 'unhandled-rejection' | 'signal' | 'api';

/** The live state of every pending frame, written when the process ends (and on demand). */
export interface SnapshotRecord {
  reason: SnapshotReason;
  /** Trace ms when it was taken. */
  time: number;
  exitCode?: number;
  signal?: string;
  /** The error that crashed the process, for the uncaught reasons. */
  error?: Omit<ErrorInfo, 'id'>;
  frames: SnapshotFrame[];
  /** Pending frames left out because the snapshot was capped. */
  omittedFrames: number;
}

/** What was not written, cumulative: a later record supersedes an earlier one. */
export interface DroppedRecord {
  events: number;
  /** Why, e.g. "trace file reached its size cap (104857600 bytes)" or "write failed: ENOSPC". */
  reason: string;
}

/** Written last when the process ended normally enough to write it. */
export interface EndRecord {
  time: number;
  events: number;
  droppedEvents: number;
}
