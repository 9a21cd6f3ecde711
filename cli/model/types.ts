/** The task/frame model the analyses work on, built from a trace's events by `buildModel`. */

import type { ErrorInfo, ParsedTrace, SnapshotRecord } from '../../format';

/**
 * - completed: returned;
 * - failed: ended by throwing;
 * - pending: still running or suspended when the trace ends (the final snapshot lists it,
 *   or there is no final snapshot and it never ended);
 * - abandoned: an async generator that waited for its consumer at a `yield` and was
 *   garbage-collected there (the program dropped it): it can never resume;
 * - unknown: never ended and missing from the final snapshot (events lost or not written).
 */
export type FrameOutcome = 'completed' | 'failed' | 'pending' | 'abandoned' | 'unknown';

/** A task is pending when its root is, or when the root returned but a frame it started is still pending. */
export type TaskOutcome = FrameOutcome;

export interface Suspension {
  /** Await site id. */
  site: number;
  /** Trace ms when the frame suspended. */
  start: number;
  /** Trace ms when it resumed (or threw while suspended); undefined while still suspended. */
  end?: number;
  /** True when the frame threw without resuming: the awaited promise rejected here. */
  rejected?: boolean;
  /** Index of the suspend event in the trace (-1 when only the final snapshot knows it). */
  event: number;
}

export interface Frame {
  id: number;
  /** Function site id. */
  fn: number;
  /** Parent frame id, 0 for a task root. */
  parent: number;
  task: number;
  /** 0 for a task root. */
  depth: number;
  /** Trace ms. */
  start: number;
  /** Trace ms when it returned, threw or was abandoned. */
  end?: number;
  outcome: FrameOutcome;
  /** Error id (see `TraceModel.errors`) when failed. */
  error?: number;
  /** Await site where the rejection arrived, when the frame threw while suspended there. */
  failedAt?: number;
  suspensions: Suspension[];
  resumes: number;
  /** Child frame ids, in start order. */
  children: number[];
  /** Index of the enter event (orders frames started in the same millisecond); -1 when only the snapshot knows the frame. */
  enterEvent: number;
  /** Index of the return, throw or abandon event. */
  endEvent?: number;
  /** Pending frames: running (not suspended) when the snapshot was taken. */
  running?: boolean;
}

export interface Task {
  id: number;
  /** Root frame id. */
  root: number;
  /** Frame ids, in start order. */
  frames: number[];
  start: number;
  /** When the root ended. */
  end?: number;
  outcome: TaskOutcome;
}

export interface TraceModel {
  trace: ParsedTrace;
  frames: Map<number, Frame>;
  /** Tasks by id, in start order. */
  tasks: Map<number, Task>;
  errors: Map<number, ErrorInfo>;
  /** The snapshot that decides what is pending (taken at exit, crash or signal), if any. */
  finalSnapshot?: SnapshotRecord;
  /** Trace ms of the end of the recording: the final snapshot, the end record, the last event, or now while the process runs. */
  endTime: number;
  /** True when the traced process was still running when the trace was read. */
  live: boolean;
  /** Things the reader of an analysis should know (cut file, dropped events, no snapshot…). */
  notes: string[];
}
