/**
 * A task's events in order, relative to its start. Runs of the same frame suspending at
 * the same site many times in a row are collapsed (the first iterations and the last stay
 * visible), and long runs of short waits are flagged as a possible spin or poll loop.
 */

// Straight from format/events (not the index) so hot loops skip the re-export getters.
import { EVENT_FIELDS, EventKind, eventKindOf, eventSiteOf } from '../../format/events';
import { errorRef, siteRef, type ErrorRef, type SiteRef } from '../model/site-ref';
import { frameDuration, mustFrame, openSuspension } from '../model/queries';
import type { Frame, Task, TaskOutcome, TraceModel } from '../model/types';

export type TimelineKind = 'spawn' | 'enter' | 'suspend' | 'resume' | 'return' | 'throw' | 'abandon' | 'repeat' | 'pending';

export interface TimelineEntry {
  kind: TimelineKind;
  /** ms since the task started. */
  t: number;
  frame: number;
  /** Depth of the frame below the task root. */
  depth: number;
  /** The frame's function. */
  fn: SiteRef;
  /** suspend / resume / repeat / pending: the await site; throw: where the rejection arrived. */
  site?: SiteRef;
  /** resume: how long the frame waited; pending: how long it has been waiting. */
  waited?: number;
  /** return / throw: how long the frame ran. */
  duration?: number;
  error?: ErrorRef;
  /** repeat: suspensions folded into this line and the time they took together. */
  count?: number;
  total?: number;
}

export interface SpinWarning {
  frame: number;
  site: SiteRef;
  /** Suspensions in a row at the site. */
  count: number;
  /** Mean wait per suspension, ms. */
  mean: number;
  /** ms since the task started, first and last suspension of the run. */
  from: number;
  to: number;
}

export interface Timeline {
  task: number;
  outcome: TaskOutcome;
  root: SiteRef;
  /** Trace ms of the task's start. */
  start: number;
  duration: number;
  entries: TimelineEntry[];
  spins: SpinWarning[];
}

export interface TimelineOptions {
  /** Runs at least this long are collapsed. */
  collapseMin?: number;
  /** Iterations kept visible at the start of a collapsed run. */
  keepFirst?: number;
  /** Runs at least this long with a mean wait at most `spinMaxMean` ms are flagged. */
  spinMin?: number;
  spinMaxMean?: number;
}

interface Zone {
  frame: Frame;
  /** Event indices [from, to): hidden for the frame and its descendants. */
  from: number;
  to: number;
  entry: TimelineEntry;
}

export function buildTimeline(model: TraceModel, task: Task, options: TimelineOptions = {}): Timeline {
  const collapseMin = options.collapseMin ?? 6;
  const keepFirst = options.keepFirst ?? 2;
  const inTask = new Set(task.frames);
  const zones: Zone[] = [];
  const spins: SpinWarning[] = [];
  for (const id of task.frames) {
    const frame = mustFrame(model, id);
    for (const [a, b] of sameSiteRuns(frame)) {
      const n = b - a + 1;
      const waits = frame.suspensions.slice(a, b + 1).map((s) => (s.end ?? model.endTime) - s.start);
      const mean = waits.reduce((x, y) => x + y, 0) / n;
      if (n >= (options.spinMin ?? 20) && mean <= (options.spinMaxMean ?? 100)) {
        const site = siteRef(model, frame.suspensions[a].site);
        spins.push({ frame: id, site, count: n, mean, from: frame.suspensions[a].start - task.start, to: frame.suspensions[b].start - task.start });
      }
      if (n < collapseMin) continue;
      const first = frame.suspensions[a + keepFirst];
      const last = frame.suspensions[b];
      if (first.event < 0 || last.event < 0) continue;
      const hidden = waits.slice(keepFirst, n - 1);
      zones.push({
        frame,
        from: first.event,
        to: last.event,
        entry: entry(model, task, 'repeat', frame, first.start, {
          site: siteRef(model, first.site),
          count: hidden.length,
          total: hidden.reduce((x, y) => x + y, 0),
        }),
      });
    }
  }
  const entries = walkEvents(model, task, inTask, zones);
  for (const id of task.frames) {
    const frame = mustFrame(model, id);
    if (frame.outcome !== 'pending') continue;
    const waiting = openSuspension(frame);
    entries.push(
      entry(model, task, 'pending', frame, model.endTime, {
        site: waiting && siteRef(model, waiting.site),
        waited: waiting ? model.endTime - waiting.start : undefined,
      }),
    );
  }
  const root = mustFrame(model, task.root);
  return { task: task.id, outcome: task.outcome, root: siteRef(model, root.fn), start: task.start, duration: frameDuration(model, root), entries, spins };
}

