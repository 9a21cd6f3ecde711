/**
 * A task's async stack: its whole tree of frames with state, current or last await and
 * timings, and the frame to show code for (the deepest pending one, else where it failed).
 */

import { createDepthLimiter } from './deep-chains';
import { failureSite, findFailures } from './failures';
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
  /** Pending: where it waits now; otherwise its last await (failed: where the rejection arrived, if it did at an await). */
  site?: SiteRef;
  /** Failed with the rejection arriving at `site` (else it threw after resuming from `site`, or before any await). */
  failedAtSite?: boolean;
  /** How long it has been waiting at `site`, for pending frames. */
  waiting?: number;
  error?: ErrorRef;
  /** Previews of the call's arguments, one per parameter, when the code was built with `recordArguments`. */
  args?: string[];
  children: TreeNode[];
  /** Children left out (beyond the limit), by outcome. */
  omitted: number;
  /** Frames of a very deep chain left out between the parent shown above and this frame (see deep-chains.ts). */
  omittedDepth?: number;
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
  const focus = findFocus(model, task);
  return {
    task: task.id,
    outcome: task.outcome,
    start: task.start,
    duration: frameDuration(model, root),
    frames: task.frames.length,
    root: buildNodes(model, task, root, options.maxChildren ?? 30, focus?.frame),
    focus,
  };
}

/** The tree below `root`, built without recursion (chains can be thousands of frames deep). */
function buildNodes(model: TraceModel, task: Task, root: Frame, max: number, focus: number | undefined): TreeNode {
  const limit = createDepthLimiter(model, root, focus);
  const top = treeNode(model, task, root);
  const stack: [TreeNode, Frame, number][] = [[top, root, 0]];
  while (stack.length > 0) {
    const [node, frame, depth] = stack.pop()!;
    const { shown, omitted } = pickChildren(model, frame, max);
    node.omitted = omitted;
    for (const child of shown) {
      const { frame: f, omittedDepth } = limit(child, depth + 1);
      const n = treeNode(model, task, f);
      if (omittedDepth > 0) n.omittedDepth = omittedDepth;
      node.children.push(n);
      stack.push([n, f, depth + 1]);
    }
  }
  return top;
}

/** At most `max` children (0: all), pending and failed ones first, in start order. */
function pickChildren(model: TraceModel, frame: Frame, max: number): { shown: Frame[]; omitted: number } {
  const children = frame.children.map((id) => mustFrame(model, id));
  if (max <= 0 || children.length <= max) return { shown: children, omitted: 0 };
  const rank = (f: Frame) => (f.outcome === 'pending' || f.outcome === 'failed' ? 0 : 1);
  const keep = new Set([...children].sort((a, b) => rank(a) - rank(b) || a.start - b.start).slice(0, max).map((f) => f.id));
  return { shown: children.filter((f) => keep.has(f.id)), omitted: children.length - keep.size };
}

function treeNode(model: TraceModel, task: Task, frame: Frame): TreeNode {
  const open = openSuspension(frame);
  const last = frame.suspensions[frame.suspensions.length - 1];
  const siteId = frame.outcome === 'failed' ? (frame.failedAt ?? last?.site) : last?.site;
  return {
    frame: frame.id,
    fn: siteRef(model, frame.fn),
    outcome: frame.outcome,
    running: frame.running || undefined,
    start: frame.start - task.start,
    duration: frameDuration(model, frame),
    suspends: frame.suspensions.length,
    site: siteId ? siteRef(model, siteId) : undefined,
    failedAtSite: (frame.outcome === 'failed' && frame.failedAt !== undefined) || undefined,
    waiting: open ? model.endTime - open.start : undefined,
    error: errorRef(model, frame.error),
    args: model.trace.args.get(frame.id),
    children: [],
    omitted: 0,
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
  const { site, how } = failureSite(failure);
  return { frame: failure.originFrame, kind: 'failed', site, time: failure.time - task.start, after: AFTER[how] };
}

const AFTER = { rejected: undefined, 'after-await': 'resumed', 'before-await': 'start' } as const;
