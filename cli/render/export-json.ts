/**
 * `export --json`: the whole trace as one JSON document, produced in chunks so that a
 * large trace is never held as one string. Shape documented in docs/export-format.md.
 */

// Straight from format/events (not the index) so hot loops skip the re-export getters.
import { EVENT_FIELDS, eventKindOf, eventSiteOf } from '../../format/events';
import { frameDuration } from '../model/queries';
import type { TraceModel } from '../model/types';
import { eventKindName, exportHeader, exportSite, lastSite } from './export-rows';

/** Bump when a field changes meaning or is removed; adding fields does not need a bump. */
const EXPORT_FORMAT_VERSION = 1;

const BATCH = 2000;

export function* exportJson(model: TraceModel, tracePath: string): Generator<string> {
  yield `{"formatVersion":${EXPORT_FORMAT_VERSION},\n"trace":${JSON.stringify(exportHeader(model, tracePath))},\n`;
  yield* list('sites', [...model.trace.sites.values()].sort((a, b) => a.id - b.id), (s) => exportSite(s));
  yield* list('errors', [...model.errors.values()], (e) => e);
  yield* list('tasks', [...model.tasks.values()], (t) => ({
    id: t.id,
    root: t.root,
    outcome: t.outcome,
    start: t.start,
    end: t.end ?? null,
    duration: frameDuration(model, model.frames.get(t.root)!),
    frames: t.frames.length,
  }));
  yield* list('frames', model.frames.values(), (f) => ({
    id: f.id,
    task: f.task,
    parent: f.parent,
    fn: f.fn,
    outcome: f.outcome,
    start: f.start,
    end: f.end ?? null,
    duration: frameDuration(model, f),
    suspensions: f.suspensions.length,
    site: lastSite(f) ?? null,
    error: f.error ?? null,
    failedAt: f.failedAt ?? null,
    args: model.trace.args.get(f.id) ?? null,
  }));
  yield '"events":[';
  const ev = model.trace.events;
  let chunk: string[] = [];
  for (let i = 0; i < model.trace.eventCount; i++) {
    const at = i * EVENT_FIELDS;
    const code = ev[at];
    const site = eventSiteOf(code);
    const kind = eventKindOf(code);
    chunk.push(`${i ? ',' : ''}\n{"t":${ev[at + 3]},"kind":"${eventKindName(kind)}","frame":${ev[at + 1]},"site":${site},"arg":${ev[at + 2]}}`);
    if (chunk.length === BATCH) {
      yield chunk.join('');
      chunk = [];
    }
  }
  yield chunk.join('') + '\n]}\n';
}

function* list<T>(name: string, items: Iterable<T>, row: (item: T) => unknown): Generator<string> {
  yield `"${name}":[`;
  let chunk: string[] = [];
  let first = true;
  for (const item of items) {
    chunk.push(`${first ? '' : ','}\n${JSON.stringify(row(item))}`);
    first = false;
    if (chunk.length === BATCH) {
      yield chunk.join('');
      chunk = [];
    }
  }
  yield chunk.join('') + '\n],\n';
}
