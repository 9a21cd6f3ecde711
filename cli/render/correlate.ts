/** Text of `analyze --correlate`. */

import type { CorrelationReport } from '../analysis/correlate';
import { formatDuration } from '../duration';
import { awaitLabel, place, plural, taskList } from './labels';
import type { Style } from './style';

/** Waiters at once from which the render suggests a saturated resource. */
const SATURATION = 5;

export function renderCorrelations(report: CorrelationReport, { style }: { style: Style }): string {
  if (report.groups.length === 0) return 'Nothing to correlate: no failures, and no await with more than one stuck task.\n';
  const out = [style.bold(`Failures and stuck tasks by the await they were blocked at: ${plural(report.groups.length, 'site')}`)];
  for (const g of report.groups) {
    out.push('');
    out.push(`● ${style.cyan(place(g.site))}  ${g.site.name} › ${awaitLabel(g.site)}`);
    if (g.failed.count > 0) {
      out.push(`  Failed: ${plural(g.failed.count, 'time')} in ${plural(g.failed.tasks.length, 'task')} (${taskList(g.failed.tasks)})`);
      for (const c of g.failed.causes.slice(0, 3)) out.push(`    ${style.red(c.error)}  ×${c.count}`);
      if (g.failed.causes.length > 3) out.push(`    … ${plural(g.failed.causes.length - 3, 'other cause')}`);
    }
    if (g.pending.tasks.length > 0) {
      out.push(`  Still waiting: ${plural(g.pending.tasks.length, 'task')} (${taskList(g.pending.tasks)}), the longest for ${formatDuration(g.pending.longest)}`);
    }
    out.push(`  Waits here: ${g.waits.count}, on average ${formatDuration(g.waits.mean)}; at most ${g.waits.maxConcurrent} at the same time`);
    if (g.waits.maxConcurrent >= SATURATION && g.failed.count + g.pending.tasks.length > 0) {
      out.push(style.yellow(`  Many frames waited here at once: a limited resource behind this await (a pool, lock or queue) may be running dry.`));
    }
  }
  return out.join('\n') + '\n';
}
