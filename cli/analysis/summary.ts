/** The `analyze` overview: task counts, stuck tasks, the slowest and the most failing sites. */

import type { SnapshotReason } from '../../format';
import { deepestPending, openSuspension, suspensionDuration } from '../model/queries';
import { errorLabel, siteRef, type SiteRef } from '../model/site-ref';
import type { TaskOutcome, TraceModel } from '../model/types';
import { failureSite, findFailures, type FailureHow } from './failures';

export interface SummaryOptions {
  /** A pending task counts as stuck when it has been pending at least this long (ms). */
  stuckThreshold: number;
  /** How many sites to list in the slowest / most failing tables. */
  top?: number;
  /** How many stuck tasks to list (the longest pending first); 0 for all. */
  topStuck?: number;
}

export interface StuckTask {
  task: number;
  root: SiteRef;
  /** How long the task has been pending at the end of the trace. */
  pendingFor: number;
  /** The deepest pending frame. */
  frame: number;
  /** Where that frame is suspended (absent when it was running when the snapshot was taken). */
  blockedAt?: SiteRef;
  /** How long it has been suspended there. */
  blockedFor: number;
}

export interface SiteTiming {
  site: SiteRef;
  /** Suspensions at this site. */
  count: number;
  total: number;
  max: number;
  /** Suspensions still open at the end of the trace. */
  pending: number;
}

export interface FailingSite {
  /** The await where the rejections arrived, or the await it resumed from before throwing, or the function. */
  site: SiteRef;
  /** How: rejected at the await, thrown after resuming from it, or thrown before the first await. */
  how: FailureHow;
  failures: number;
  tasks: number[];
  /** The most frequent error there, "Name: message [code]". */
  error: string;
}

export interface Summary {
  pid: number;
  argv: string[];
  /** Wall-clock ms since the epoch when recording started. */
  startTime: number;
  /** Length of the recording, ms. */
  duration: number;
  events: number;
  frames: number;
  tasks: Record<TaskOutcome, number> & { total: number };
  /** Errors thrown (by origin) and how many of them were caught inside their task. */
  failures: { total: number; caught: number };
  ending?: { reason: SnapshotReason; exitCode?: number; signal?: string; error?: string };
  /** The traced process was still running when the trace was read. */
  live: boolean;
  stuckThreshold: number;
  /** All stuck tasks; `stuck` may list fewer (see `topStuck`). */
  stuckTotal: number;
  stuck: StuckTask[];
  slowestSites: SiteTiming[];
  failingSites: FailingSite[];
  notes: string[];
}

export function summarize(model: TraceModel, options: SummaryOptions): Summary {
  const top = options.top ?? 5;
  const tasks = { total: 0, completed: 0, failed: 0, pending: 0, abandoned: 0, unknown: 0 };
  const stuck: StuckTask[] = [];
  for (const task of model.tasks.values()) {
    tasks.total++;
    tasks[task.outcome]++;
    if (task.outcome !== 'pending') continue;
    const pendingFor = model.endTime - task.start;
    if (pendingFor < options.stuckThreshold) continue;
    const frame = deepestPending(model, task.frames);
    if (!frame) continue;
    const open = openSuspension(frame);
    stuck.push({
      task: task.id,
      root: siteRef(model, model.frames.get(task.root)!.fn),
      pendingFor,
      frame: frame.id,
      blockedAt: open ? siteRef(model, open.site) : undefined,
      blockedFor: open ? suspensionDuration(model, open) : 0,
    });
  }
  stuck.sort((a, b) => b.pendingFor - a.pendingFor || a.task - b.task);
  const stuckTotal = stuck.length;
  if (options.topStuck) stuck.length = Math.min(stuck.length, options.topStuck);
  const failures = findFailures(model);
  const snap = model.finalSnapshot;
  const crash = model.trace.snapshots.find((x) => x.reason === 'uncaught-exception' || x.reason === 'unhandled-rejection');
  return {
    pid: model.trace.header.pid,
    argv: model.trace.header.argv,
    startTime: model.trace.header.startTime,
    duration: model.endTime,
    events: model.trace.eventCount,
    frames: model.frames.size,
    tasks,
    failures: { total: failures.length, caught: failures.filter((f) => !f.taskFailed).length },
    live: model.live,
    ending: snap && {
      reason: crash?.reason ?? snap.reason,
      exitCode: snap.exitCode ?? crash?.exitCode,
      signal: snap.signal,
      error: (crash ?? snap).error && errorLabel((crash ?? snap).error!),
    },
    stuckThreshold: options.stuckThreshold,
    stuckTotal,
    stuck,
    slowestSites: slowestSites(model, top),
    failingSites: failingSites(failures, top),
    notes: model.notes,
  };
}

function slowestSites(model: TraceModel, top: number): SiteTiming[] {
  const bySite = new Map<number, { count: number; total: number; max: number; pending: number }>();
  for (const frame of model.frames.values()) {
    for (const s of frame.suspensions) {
      if (s.end === undefined && frame.outcome !== 'pending') continue; // unfinished: how long is unknown
      const d = suspensionDuration(model, s);
      const t = bySite.get(s.site);
      const open = s.end === undefined ? 1 : 0;
      if (t) {
        t.count++;
        t.total += d;
        if (d > t.max) t.max = d;
        t.pending += open;
      } else bySite.set(s.site, { count: 1, total: d, max: d, pending: open });
    }
  }
  return [...bySite.entries()]
    .sort((a, b) => b[1].max - a[1].max || b[1].total - a[1].total || a[0] - b[0])
    .slice(0, top)
    .map(([id, t]) => ({ site: siteRef(model, id), ...t }));
}

function failingSites(failures: ReturnType<typeof findFailures>, top: number): FailingSite[] {
  const bySite = new Map<number, { site: SiteRef; how: FailingSite['how']; failures: number; tasks: Set<number>; errors: Map<string, number> }>();
  for (const f of failures) {
    const { site, how } = failureSite(f);
    let entry = bySite.get(site.id);
    if (!entry) bySite.set(site.id, (entry = { site, how, failures: 0, tasks: new Set(), errors: new Map() }));
    entry.failures++;
    entry.tasks.add(f.task);
    const text = errorLabel(f.error);
    entry.errors.set(text, (entry.errors.get(text) ?? 0) + 1);
  }
  return [...bySite.entries()]
    .sort((a, b) => b[1].failures - a[1].failures || a[0] - b[0])
    .slice(0, top)
    .map(([, e]) => ({
      site: e.site,
      how: e.how,
      failures: e.failures,
      tasks: [...e.tasks],
      error: [...e.errors.entries()].sort((a, b) => b[1] - a[1])[0][0],
    }));
}
