/** Text of `analyze` without flags. */

import type { Summary } from '../analysis/summary';
import { formatDuration } from '../duration';
import type { CodeContext } from '../source/code-context';
import { renderCodeContext } from './code';
import { awaitLabel, fnLabel, padEnd, place, plural, shorten, taskList } from './labels';
import type { Style } from './style';

export interface SummaryRenderOptions {
  style: Style;
  contexts: Map<number, CodeContext>;
}

export function renderSummary(summary: Summary, options: SummaryRenderOptions): string {
  const { style } = options;
  const out: string[] = [];
  out.push(style.bold(`Trace of ${commandLine(summary.argv)} (pid ${summary.pid})`) + ` · ${formatDuration(summary.duration)} recorded · ${ending(summary)}`);
  out.push(`  ${plural(summary.events, 'event')} · ${plural(summary.frames, 'frame')}`);
  out.push('');
  const t = summary.tasks;
  const parts = [`${t.total} total`, style.green(`${t.completed} completed`), colorIf(t.failed, `${t.failed} failed`, style.red), colorIf(t.pending, `${t.pending} pending`, style.yellow)];
  if (t.abandoned) parts.push(`${t.abandoned} abandoned`);
  if (t.unknown) parts.push(`${t.unknown} unfinished`);
  out.push(`Tasks: ${parts.join(' · ')}`);
  if (summary.failures.total > 0) {
    out.push(`Errors: ${summary.failures.total} thrown (${summary.failures.caught} caught inside their task) — see analyze --failures`);
  }
  out.push('');
  const more = summary.stuckTotal > summary.stuck.length ? ` (the ${summary.stuck.length} longest shown; --top 0 for all)` : '';
  out.push(style.bold(`Stuck tasks (pending ≥ ${formatDuration(summary.stuckThreshold)}): ${summary.stuckTotal}`) + more);
  for (const s of summary.stuck) {
    out.push(`  Task #${s.task}: ${fnLabel(s.root)} pending for ${formatDuration(s.pendingFor)}`);
    if (!s.blockedAt) {
      out.push(`    running (not suspended) when the trace ended`);
      continue;
    }
    out.push(`    Blocked at: ${s.blockedAt.name} › ${awaitLabel(s.blockedAt)}  ${style.cyan(place(s.blockedAt))}`);
    out.push(...renderCodeContext(options.contexts.get(s.blockedAt.id), `← stuck here for ${formatDuration(s.blockedFor)}`, style, '      '));
  }
  if (summary.slowestSites.length > 0) {
    out.push('');
    out.push(style.bold('Slowest waits (longest single wait per site):'));
    for (const s of summary.slowestSites) {
      const still = s.pending ? style.yellow(`  (${s.pending} still waiting)`) : '';
      out.push(`  ${padEnd(formatDuration(s.max), 7)} ${padEnd(`${s.count}×`, 7)} ${padEnd(place(s.site), 24)} ${s.site.name} › ${shorten(awaitLabel(s.site), 60)}${still}`);
    }
  }
  if (summary.failingSites.length > 0) {
    out.push('');
    out.push(style.bold('Most failing sites:'));
    for (const f of summary.failingSites) {
      out.push(`  ${padEnd(`${f.failures}×`, 6)} ${padEnd(place(f.site), 24)} ${f.site.name} › ${HOW[f.how]}${f.site.text === undefined ? '' : shorten(awaitLabel(f.site), 60)}`);
      out.push(`         ${style.red(f.error)}  (tasks ${taskList(f.tasks)})`);
    }
  }
  return out.join('\n') + '\n';
}

const HOW = { rejected: '', 'after-await': 'throws after ', 'before-await': 'throws before its first await' } as const;

function colorIf(n: number, text: string, color: (s: string) => string): string {
  return n > 0 ? color(text) : text;
}

function commandLine(argv: string[]): string {
  const args = argv.slice(1).map((a) => a.replace(/^.*[\\/](?=[^\\/]+[\\/][^\\/]+$)/, ''));
  return `\`node ${args.join(' ')}\``.replace(/ `$/, '`');
}

function ending(summary: Summary): string {
  const e = summary.ending;
  if (!e) return summary.live ? 'still running' : 'no final snapshot (killed, or still writing)';
  if (e.reason === 'exit') return `exited with code ${e.exitCode ?? 0}`;
  if (e.reason === 'signal') return `stopped by ${e.signal ?? 'a signal'}`;
  const what = e.reason === 'uncaught-exception' ? 'crashed: uncaught exception' : 'crashed: unhandled rejection';
  const code = e.exitCode === undefined ? '' : `, exit code ${e.exitCode}`;
  return e.error ? `${what} (${e.error})${code}` : `${what}${code}`;
}