/** [first, last] suspension indices of runs at one site (two or more in a row). */
function sameSiteRuns(frame: Frame): [number, number][] {
  const runs: [number, number][] = [];
  const s = frame.suspensions;
  let a = 0;
  for (let i = 1; i <= s.length; i++) {
    if (i < s.length && s[i].site === s[a].site) continue;
    if (i - 1 > a) runs.push([a, i - 1]);
    a = i;
  }
  return runs;
}

function walkEvents(model: TraceModel, task: Task, inTask: Set<number>, zones: Zone[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const waitStart = new Map<number, { site: number; start: number }>();
  const ev = model.trace.events;
  zones.sort((x, y) => x.from - y.from);
  let nextZone = 0;
  const active: Zone[] = [];
  for (let i = 0; i < model.trace.eventCount; i++) {
    const at = i * EVENT_FIELDS;
    const id = ev[at + 1];
    if (!inTask.has(id)) continue;
    const frame = mustFrame(model, id);
    const code = ev[at];
    const time = ev[at + 3];
    const kind = eventKindOf(code);
    if (kind === EventKind.suspend) waitStart.set(id, { site: eventSiteOf(code), start: time });
    while (nextZone < zones.length && zones[nextZone].from <= i) {
      active.push(zones[nextZone]);
      entries.push(zones[nextZone++].entry);
    }
    for (let z = active.length - 1; z >= 0; z--) if (active[z].to <= i) active.splice(z, 1);
    if (active.some((z) => isWithin(model, frame, z.frame))) continue;
    if (kind === EventKind.enter) {
      entries.push(entry(model, task, frame.id === task.root ? 'spawn' : 'enter', frame, time, {}));
    } else if (kind === EventKind.suspend) {
      entries.push(entry(model, task, 'suspend', frame, time, { site: siteRef(model, eventSiteOf(code)) }));
    } else if (kind === EventKind.resume) {
      const w = waitStart.get(id);
      if (!w) continue;
      waitStart.delete(id);
      entries.push(entry(model, task, 'resume', frame, time, { site: siteRef(model, w.site), waited: time - w.start }));
    } else if (kind === EventKind.return) {
      entries.push(entry(model, task, 'return', frame, time, { duration: time - frame.start }));
    } else if (kind === EventKind.abandon) {
      const w = waitStart.get(id);
      waitStart.delete(id);
      const site = eventSiteOf(code) || w?.site;
      entries.push(
        entry(model, task, 'abandon', frame, time, { site: site ? siteRef(model, site) : undefined, waited: w ? time - w.start : undefined, duration: time - frame.start }),
      );
    } else if (kind === EventKind.throw) {
      entries.push(
        entry(model, task, 'throw', frame, time, {
          duration: time - frame.start,
          error: errorRef(model, ev[at + 2]),
          site: frame.failedAt ? siteRef(model, frame.failedAt) : undefined,
        }),
      );
    }
  }
  return entries;
}

function isWithin(model: TraceModel, frame: Frame, ancestor: Frame): boolean {
  let f: Frame | undefined = frame;
  while (f && f.depth >= ancestor.depth) {
    if (f === ancestor) return true;
    f = model.frames.get(f.parent);
  }
  return false;
}

function entry(model: TraceModel, task: Task, kind: TimelineKind, frame: Frame, time: number, extra: Partial<TimelineEntry>): TimelineEntry {
  const e: TimelineEntry = { kind, t: time - task.start, frame: frame.id, depth: frame.depth, fn: siteRef(model, frame.fn) };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (e as unknown as Record<string, unknown>)[k] = v;
  return e;
}
