/** Text of `analyze --failures`: one block per group of identical failures, the first one in full. */

import { failureSite, type ChainNode, type FailureGroup, type FailureReport } from '../analysis/failures';
import { errorLabel } from '../model/site-ref';
import { formatDuration } from '../duration';
import type { CodeContext } from '../source/code-context';
import { renderCodeContext } from './code';
import { alignColumns, awaitLabel, depthGapLabel, fnLabel, outcomeLabel, place, plural, taskList } from './labels';
import type { Style } from './style';
import { renderTree } from './tree';

export interface FailuresRenderOptions {
  style: Style;
  contexts: Map<number, CodeContext>;
}

export function renderFailures(report: FailureReport, options: FailuresRenderOptions): string {
  const { style } = options;
  if (report.failures === 0) return 'No failures: no frame ended by throwing.\n';
  const out: string[] = [];
  const kinds = report.groups.length === report.failures ? '' : `, ${plural(report.groups.length, 'distinct failure')}`;
  out.push(style.bold(`Failures: ${plural(report.failures, 'error')} thrown${kinds}; ${plural(report.failedTasks.length, 'task')} failed`));
  for (const group of report.groups) {
    out.push('');
    out.push(...renderGroup(group, options));
  }
  return out.join('\n') + '\n';
}

function renderGroup(group: FailureGroup, { style, contexts }: FailuresRenderOptions): string[] {
  const f = group.example;
  const out: string[] = [];
  const times = group.count > 1 ? ` — ${group.count} times in ${plural(group.tasks.length, 'task')}: ${taskList(group.tasks)}` : '';
  out.push(style.red(style.bold(`✗ ${errorLabel(group.error)}`)) + times);
  if (group.count > 1) out.push(`  ${group.uncaught} failed their task, ${group.count - group.uncaught} caught; first one:`);
  const fate = f.taskFailed ? style.red('[FAILED]') : `[error caught by ${f.caughtBy?.name ?? 'its caller'}]`;
  out.push(`  Task #${f.task}: ${fnLabel(f.root)} ${fate}`);
  const { site, how } = failureSite(f);
  const where =
    how === 'rejected'
      ? `${place(site)} in ${site.name} › ${awaitLabel(site)}`
      : how === 'after-await'
        ? `${place(site)} in ${f.origin.name}, thrown after resuming from ${awaitLabel(site)}`
        : `${place(site)} in ${f.origin.name}, thrown before its first await`;
  out.push(`  ├─ Failed at: ${style.cyan(where)}`);
  out.push(`  ├─ After: ${formatDuration(f.elapsed)} since the task started`);
  out.push(`  ├─ Threw: ${style.red(errorLabel(f.error))}`);
  out.push('  │');
  out.push('  └─ Async call chain:');
  const chain = renderTree<ChainNode>(f.chain, {
    lines: (n) => [chainLine(n, n.frame === f.originFrame, style)],
    children: (n) => n.children,
    footer: (n) => (n.omitted > 0 ? `… ${plural(n.omitted, 'earlier call')} not shown` : undefined),
    gap: (n) => depthGapLabel(n.omittedDepth),
  });
  out.push(...alignColumns(chain).map((l) => `     ${l}`));
  out.push('');
  out.push(`  Code at ${place(site)}:`);
  out.push(...renderCodeContext(contexts.get(site.id), CODE_NOTE[how], style, '    '));
  return out;
}

function chainLine(n: ChainNode, origin: boolean, style: Style): string {
  const label = n.onPath ? fnLabel(n.fn) : style.dim(fnLabel(n.fn));
  let note = '';
  if (origin) note = style.red('← error starts here');
  else if (n.awaitSite && n.onPath) note = style.dim(`at ${awaitLabel(n.awaitSite)} (line ${n.awaitSite.line})`);
  return [label, place(n.fn), formatDuration(n.duration), outcomeLabel(n.outcome, style), note].join('\t');
}

const CODE_NOTE = { rejected: '← failed here', 'after-await': '← failed after this await resumed', 'before-await': '← failed in this function' } as const;
