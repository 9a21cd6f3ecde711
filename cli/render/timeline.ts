/** Text of `timeline --task N`. */

import type { Timeline, TimelineEntry } from '../analysis/timeline';
import { formatDuration, formatOffset } from '../duration';
import { errorLabel } from '../model/site-ref';
import { awaitLabel, fnLabel, outcomeLabel, place, plural } from './labels';
import type { Style } from './style';

const RULE = '━'.repeat(60);
/** Deeper entries are indented this much, with their depth written out. */
const MAX_INDENT = 12;

export function renderTimeline(timeline: Timeline, { style }: { style: Style }): string {
  const out: string[] = [];
  out.push(style.bold(`Task #${timeline.task} timeline: ${fnLabel(timeline.root)}`) + ` — ${outcomeLabel(timeline.outcome, style)}, ${formatDuration(timeline.duration)}`);
  out.push(RULE);
  const width = Math.max(6, ...timeline.entries.map((e) => formatOffset(e.t).length));
  let lastTime = '';
  for (const e of timeline.entries) {
    const time = formatOffset(e.t);
    const shown = time === lastTime ? '' : time;
    lastTime = time;
    out.push(`${shown.padStart(width)} │ ${indentFor(e.depth, style)}${entryText(e, style)}`);
  }
  out.push(RULE);
  for (const spin of timeline.spins) {
    out.push('');
    out.push(style.yellow(`⚠ ${spin.site.name} suspended ${spin.count} times in a row at ${place(spin.site)} (${awaitLabel(spin.site)}), ${formatDuration(spin.mean)} each on average, between ${formatOffset(spin.from)} and ${formatOffset(spin.to)}`));
    out.push('  Possible spin or poll loop: it keeps waiting at the same await without other progress.');
  }
  return out.join('\n') + '\n';
}

function indentFor(depth: number, style: Style): string {
  if (depth <= MAX_INDENT) return '  '.repeat(depth);
  return '  '.repeat(MAX_INDENT) + style.dim(`[depth ${depth}] `);
}

function entryText(e: TimelineEntry, style: Style): string {
  switch (e.kind) {
    case 'spawn':
      return `● task started: ${fnLabel(e.fn)}  ${style.dim(place(e.fn))}`;
    case 'enter':
      return `● ${fnLabel(e.fn)}  ${style.dim(place(e.fn))}`;
    case 'suspend':
      return `○ ${e.site ? `${awaitLabel(e.site)}  ${style.dim(place(e.site))}` : 'suspended'}`;
    case 'resume':
      return style.dim(`↻ resumed after ${formatDuration(e.waited ?? 0)}`);
    case 'return':
      return style.green(`✓ ${e.fn.name} completed`) + style.dim(` (${formatDuration(e.duration ?? 0)})`);
    case 'throw': {
      const at = e.site ? ` at ${place(e.site)}` : '';
      return style.red(`✗ ${e.fn.name} failed${at}: ${e.error ? errorLabel(e.error) : 'error'}`);
    }
    case 'abandon':
      return style.dim(`⊘ ${e.fn.name} abandoned${e.site ? ` at ${awaitLabel(e.site)} (${place(e.site)})` : ''}: its generator was dropped and garbage-collected${e.waited !== undefined ? ` after waiting ${formatDuration(e.waited)}` : ''}`);
    case 'repeat':
      return style.yellow(`… suspended ${plural(e.count ?? 0, 'more time')} at ${e.site ? awaitLabel(e.site) : 'the same await'}`) + style.dim(` (${formatDuration(e.total ?? 0)} waiting in all)`);
    case 'pending':
      return style.yellow(
        e.site ? `◌ ${e.fn.name} still waiting at ${awaitLabel(e.site)} (${place(e.site)}) for ${formatDuration(e.waited ?? 0)} when the trace ended` : `◌ ${e.fn.name} still running when the trace ended`,
      );
  }
}
