/**
 * Very deep call chains (async recursion thousands of frames deep) in bounded depth. A tree
 * of frames deeper than `MAX_SHOWN_DEPTH` keeps its first `HEAD` levels and the last `TAIL`
 * frames of each deep chain; the frames between are left out, and the node after the gap
 * says how many (`omittedDepth`). Bounded depth keeps text indentation small and JSON
 * nesting shallow (JSON.stringify, and most JSON parsers, fail a few thousand levels deep).
 */

import type { Frame, TraceModel } from '../model/types';

/** Trees up to this deep are shown whole. */
const MAX_SHOWN_DEPTH = 50;
/** Levels kept from the top of a deeper tree. */
const HEAD = 10;
/** Frames kept at the bottom of a deep chain, the deepest one included. */
const TAIL = 10;

export interface ShownFrame {
  frame: Frame;
  /** Frames left out between the parent shown above and `frame` (0: `frame` is the child itself). */
  omittedDepth: number;
}

/**
 * For the tree below `root`: which frame to show in place of `child`, a child shown at
 * `depth` levels below the root. Past `HEAD` levels, a child whose subtree would reach below
 * `MAX_SHOWN_DEPTH` is replaced by a frame further down its deepest chain (the chain to
 * `focus` when `focus` is in it, so that the frame that failed or waits stays visible).
 */
export function createDepthLimiter(model: TraceModel, root: Frame, focus?: number): (child: Frame, depth: number) => ShownFrame {
  const height = new Map<number, number>();
  const deepest = new Map<number, Frame>();
  const below: Frame[] = [];
  for (const stack = [root]; stack.length > 0; ) {
    const frame = stack.pop()!;
    below.push(frame);
    for (const id of frame.children) {
      const child = model.frames.get(id);
      if (child) stack.push(child);
    }
  }
  below.sort((a, b) => b.depth - a.depth);
  for (const frame of below) {
    if (!height.has(frame.id)) height.set(frame.id, 0), deepest.set(frame.id, frame);
    const parent = frame === root ? undefined : model.frames.get(frame.parent);
    if (!parent) continue;
    const h = height.get(frame.id)! + 1;
    if (h > (height.get(parent.id) ?? -1)) height.set(parent.id, h), deepest.set(parent.id, deepest.get(frame.id)!);
  }
  const onFocusPath = new Set<number>();
  const focusFrame = focus === undefined ? undefined : model.frames.get(focus);
  for (let f = focusFrame; f; f = f === root ? undefined : model.frames.get(f.parent)) onFocusPath.add(f.id);

  return (child, depth) => {
    const h = height.get(child.id) ?? 0;
    if (depth <= HEAD || depth + h <= MAX_SHOWN_DEPTH) return { frame: child, omittedDepth: 0 };
    let target = deepest.get(child.id) ?? child;
    if (focusFrame && onFocusPath.has(child.id)) {
      // Descend towards the focus until it is near enough; only then leave frames out.
      if (focusFrame.depth - child.depth < TAIL) return { frame: child, omittedDepth: 0 };
      target = focusFrame;
    }
    let kept = target;
    for (let i = 1; i < TAIL; i++) kept = model.frames.get(kept.parent) ?? kept;
    const omittedDepth = kept.depth - child.depth;
    return omittedDepth > 0 ? { frame: kept, omittedDepth } : { frame: child, omittedDepth: 0 };
  };
}

/** Indices of `path` to show when it is longer than `MAX_SHOWN_DEPTH` + 1: the first `HEAD` + 1 and the last `TAIL`. */
export function shownPathIndices(length: number): number[] {
  const all = Array.from({ length }, (_, i) => i);
  if (length <= MAX_SHOWN_DEPTH + 1) return all;
  return [...all.slice(0, HEAD + 1), ...all.slice(length - TAIL)];
}
