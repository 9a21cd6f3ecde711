/**
 * Slow tasks: tasks that ran (or have been pending) at least a threshold, each with a
 * breakdown of its frames and awaits by time. The dominant path follows, from the root,
 * the child that takes at least half of its parent's time; its last frame's biggest
 * await is where the time went.
 */

import { frameDuration, mustFrame, suspensionDuration } from '../model/queries';
import { siteRef, type SiteRef } from '../model/site-ref';
import type { Frame, FrameOutcome, Task, TaskOutcome, TraceModel } from '../model/types';
import { createDepthLimiter } from './deep-chains';

export interface SlowOptions {
  threshold: number;
  /** Slowest tasks to break down; 0 for all. */
  top?: number;
  /** Children listed per frame; the rest are summed up. */
  maxChildren?: number;
}

export interface AwaitTiming {
  site: SiteRef;
  count: number;
  total: number;
  max: number;
  dominant: boolean;
}

export interface SlowNode {
  frame: number;
  fn: SiteRef;
  outcome: FrameOutcome;
  duration: number;
  /** Share of the task's duration, 0..1. */
  share: number;
  /** The frame alone is at least as long as the threshold. */
  slow: boolean;
  /** On the dominant path. */
  dominant: boolean;
  awaits: AwaitTiming[];
  children: SlowNode[];
  /** Children left out (the shortest ones) and their summed duration. */
  omitted: { count: number; total: number };
  /** Frames of a very deep chain left out between the parent shown above and this frame (see deep-chains.ts). */
  omittedDepth?: number;
}

export interface SlowTask {
  task: number;
  outcome: TaskOutcome;
  duration: number;
  tree: SlowNode;
}

export interface SlowReport {
  threshold: number;
  /** Tasks at least as slow as the threshold (`tasks` may list fewer, see `top`). */
  total: number;
  tasks: SlowTask[];
}

export function analyzeSlow(model: TraceModel, options: SlowOptions): SlowReport {
  const slow: { task: Task; root: Frame; duration: number }[] = [];
  for (const task of model.tasks.values()) {
    const root = model.frames.get(task.root);
    if (!root || task.outcome === 'unknown') continue; // never ended and not pending: its length is not known
    const duration = frameDuration(model, root);
    if (duration >= options.threshold) slow.push({ task, root, duration });
  }
  slow.sort((a, b) => b.duration - a.duration || a.task.id - b.task.id);
  const shown = options.top ? slow.slice(0, options.top) : slow;
  const tasks = shown.map(({ task, root, duration }) => {
    const tree = slowTree(model, root, duration, options);
    markDominant(tree);
    return { task: task.id, outcome: task.outcome, duration, tree };
  });
  return { threshold: options.threshold, total: slow.length, tasks };
}

/** The frames below `root` with their timings, built without recursion (chains can be thousands of frames deep). */
function slowTree(model: TraceModel, root: Frame, taskDuration: number, options: SlowOptions): SlowNode {
  const max = options.maxChildren ?? 8;
  const limit = createDepthLimiter(model, root);
  const top = slowNode(model, root, taskDuration, options);
  const stack: [SlowNode, Frame, number][] = [[top, root, 0]];
  while (stack.length > 0) {
    const [node, frame, depth] = stack.pop()!;
    const children = frame.children.map((id) => mustFrame(model, id));
    const kept = new Set(
      [...children].sort((a, b) => frameDuration(model, b) - frameDuration(model, a)).slice(0, max).map((f) => f.id),
    );
    for (const child of children) {
      if (!kept.has(child.id)) {
        node.omitted.count++;
        node.omitted.total += frameDuration(model, child);
        continue;
      }
      const { frame: f, omittedDepth } = limit(child, depth + 1);
      const n = slowNode(model, f, taskDuration, options);
      if (omittedDepth > 0) n.omittedDepth = omittedDepth;
      node.children.push(n);
      stack.push([n, f, depth + 1]);
    }
  }
  return top;
}

function slowNode(model: TraceModel, frame: Frame, taskDuration: number, options: SlowOptions): SlowNode {
  const duration = frameDuration(model, frame);
  return {
    frame: frame.id,
    fn: siteRef(model, frame.fn),
    outcome: frame.outcome,
    duration,
    share: taskDuration > 0 ? duration / taskDuration : 0,
    slow: duration >= options.threshold,
    dominant: false,
    awaits: awaitTimings(model, frame),
    children: [],
    omitted: { count: 0, total: 0 },
  };
}

function awaitTimings(model: TraceModel, frame: Frame): AwaitTiming[] {
  const bySite = new Map<number, AwaitTiming>();
  for (const s of frame.suspensions) {
    const d = suspensionDuration(model, s);
    const t = bySite.get(s.site);
    if (t) {
      t.count++;
      t.total += d;
      t.max = Math.max(t.max, d);
    } else bySite.set(s.site, { site: siteRef(model, s.site), count: 1, total: d, max: d, dominant: false });
  }
  return [...bySite.values()].sort((a, b) => b.total - a.total);
}

function markDominant(root: SlowNode): void {
  let node = root;
  node.dominant = true;
  while (true) {
    const next = node.children.reduce<SlowNode | undefined>((best, c) => (!best || c.duration > best.duration ? c : best), undefined);
    if (!next || next.duration < node.duration / 2) break;
    next.dominant = true;
    node = next;
  }
  if (node.awaits.length > 0) node.awaits[0].dominant = true;
}
