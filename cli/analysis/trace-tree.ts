/**
 * A task's async stack: its whole tree of frames with state, current or last await and
 * timings, and the frame to show code for (the deepest pending one, else where it failed).
 */

import { findFailures } from './failures';
import { deepestPending, frameDuration, mustFrame, openSuspension } from '../model/queries';
import { errorRef, siteRef, type ErrorRef, type SiteRef } from '../model/site-ref';
import type { Frame, FrameOutcome, Task, TaskOutcome, TraceModel } from '../model/types';

export interface TreeNode {
  frame: number;
  fn: SiteRef;
  outcome: FrameOutcome;
  /** Pending frames that were running, not suspended, when the trace ended. */
  running?: boolean;
  /** ms since the task started. */
  start: number;
  duration: number;
  suspends: number;
  /** Pending: where it waits now; otherwise its last await (failed: where the rejection arrived). */
  site?: SiteRef;
  /** How long it has been waiting at `site`, for pending frames. */
  waiting?: number;
  error?: ErrorRef;
  children: TreeNode[];
  /** Children left out (beyond the limit), by outcome. */
  omitted: number;
}

export interface TraceFocus {
  frame: number;
  kind: 'stuck' | 'failed';
  site: SiteRef;
  /** stuck: how long it has been suspended there; failed: ms into the task. */
  time: number;
  /** Failed while running: after resuming from `site`, or before the first await (`site` is the function). */
  after?: 'resumed' | 'start';
}

export interface TraceTree {
  task: number;
  outcome: TaskOutcome;
  start: number;
  duration: number;
  frames: number;
  root: TreeNode;
  focus?: TraceFocus;
}

export interface TraceTreeOptions {
  /** Children shown per frame (pending and failed ones first); 0 for all. */
  maxChildren?: number;
}

export function buildTraceTree(model: TraceModel, task: Task, options: TraceTreeOptions = {}): TraceTree {
  const root = mustFrame(model, task.root);
  return {
    task: task.id,
    outcome: task.outcome,
    start: task.start,
    duration: frameDuration(model, root),
    frames: task.frames.length,
    root: treeNode(model, task, root, options.maxChildren ?? 30),
    focus: findFocus(model, task),
  };
}

function treeNode(model: TraceModel, task: Task, frame: Frame, max: number): TreeNode {
  const open = openSuspension(frame);
  const last = frame.suspensions[frame.suspensions.length - 1];
  const siteId = frame.outcome === 'failed' ? (frame.failedAt ?? last?.site) : last?.site;
  let children = frame.children.map((id) => mustFrame(model, id));
  let omitted = 0;
  if (max > 0 && children.length > max) {
    const rank = (f: Frame) => (f.outcome === 'pending' || f.outcome === 'failed' ? 0 : 1);
    const keep = new Set([...children].sort((a, b) => rank(a) - rank(b) || a.start - b.start).slice(0, max).map((f) => f.id));
    omitted = children.length - keep.size;
    children = children.filter((f) => keep.has(f.id));
  }
  return {
    frame: frame.id,
    fn: siteRef(model, frame.fn),
    outcome: frame.outcome,
    running: frame.running || undefined,
    start: frame.start - task.start,
    duration: frameDuration(model, frame),
    suspends: frame.suspensions.length,
    site: siteId ? siteRef(model, siteId) : undefined,
    waiting: open ? model.endTime - open.start : undefined,
    error: errorRef(model, frame.error),
    children: children.map((c) => treeNode(model, task, c, max)),
    omitted,
  };
}

function findFocus(model: TraceModel, task: Task): TraceFocus | undefined {
  const pending = deepestPending(model, task.frames);
  const open = pending && openSuspension(pending);
  if (pending && open) return { frame: pending.id, kind: 'stuck', site: siteRef(model, open.site), time: model.endTime - open.start };
  const inTask = new Set(task.frames);
  const mine = findFailures(model).filter((f) => inTask.has(f.originFrame));
  const failure = mine.find((f) => f.taskFailed) ?? mine[0];
  if (!failure) return undefined;
  return {
    frame: failure.originFrame,
    kind: 'failed',
    site: failure.failedAt ?? failure.resumedFrom ?? failure.origin,
    time: failure.time - task.start,
    after: failure.failedAt ? undefined : failure.resumedFrom ? 'resumed' : 'start',
  };
}
