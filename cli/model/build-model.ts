/** Builds frames and tasks from a parsed trace. Pure: one pass over the events, then the final snapshot. */

// Straight from format/events (not the index) so hot loops skip the re-export getters.
import { EVENT_FIELDS, EventKind, eventKindOf, eventSiteOf } from '../../format/events';
import { type ParsedTrace, type SnapshotRecord } from '../../format';
import { collectNotes } from './notes';
import type { Frame, Task, TraceModel } from './types';

export interface BuildModelOptions {
  /**
   * Trace ms of "now" when the traced process is still running (the caller checks; the
   * model stays pure): pending frames then count as waiting until now, not until the last
   * event.
   */
  liveNow?: number;
}

export function buildModel(trace: ParsedTrace, options: BuildModelOptions = {}): TraceModel {
  const frames = new Map<number, Frame>();
  const tasks = new Map<number, Task>();
  const orphans: number[] = [];
  const ev = trace.events;
  let lastTime = 0;

  for (let i = 0; i < trace.eventCount; i++) {
    const at = i * EVENT_FIELDS;
    const code = ev[at];
    const id = ev[at + 1];
    const arg = ev[at + 2];
    const time = ev[at + 3];
    if (time > lastTime) lastTime = time;
    const kind = eventKindOf(code);
    if (kind === EventKind.enter) {
      const frame = newFrame(id, eventSiteOf(code), time, i);
      frames.set(id, frame);
      if (arg < 0) {
        attachRoot(tasks, frame, -arg);
      } else {
        const parent = frames.get(arg);
        if (parent) attachChild(tasks, parent, frame);
        else orphans.push(id), attachRoot(tasks, frame, 0, arg);
      }
      continue;
    }
    const frame = frames.get(id);
    if (!frame) continue;
    const last = frame.suspensions[frame.suspensions.length - 1];
    const open = last !== undefined && last.end === undefined ? last : undefined;
    if (kind === EventKind.suspend) {
      if (open) open.end = time;
      frame.suspensions.push({ site: eventSiteOf(code), start: time, end: undefined, rejected: false, event: i });
    } else if (kind === EventKind.resume) {
      if (open) {
        open.end = time;
        frame.resumes++;
      }
    } else if (kind === EventKind.return) {
      if (open) open.end = time;
      frame.end = time;
      frame.endEvent = i;
      frame.outcome = 'completed';
    } else if (kind === EventKind.throw) {
      if (open) {
        open.end = time;
        open.rejected = true;
        frame.failedAt = open.site;
      }
      frame.end = time;
      frame.endEvent = i;
      frame.outcome = 'failed';
      frame.error = arg;
    } else if (kind === EventKind.abandon) {
      // Its generator was collected while it waited at a yield for a consumer that never
      // came back: that wait never ended (and counts in no wait statistics).
      frame.end = time;
      frame.endEvent = i;
      frame.outcome = 'abandoned';
    }
  }

  const finalSnapshot = pickFinalSnapshot(trace.snapshots);
  const live = options.liveNow !== undefined && !finalSnapshot && !trace.end;
  const endTime = Math.max(lastTime, finalSnapshot?.time ?? trace.end?.time ?? 0, live ? options.liveNow! : 0);
  settleOpenFrames(frames, tasks, finalSnapshot);
  for (const task of tasks.values()) settleTask(task, frames);
  const notes = collectNotes(trace, finalSnapshot, orphans.length, live);
  return { trace, frames, tasks, errors: trace.errors, finalSnapshot, endTime, live, notes };
}

/** The last snapshot taken at exit, crash or signal; `api` snapshots are taken mid-run. */
function pickFinalSnapshot(snapshots: SnapshotRecord[]): SnapshotRecord | undefined {
  for (let i = snapshots.length - 1; i >= 0; i--) if (snapshots[i].reason !== 'api') return snapshots[i];
  return undefined;
}

function newFrame(id: number, fn: number, start: number, enterEvent: number): Frame {
  // Every field set up front: one object shape for all frames.
  return {
    id, fn, parent: 0, task: 0, depth: 0, start, end: undefined, outcome: 'unknown', error: undefined, failedAt: undefined,
    suspensions: [], resumes: 0, children: [], enterEvent, endEvent: undefined, running: undefined,
  };
}

function attachRoot(tasks: Map<number, Task>, frame: Frame, taskId: number, missingParent = 0): void {
  frame.task = taskId;
  frame.parent = missingParent;
  let task = tasks.get(taskId);
  if (!task) {
    task = { id: taskId, root: frame.id, frames: [], start: frame.start, outcome: 'unknown' };
    tasks.set(taskId, task);
  }
  task.frames.push(frame.id);
}

function attachChild(tasks: Map<number, Task>, parent: Frame, frame: Frame): void {
  frame.parent = parent.id;
  frame.task = parent.task;
  frame.depth = parent.depth + 1;
  parent.children.push(frame.id);
  tasks.get(parent.task)?.frames.push(frame.id);
}

/**
 * Frames that never ended: with a final snapshot, those it lists are pending (it is
 * authoritative) and the rest unknown; without one, every open frame is pending as of
 * the end of the trace. Snapshot frames whose events were lost are added.
 */
function settleOpenFrames(frames: Map<number, Frame>, tasks: Map<number, Task>, snapshot: SnapshotRecord | undefined): void {
  const listed = new Set<number>();
  for (const s of snapshot?.frames ?? []) {
    listed.add(s.frame);
    let frame = frames.get(s.frame);
    if (!frame) {
      frame = newFrame(s.frame, s.fn, s.start, -1);
      frames.set(s.frame, frame);
      const parent = s.parent ? frames.get(s.parent) : undefined;
      if (parent) attachChild(tasks, parent, frame);
      else attachRoot(tasks, frame, s.task, s.parent);
    }
    if (frame.end !== undefined) continue;
    frame.outcome = 'pending';
    frame.running = s.state === 'running';
    const last = frame.suspensions[frame.suspensions.length - 1];
    if (s.state === 'suspended' && s.site && (!last || last.end !== undefined || last.site !== s.site)) {
      if (last && last.end === undefined) last.end = s.since;
      frame.suspensions.push({ site: s.site, start: s.since, end: undefined, rejected: false, event: -1 });
    }
  }
  for (const frame of frames.values()) {
    if (frame.end !== undefined || listed.has(frame.id)) continue;
    frame.outcome = snapshot ? 'unknown' : 'pending';
  }
}

function settleTask(task: Task, frames: Map<number, Frame>): void {
  const root = frames.get(task.root);
  if (!root) return;
  task.end = root.end;
  task.outcome = root.outcome;
  if (root.outcome === 'completed' && task.frames.some((id) => frames.get(id)?.outcome === 'pending')) task.outcome = 'pending';
}
