/**
 * Correlation: failures and stuck tasks grouped by the await they were blocked at, with
 * their causes, and how many frames were waiting there at once (a pool running dry shows
 * as many waiters at its acquire).
 */

import { deepestPending, openSuspension } from '../model/queries';
import { errorLabel, siteRef, type SiteRef } from '../model/site-ref';
import type { TraceModel } from '../model/types';
import { failureSite, findFailures } from './failures';

export interface Correlation {
  site: SiteRef;
  failed: { count: number; tasks: number[]; causes: { error: string; count: number }[] };
  pending: { tasks: number[]; longest: number };
  /** Suspensions at the site, and the most that were open at the same time. */
  waits: { count: number; mean: number; maxConcurrent: number };
}

export interface CorrelationReport {
  groups: Correlation[];
}

export interface CorrelateOptions {
  /** A pending task counts as stuck (and is grouped) when it has been pending at least this long (ms). */
  stuckThreshold: number;
}

export function analyzeCorrelations(model: TraceModel, options: CorrelateOptions): CorrelationReport {
  const groups = new Map<number, Correlation>();
  const group = (site: number) => {
    let g = groups.get(site);
    if (!g) {
      g = { site: siteRef(model, site), failed: { count: 0, tasks: [], causes: [] }, pending: { tasks: [], longest: 0 }, waits: { count: 0, mean: 0, maxConcurrent: 0 } };
      groups.set(site, g);
    }
    return g;
  };
  for (const f of findFailures(model)) {
    const g = group(failureSite(f).site.id);
    g.failed.count++;
    if (!g.failed.tasks.includes(f.task)) g.failed.tasks.push(f.task);
    const text = errorLabel(f.error);
    const cause = g.failed.causes.find((c) => c.error === text);
    if (cause) cause.count++;
    else g.failed.causes.push({ error: text, count: 1 });
  }
  for (const task of model.tasks.values()) {
    if (task.outcome !== 'pending' || model.endTime - task.start < options.stuckThreshold) continue;
    const frame = deepestPending(model, task.frames);
    const open = frame && openSuspension(frame);
    if (!open) continue;
    const g = group(open.site);
    g.pending.tasks.push(task.id);
    g.pending.longest = Math.max(g.pending.longest, model.endTime - open.start);
  }
  measureWaits(model, groups);
  for (const g of groups.values()) g.failed.causes.sort((a, b) => b.count - a.count);
  const sorted = [...groups.values()]
    .filter((g) => g.failed.count + g.pending.tasks.length > 1 || g.failed.count > 0)
    .sort((a, b) => b.failed.tasks.length + b.pending.tasks.length - (a.failed.tasks.length + a.pending.tasks.length) || a.site.id - b.site.id);
  return { groups: sorted };
}

function measureWaits(model: TraceModel, groups: Map<number, Correlation>): void {
  const edges = new Map<number, [number, number][]>();
  for (const frame of model.frames.values()) {
    for (const s of frame.suspensions) {
      if (!groups.has(s.site)) continue;
      let list = edges.get(s.site);
      if (!list) edges.set(s.site, (list = []));
      list.push([s.start, 1], [s.end ?? model.endTime, -1]);
    }
  }
  for (const [site, list] of edges) {
    const g = groups.get(site)!;
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let open = 0;
    let total = 0;
    for (let i = 0; i < list.length; i++) {
      open += list[i][1];
      g.waits.maxConcurrent = Math.max(g.waits.maxConcurrent, open);
      total += list[i][1] === 1 ? -list[i][0] : list[i][0];
    }
    g.waits.count = list.length / 2;
    g.waits.mean = g.waits.count ? total / g.waits.count : 0;
  }
}
