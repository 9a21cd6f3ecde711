/**
 * Failures: every error that a frame threw, traced to where it started. An error's origin
 * is the deepest frame that threw it (the failed frame none of whose children threw the
 * same error id); it travels up through parents that threw the same id, and is either
 * caught by the next frame up or fails the whole task. Identical failures (same origin
 * function, same await where the rejection arrived, same error name and message) are grouped.
 */

import { errorLabel, errorRef, siteRef, type ErrorRef, type SiteRef } from '../model/site-ref';
import { awaitOfChild, frameDuration, mustFrame } from '../model/queries';
import type { Frame, FrameOutcome, TraceModel } from '../model/types';
import { shownPathIndices } from './deep-chains';

export interface ChainNode {
  frame: number;
  fn: SiteRef;
  /** Depth below the task root. */
  depth: number;
  outcome: FrameOutcome;
  duration: number;
  /** On the path from the root to the origin; siblings started before the failure are off the path. */
  onPath: boolean;
  /** Where this frame was waiting when the error reached it (path frames), or where it failed (origin). */
  awaitSite?: SiteRef;
  /** Path frames: the next path frame and its siblings that started before the failure, in start order. */
  children: ChainNode[];
  /** Earlier siblings left out to keep the chain short. */
  omitted: number;
  /** Frames of a very deep chain left out between the parent shown above and this frame (see deep-chains.ts). */
  omittedDepth?: number;
}

export interface Failure {
  task: number;
  error: ErrorRef;
  /** The function where the error started. */
  origin: SiteRef;
  originFrame: number;
  /** The await in the origin frame where the rejection arrived; absent when it threw while running. */
  failedAt?: SiteRef;
  /** Threw while running: the await it last resumed from (the throw is in the code after it). */
  resumedFrom?: SiteRef;
  /** Task root start → failure, ms. */
  elapsed: number;
  /** Trace ms of the failure. */
  time: number;
  /** The error reached the task root: the task failed. */
  taskFailed: boolean;
  /** The frame that caught it, when the task did not fail. */
  caughtBy?: SiteRef;
  root: SiteRef;
  /** The task root, with the path to the origin below it. */
  chain: ChainNode;
}

/** How a failure happened: rejected at an await, thrown after resuming from one, or thrown before the first await. */
export type FailureHow = 'rejected' | 'after-await' | 'before-await';

/**
 * Where a failure happened: the await where the rejection arrived, else the await it last
 * resumed from (it threw in the code after it), else its function (it threw before its first await).
 */
export function failureSite(f: Pick<Failure, 'failedAt' | 'resumedFrom' | 'origin'>): { site: SiteRef; how: FailureHow } {
  if (f.failedAt) return { site: f.failedAt, how: 'rejected' };
  if (f.resumedFrom) return { site: f.resumedFrom, how: 'after-await' };
  return { site: f.origin, how: 'before-await' };
}

export interface FailureGroup {
  error: ErrorRef;
  origin: SiteRef;
  failedAt?: SiteRef;
  count: number;
  tasks: number[];
  /** How many of them failed their task (not caught). */
  uncaught: number;
  /** The first failure of the group, shown in full. */
  example: Failure;
}

export interface FailureReport {
  failures: number;
  failedTasks: number[];
  groups: FailureGroup[];
}

const MAX_SIBLINGS = 4;

export function analyzeFailures(model: TraceModel): FailureReport {
  const failures = findFailures(model);
  const groups = new Map<string, FailureGroup>();
  for (const f of failures) {
    const key = [f.origin.id, f.failedAt?.id ?? 0, errorLabel(f.error)].join('\u0000');
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { error: f.error, origin: f.origin, failedAt: f.failedAt, count: 1, tasks: [f.task], uncaught: f.taskFailed ? 1 : 0, example: f });
      continue;
    }
    group.count++;
    if (f.taskFailed) group.uncaught++;
    if (!group.tasks.includes(f.task)) group.tasks.push(f.task);
  }
  const failedTasks = [...model.tasks.values()].filter((t) => t.outcome === 'failed').map((t) => t.id);
  const sorted = [...groups.values()].sort((a, b) => b.uncaught - a.uncaught || b.count - a.count || a.example.time - b.example.time);
  return { failures: failures.length, failedTasks, groups: sorted };
}

