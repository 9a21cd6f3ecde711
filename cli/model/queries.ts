/** Small questions about frames that several analyses ask. */

import type { Frame, Suspension, TraceModel } from './types';

/** How long the frame ran: to its end, or to the end of the trace when it never ended. */
export function frameDuration(model: TraceModel, frame: Frame): number {
  return (frame.end ?? model.endTime) - frame.start;
}

export function suspensionDuration(model: TraceModel, s: Suspension): number {
  return (s.end ?? model.endTime) - s.start;
}

/** The suspension still open at the end of the trace, if the frame is pending there. */
export function openSuspension(frame: Frame): Suspension | undefined {
  const last = frame.suspensions[frame.suspensions.length - 1];
  return last && last.end === undefined && frame.outcome === 'pending' ? last : undefined;
}

/** Where `parent` awaited `child`: its first suspension after the child started (the child runs synchronously until its own first await). */
export function awaitOfChild(parent: Frame, child: Frame): Suspension | undefined {
  if (child.enterEvent < 0) return undefined;
  return parent.suspensions.find((s) => s.event > child.enterEvent);
}

export function mustFrame(model: TraceModel, id: number): Frame {
  const frame = model.frames.get(id);
  if (!frame) throw new Error(`internal: frame ${id} is not in the model`);
  return frame;
}

/** The pending frame deepest in the task (the one actually waiting); ties go to the longest waiting. */
export function deepestPending(model: TraceModel, frameIds: number[]): Frame | undefined {
  let best: Frame | undefined;
  for (const id of frameIds) {
    const f = model.frames.get(id);
    if (!f || f.outcome !== 'pending') continue;
    if (!best || f.depth > best.depth || (f.depth === best.depth && waitStart(f) < waitStart(best))) best = f;
  }
  return best;
}

function waitStart(frame: Frame): number {
  return openSuspension(frame)?.start ?? Infinity;
}
