/**
 * `export --csv`: one table per export, a header row then one row per frame (or event).
 * Columns are documented in docs/export-format.md; new columns are only ever appended.
 */

// Straight from format/events (not the index) so hot loops skip the re-export getters.
import { EVENT_FIELDS, EventKind, eventKindOf, eventSiteOf } from '../../format/events';
import { frameDuration } from '../model/queries';
import type { TraceModel } from '../model/types';
import { eventKindName, lastSite } from './export-rows';

export type CsvTable = 'frames' | 'events';
export const CSV_TABLES: CsvTable[] = ['frames', 'events'];

const FRAME_COLUMNS = [
  'task', 'frame', 'parent', 'depth', 'function', 'file', 'line', 'outcome', 'start_ms', 'end_ms', 'duration_ms',
  'suspensions', 'await_file', 'await_line', 'await_text', 'error_name', 'error_message', 'error_code', 'await_kind',
] as const;

const EVENT_COLUMNS = ['time_ms', 'kind', 'task', 'frame', 'function', 'file', 'line', 'await_text', 'error_name', 'error_message', 'await_kind'] as const;

const BATCH = 2000;

export function* exportCsv(model: TraceModel, table: CsvTable): Generator<string> {
  if (table === 'frames') yield* frameRows(model);
  else yield* eventRows(model);
}

function* frameRows(model: TraceModel): Generator<string> {
  yield FRAME_COLUMNS.join(',') + '\n';
  const sites = model.trace.sites;
  let chunk: string[] = [];
  for (const f of model.frames.values()) {
    const fn = sites.get(f.fn);
    const awaitId = lastSite(f);
    const at = awaitId === undefined ? undefined : sites.get(awaitId);
    const error = f.error === undefined ? undefined : model.errors.get(f.error);
    chunk.push(
      row([
        f.task, f.id, f.parent, f.depth, fn?.type === 'function' ? fn.name : '', fn?.source.file, fn?.line, f.outcome,
        f.start, f.end, frameDuration(model, f), f.suspensions.length, at?.source.file, at?.line, at?.type === 'await' ? at.text : '',
        error?.name, error?.message, error?.code, at?.type === 'await' ? at.kind : '',
      ]),
    );
    if (chunk.length === BATCH) {
      yield chunk.join('');
      chunk = [];
    }
  }
  yield chunk.join('');
}

function* eventRows(model: TraceModel): Generator<string> {
  yield EVENT_COLUMNS.join(',') + '\n';
  const { sites, events: ev } = model.trace;
  let chunk: string[] = [];
  for (let i = 0; i < model.trace.eventCount; i++) {
    const at = i * EVENT_FIELDS;
    const kind = eventKindOf(ev[at]);
    const frame = model.frames.get(ev[at + 1]);
    const siteId = eventSiteOf(ev[at]) || frame?.fn;
    const site = siteId === undefined ? undefined : sites.get(siteId);
    const fnSite = frame ? sites.get(frame.fn) : undefined;
    const error = kind === EventKind.throw ? model.errors.get(ev[at + 2]) : undefined;
    chunk.push(
      row([
        ev[at + 3], eventKindName(kind), frame?.task, ev[at + 1], fnSite?.type === 'function' ? fnSite.name : '', site?.source.file, site?.line,
        site?.type === 'await' ? site.text : '', error?.name, error?.message, site?.type === 'await' ? site.kind : '',
      ]),
    );
    if (chunk.length === BATCH) {
      yield chunk.join('');
      chunk = [];
    }
  }
  yield chunk.join('');
}

function row(cells: unknown[]): string {
  return cells.map(cell).join(',') + '\n';
}

/**
 * RFC 4180: quote cells with a comma, quote, CR or LF; double the quotes. Empty for
 * null/undefined. Fractional numbers (times in ms) to the microsecond, without float noise.
 */
export function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'number' && !Number.isInteger(value) ? String(Math.round(value * 1000) / 1000) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