/** Every error origin in the trace, in order of failure time. */
export function findFailures(model: TraceModel): Failure[] {
  const out: Failure[] = [];
  for (const frame of model.frames.values()) {
    if (frame.outcome !== 'failed' || !isOrigin(model, frame)) continue;
    out.push(describeFailure(model, frame));
  }
  return out.sort((a, b) => a.time - b.time || a.originFrame - b.originFrame);
}

function isOrigin(model: TraceModel, frame: Frame): boolean {
  for (const id of frame.children) {
    const child = model.frames.get(id);
    if (child?.outcome === 'failed' && child.error === frame.error) return false;
  }
  return true;
}

function describeFailure(model: TraceModel, origin: Frame): Failure {
  const path: Frame[] = [origin];
  for (let p = model.frames.get(origin.parent); p; p = model.frames.get(p.parent)) path.push(p);
  path.reverse();
  let top = origin;
  while (true) {
    const parent = model.frames.get(top.parent);
    if (!parent || parent.outcome !== 'failed' || parent.error !== origin.error) break;
    top = parent;
  }
  const rootFrame = path[0];
  const time = origin.end ?? model.endTime;
  const caught = top.parent ? model.frames.get(top.parent) : undefined;
  return {
    task: origin.task,
    error: errorRef(model, origin.error)!,
    origin: siteRef(model, origin.fn),
    originFrame: origin.id,
    failedAt: origin.failedAt ? siteRef(model, origin.failedAt) : undefined,
    resumedFrom: !origin.failedAt && origin.suspensions.length > 0 ? siteRef(model, origin.suspensions[origin.suspensions.length - 1].site) : undefined,
    elapsed: time - rootFrame.start,
    time,
    taskFailed: top.parent === 0 || top === rootFrame,
    caughtBy: caught ? siteRef(model, caught.fn) : undefined,
    root: siteRef(model, rootFrame.fn),
    chain: buildChain(model, path, origin.endEvent ?? Infinity),
  };
}

/**
 * The path root → origin; each path frame also lists its children that started before the
 * failure. A very deep path keeps its first and last frames (`omittedDepth` on the frame after the gap).
 */
function buildChain(model: TraceModel, path: Frame[], failureEvent: number): ChainNode {
  const shown = shownPathIndices(path.length);
  let below: ChainNode | undefined;
  for (let k = shown.length - 1; k >= 0; k--) {
    const i = shown[k];
    const frame = path[i];
    const origin = i === path.length - 1;
    const next = below && mustFrame(model, below.frame);
    const child = path[i + 1];
    const at = origin ? frame.failedAt : child ? awaitOfChild(frame, child)?.site : undefined;
    const node = chainNode(model, frame, true, at);
    if (below) {
      const gap = shown[k + 1] - i - 1;
      if (gap > 0) below.omittedDepth = gap;
      const earlier = gap > 0 ? [] : frame.children.filter((id) => id !== next!.id && mustFrame(model, id).enterEvent < failureEvent);
      const siblings = earlier.slice(-MAX_SIBLINGS);
      node.omitted = earlier.length - siblings.length;
      node.children = [...siblings.map((id) => chainNode(model, mustFrame(model, id), false, undefined)), below].sort(
        (a, b) => mustFrame(model, a.frame).start - mustFrame(model, b.frame).start || a.frame - b.frame,
      );
    }
    below = node;
  }
  return below!;
}

function chainNode(model: TraceModel, frame: Frame, onPath: boolean, awaitSite: number | undefined): ChainNode {
  return {
    frame: frame.id,
    fn: siteRef(model, frame.fn),
    depth: frame.depth,
    outcome: frame.outcome,
    duration: frameDuration(model, frame),
    onPath,
    awaitSite: awaitSite ? siteRef(model, awaitSite) : undefined,
    children: [],
    omitted: 0,
  };
}
