/**
 * The live picture, read from the frame table: pending frames as a snapshot record for
 * the trace, and as plain nested data for the public `inspect()` API.
 */

import type { SnapshotFrame } from '../format';
import { preciseNow } from './clock';
import { RUNNING, forEachPendingFrame } from './frames';
import { resolveSite } from './site-registry';

/** Frames listed in one snapshot at most; the rest are counted. */
const SNAPSHOT_FRAME_CAP = 20000;

export function pendingFrames(cap = SNAPSHOT_FRAME_CAP): { frames: SnapshotFrame[]; omitted: number } {
  const frames: SnapshotFrame[] = [];
  let omitted = 0;
  forEachPendingFrame((f) => {
    if (frames.length >= cap) {
      omitted++;
      return;
    }
    frames.push({
      frame: f.id,
      task: f.task,
      parent: f.parent,
      fn: f.fn,
      site: f.site,
      state: f.state === RUNNING ? 'running' : 'suspended',
      start: f.start,
      since: f.since,
      suspends: f.suspends,
    });
  });
  frames.sort((a, b) => a.frame - b.frame);
  return { frames, omitted };
}

/** A pending frame in the public live state. */
export interface LiveFrame {
  id: number;
  /** Display name of the function, e.g. `UserService.load`. */
  name: string;
  file: string;
  line: number;
  state: 'running' | 'suspended';
  /** Where the frame waits (or last waited). */
  awaiting?: { file: string; line: number; column: number; text: string; forMs: number };
  /** How many times the frame suspended so far. */
  suspensions: number;
  ageMs: number;
  children: LiveFrame[];
}

export interface LiveTask {
  id: number;
  root: LiveFrame;
}

export interface LiveState {
  /** Milliseconds since the runtime started. */
  time: number;
  tasks: LiveTask[];
  pendingFrames: number;
}

export function liveState(): LiveState {
  const time = preciseNow();
  const { frames } = pendingFrames(Number.MAX_SAFE_INTEGER);
  const byId = new Map<number, LiveFrame>();
  for (const f of frames) {
    const fn = resolveSite(f.fn);
    const at = f.site > 0 ? resolveSite(f.site) : undefined;
    byId.set(f.frame, {
      id: f.frame,
      name: fn?.name ?? '?',
      file: fn?.file ?? '?',
      line: fn?.line ?? 0,
      state: f.state,
      awaiting: at && {
        file: at.file,
        line: at.line,
        column: at.column,
        text: at.text ?? '',
        forMs: f.state === 'suspended' ? Math.max(0, time - f.since) : 0,
      },
      suspensions: f.suspends,
      ageMs: Math.max(0, time - f.start),
      children: [],
    });
  }
  const tasks = new Map<number, LiveTask>();
  for (const f of frames) {
    const live = byId.get(f.frame)!;
    const parent = f.parent ? byId.get(f.parent) : undefined;
    if (parent) parent.children.push(live);
    else if (!tasks.has(f.task)) tasks.set(f.task, { id: f.task, root: live });
    else tasks.get(f.task)!.root.children.push(live); // the parent finished; keep it under its task
  }
  return { time, tasks: [...tasks.values()].sort((a, b) => a.id - b.id), pendingFrames: frames.length };
}
