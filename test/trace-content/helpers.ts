/**
 * Helpers for the trace-content tests: build a fixture with the plugin, run one of its
 * programs, decode the single trace it wrote, build the CLI's task/frame model from it, and
 * name sites and frames the way a reader does (`src/db.ts:10:3`, `dbQuery`).
 */
import { expect } from 'vitest';
import type { AwaitSite, FunctionSite, ParsedTrace } from '../../format';
import { buildModel } from '../../cli/model/build-model';
import type { Frame, Suspension, Task, TraceModel } from '../../cli/model/types';
import { buildFixture, entryOf, runFixture, type FixtureRun } from '../helpers/fixtures';
import { readOnlyTrace } from '../runtime/trace-reading';

export interface Recorded {
  run: FixtureRun;
  trace: ParsedTrace;
  model: TraceModel;
}

/** Builds `fixture` (tspc + plugin, TS 5 or 6), runs `entry` and reads its one trace file. */
export async function record(fixture: string, entry = 'main.js', ts: '5' | '6' = '5'): Promise<Recorded> {
  const build = await buildFixture(fixture, { ts });
  const run = await runFixture(fixture, entryOf(build, entry));
  expect(run.timedOut, `${fixture}/${entry} timed out\n${run.stderr}`).toBe(false);
  const trace = readOnlyTrace(run.traceFiles);
  expect(trace.warnings).toEqual([]);
  expect(trace.cut).toBeUndefined();
  expect(trace.dropped?.events ?? 0).toBe(0);
  return { run, trace, model: buildModel(trace) };
}

export const at = (s: { source: { file: string }; line: number; column: number }): string => `${s.source.file}:${s.line}:${s.column}`;

function fnSite(trace: ParsedTrace, id: number): FunctionSite {
  const site = trace.sites.get(id);
  if (!site || site.type !== 'function') throw new Error(`site ${id} is not a function site`);
  return site;
}

/**
 * Every await site of the trace as `file:line:column | function | kind | text`, sorted:
 * what the tests compare against the fixture's header comment.
 */
export function awaitTable(trace: ParsedTrace): string[] {
  const rows: string[] = [];
  for (const site of trace.sites.values()) {
    if (site.type !== 'await') continue;
    rows.push(`${at(site)} | ${fnSite(trace, site.fn).name} | ${site.kind} | ${site.text}`);
  }
  return rows.sort();
}

/** Every function site as `name file:line:column (params) kind`, sorted. */
export function functionTable(trace: ParsedTrace): string[] {
  const rows: string[] = [];
  for (const site of trace.sites.values()) {
    if (site.type === 'function') rows.push(`${site.name} ${at(site)} (${site.params.join(', ')}) ${site.kind}`);
  }
  return rows.sort();
}

/** The await site at `file:line:column`; fails the test when the trace has none there. */
export function awaitAt(trace: ParsedTrace, where: string): AwaitSite {
  const found = [...trace.sites.values()].filter((s): s is AwaitSite => s.type === 'await' && at(s) === where);
  expect(found, `await sites at ${where}`).toHaveLength(1);
  return found[0];
}

/** Display name of a frame's function. */
export function nameOf(model: TraceModel, frame: Frame): string {
  return fnSite(model.trace, frame.fn).name;
}

/** Frames of the function with this display name, in start order. */
export function framesOf(model: TraceModel, name: string): Frame[] {
  return [...model.frames.values()].filter((f) => nameOf(model, f) === name).sort((a, b) => a.enterEvent - b.enterEvent);
}

export function only<T>(items: T[], what: string): T {
  expect(items, what).toHaveLength(1);
  return items[0];
}

/** Names from the task root down to `frame`. */
export function chainOf(model: TraceModel, frame: Frame): string[] {
  const names: string[] = [];
  for (let f: Frame | undefined = frame; f; f = f.parent ? model.frames.get(f.parent) : undefined) names.unshift(nameOf(model, f));
  return names;
}

export function parentOf(model: TraceModel, frame: Frame): Frame | undefined {
  return frame.parent ? model.frames.get(frame.parent) : undefined;
}

