/** Small text pieces every view uses: places, function labels, outcomes, task lists. */

import type { SiteRef } from '../model/site-ref';
import type { FrameOutcome } from '../model/types';
import type { Style } from './style';

/** `src/db.ts:10` */
export function place(site: SiteRef): string {
  return site.line > 0 ? `${site.file}:${site.line}` : site.file;
}

/** `fetchUser(id, opts)` for a function site; `(top level)` stays as it is. */
export function fnLabel(site: SiteRef): string {
  if (site.name.startsWith('(')) return site.name;
  return `${site.name}(${(site.params ?? []).join(', ')})`;
}

/**
 * `loadUser(id: 1, name: "ada")`: a call with the argument previews recorded for it
 * (`recordArguments`), else `fnLabel`. A parameter that is a pattern (`{ id }`) was not
 * recorded and keeps its name alone.
 */
export function callLabel(site: SiteRef, args: string[] | undefined): string {
  if (!args || site.name.startsWith('(')) return fnLabel(site);
  const params = site.params ?? [];
  const shown = params.map((param, i) => (/^(\.\.\.)?[\p{L}_$][\p{L}\p{N}_$]*$/u.test(param) && i < args.length ? `${param}: ${shortPreview(args[i])}` : param));
  return `${site.name}(${shown.join(', ')})`;
}

/** Previews are up to 60 characters in the trace; a line of text shows 24 (exports keep them whole). */
const SHORT_PREVIEW = 24;

function shortPreview(preview: string): string {
  if (preview.length <= SHORT_PREVIEW) return preview;
  // A string keeps its closing quote, an `[Object]`-like preview its bracket.
  const close = preview.startsWith('"') ? '"' : preview.startsWith('[') && preview.endsWith(']') ? ']' : '';
  const inner = close ? preview.slice(0, -1) : preview;
  return shorten(inner.replace(/…$/, ''), SHORT_PREVIEW - close.length) + close;
}

/**
 * A suspension site as the source spells it: `await delay(latencyMs)`, `yield page`, `yield`,
 * `yield* readPages(feed)`, `for await (… of readPages(feed))`, `await using conn`. A
 * function site is its name.
 */
export function awaitLabel(site: SiteRef): string {
  const text = site.text;
  if (text === undefined) return site.name;
  switch (site.kind) {
    case 'yield':
      return text === '' ? 'yield' : `yield ${text}`;
    case 'yield*':
      return `yield* ${text}`;
    case 'for-await':
      return `for await (… of ${text})`;
    case 'await-using':
      return `await using ${text}`;
    default:
      return `await ${text}`;
  }
}

const OUTCOME_WORD: Record<FrameOutcome, string> = { completed: 'completed', failed: 'FAILED', pending: 'PENDING', abandoned: 'abandoned', unknown: 'UNFINISHED' };
const OUTCOME_MARK: Record<FrameOutcome, string> = { completed: '✓', failed: '✗', pending: '…', abandoned: '⊘', unknown: '?' };

/** `✗ FAILED`, coloured when the style has colour. */
export function outcomeLabel(outcome: FrameOutcome, style: Style): string {
  const text = `${OUTCOME_MARK[outcome]} ${OUTCOME_WORD[outcome]}`;
  if (outcome === 'failed') return style.red(text);
  if (outcome === 'pending') return style.yellow(text);
  if (outcome === 'completed') return style.green(text);
  return style.dim(text);
}

/** `#3, #4, #9` — shortened to the first `max` and a count when longer. */
export function taskList(ids: number[], max = 12): string {
  const shown = ids.slice(0, max).map((id) => `#${id}`);
  return ids.length > max ? `${shown.join(', ')} … (${ids.length - max} more)` : shown.join(', ');
}

/** The line standing for frames of a very deep chain that are left out (`omittedDepth`). */
export function depthGapLabel(omittedDepth: number | undefined): string | undefined {
  return omittedDepth ? `… ${plural(omittedDepth, 'frame')} of this chain not shown (export --json lists every frame)` : undefined;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Pads to a column width, measured without colour codes. */
export function padEnd(text: string, width: number): string {
  const visible = visibleLength(text);
  return visible >= width ? text : text + ' '.repeat(width - visible);
}

/** Aligns tab-separated cells into columns (the last cell is left as it is). */
export function alignColumns(lines: string[]): string[] {
  const rows = lines.map((l) => l.split('\t'));
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  }
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? padEnd(cell, widths[i] + 2) : cell)).join('').trimEnd());
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[\d+m/g, '').length;
}

/** Cuts `text` to `max` characters, ending in `…`. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
