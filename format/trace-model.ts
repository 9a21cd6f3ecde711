/**
 * What a reader makes of a trace file: resolved sites, all events in one columnar
 * buffer, and the JSON side records. Pure data, no behaviour.
 */

import type {
  DroppedRecord,
  EndRecord,
  ErrorInfo,
  HeaderRecord,
  SnapshotRecord,
} from './records';
import type { AwaitKind, FunctionKind } from './sites';

/** The source file a site belongs to, as recorded at build time. */
export interface SourceFileInfo {
  /** Path relative to `root`. */
  file: string;
  /** Absolute project root at build time. */
  root: string;
  /** sha256 prefix of the source text at build time. */
  hash: string;
}

export interface FunctionSite {
  id: number;
  type: 'function';
  name: string;
  source: SourceFileInfo;
  line: number;
  column: number;
  params: string[];
  kind: FunctionKind;
}

export interface AwaitSite {
  id: number;
  type: 'await';
  /** Global id of the enclosing function's site. */
  fn: number;
  source: SourceFileInfo;
  line: number;
  column: number;
  /** The awaited expression's source, shortened. */
  text: string;
  kind: AwaitKind;
}

export type Site = FunctionSite | AwaitSite;

export interface TraceCut {
  /** Byte offset where the last complete record ends. */
  offset: number;
  /** Human-readable reason, e.g. "the last record is incomplete (12 of 262149 bytes)". */
  reason: string;
}

export interface ParsedTrace {
  header: HeaderRecord;
  /** Sites by global id. */
  sites: Map<number, Site>;
  /** All events, EVENT_FIELDS doubles each (see format/events.ts). */
  events: Float64Array;
  eventCount: number;
  errors: Map<number, ErrorInfo>;
  /** Argument previews by frame id. */
  args: Map<number, string[]>;
  snapshots: SnapshotRecord[];
  /** The latest `dropped` record, if any. */
  dropped?: DroppedRecord;
  end?: EndRecord;
  /** Set when the file ends in the middle of a record. */
  cut?: TraceCut;
  /** Oddities that did not stop reading (unknown record types, bad site tables). */
  warnings: string[];
}