export function childrenOf(model: TraceModel, frame: Frame): Frame[] {
  return frame.children.map((id) => model.frames.get(id)!);
}

/** `file:line:column` of each suspension of the frame, in order. */
export function suspensionSites(model: TraceModel, frame: Frame): string[] {
  return frame.suspensions.map((s) => at(model.trace.sites.get(s.site) as AwaitSite));
}

/** The frame's suspensions at one await site. */
export function suspensionsAt(model: TraceModel, frame: Frame, where: string): Suspension[] {
  return frame.suspensions.filter((s) => at(model.trace.sites.get(s.site) as AwaitSite) === where);
}

/** For each await site, `function ×N`: which frames suspended there and how often, sorted. */
export function suspendedAt(model: TraceModel): Record<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const frame of model.frames.values()) {
    for (const s of frame.suspensions) {
      const where = at(model.trace.sites.get(s.site) as AwaitSite);
      const byFn = counts.get(where) ?? new Map<string, number>();
      counts.set(where, byFn);
      byFn.set(nameOf(model, frame), (byFn.get(nameOf(model, frame)) ?? 0) + 1);
    }
  }
  const out: Record<string, string> = {};
  for (const where of [...counts.keys()].sort()) {
    out[where] = [...counts.get(where)!].map(([fn, n]) => `${fn} ×${n}`).join(', ');
  }
  return out;
}

/** Duration of a finished suspension, in ms. */
export function waited(s: Suspension): number {
  expect(s.end, 'suspension has ended').toBeDefined();
  return s.end! - s.start;
}

/**
 * Checks that `frames` were suspended side by side: every frame's first suspension began
 * before any of them ended. By event order, not by time: at the clock's ~1 ms resolution a
 * short wait can read as 0 ms, so equal times would prove nothing either way.
 */
export function expectSuspendedTogether(frames: Frame[]): void {
  const lastSuspend = Math.max(...frames.map((f) => f.suspensions[0].event));
  const firstEnd = Math.min(...frames.map((f) => f.endEvent ?? Infinity));
  expect(lastSuspend, 'every frame suspended before the first one ended').toBeLessThan(firstEnd);
}

/** The task a frame belongs to. */
export function taskOf(model: TraceModel, frame: Frame): Task {
  const task = model.tasks.get(frame.task);
  expect(task, `task of frame ${frame.id}`).toBeDefined();
  return task!;
}

/** Root function name of every task, in start order, with the task's outcome. */
export function taskRoots(model: TraceModel): string[] {
  return [...model.tasks.values()].map((t) => `${nameOf(model, model.frames.get(t.root)!)} ${t.outcome}`);
}

/** The error a failed frame threw, as `Name: message`. */
export function errorOf(model: TraceModel, frame: Frame): string {
  expect(frame.outcome).toBe('failed');
  const info = model.errors.get(frame.error!);
  expect(info, `error ${frame.error}`).toBeDefined();
  return `${info!.name}: ${info!.message}`;
}

/** Where the rejection arrived, as `file:line:column`, or undefined when the frame threw after resuming. */
export function failedAt(model: TraceModel, frame: Frame): string | undefined {
  return frame.failedAt ? at(model.trace.sites.get(frame.failedAt) as AwaitSite) : undefined;
}

/**
 * Generous bounds for a timer of `ms` on a loaded machine. Event times come from a clock
 * thread ticking about every millisecond (runtime/clock.ts), which a loaded machine can
 * starve for a few ms, so short waits may read up to a few ms short: half for waits under
 * 10 ms, otherwise 80 % and at most 5 ms short; anything below 2 s over.
 */
export function expectAbout(actual: number, ms: number, what: string): void {
  const low = ms < 10 ? ms * 0.5 : Math.max(ms * 0.8, ms - 5);
  expect(actual, `${what}: ${actual.toFixed(2)} ms for a ${ms} ms wait`).toBeGreaterThanOrEqual(low);
  expect(actual, `${what}: ${actual.toFixed(2)} ms for a ${ms} ms wait`).toBeLessThan(ms + 2000);
}
