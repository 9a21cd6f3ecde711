/** Text of `analyze --slow`: each slow task as a tree of frames and awaits with times. */

import type { SlowNode, SlowReport } from '../analysis/slow';
import { formatDuration } from '../duration';
import { alignColumns, awaitLabel, depthGapLabel, fnLabel, outcomeLabel, place, plural, shorten } from './labels';
import type { Style } from './style';
import { renderTree } from './tree';

type Row = { node: SlowNode } | { await: SlowNode['awaits'][number] } | { omitted: SlowNode['omitted'] };

export function renderSlow(report: SlowReport, { style }: { style: Style }): string {
  const more = report.total > report.tasks.length ? ` (the ${report.tasks.length} slowest shown; --top 0 for all)` : '';
  const head = style.bold(`Slow tasks (≥ ${formatDuration(report.threshold)}): ${report.total}`) + more;
  if (report.tasks.length === 0) return `${head}\n`;
  const out = [head];
  for (const task of report.tasks) {
    out.push('');
    out.push(`Task #${task.task}: ${fnLabel(task.tree.fn)} [${formatDuration(task.duration)}] ${outcomeLabel(task.outcome, style)}`);
    const lines = renderTree<Row>({ node: task.tree }, {
      lines: (row) => [rowText(row, report.threshold, style)],
      children: (row) => ('node' in row ? childRows(row.node) : []),
      gap: (row) => ('node' in row ? depthGapLabel(row.node.omittedDepth) : undefined),
    }, '  ');
    out.push(...alignColumns(lines));
  }
  return out.join('\n') + '\n';
}

function childRows(node: SlowNode): Row[] {
  // A frame's own awaits are listed when it called no instrumented function (otherwise its
  // children say where the time went), and the await marked dominant always.
  const awaits = node.children.length === 0 && node.omitted.count === 0 ? node.awaits.slice(0, 3) : node.awaits.filter((a) => a.dominant);
  const rows: Row[] = awaits.map((a) => ({ await: a }));
  for (const c of node.children) rows.push({ node: c });
  if (node.omitted.count > 0) rows.push({ omitted: node.omitted });
  return rows;
}

function rowText(row: Row, threshold: number, style: Style): string {
  if ('node' in row) {
    const n = row.node;
    const mark = n.dominant && n.slow ? style.yellow('⚠ slow') : n.slow ? style.yellow('slow') : '';
    return [fnLabel(n.fn), `[${formatDuration(n.duration)}]`, place(n.fn), `${outcomeLabel(n.outcome, style)} ${mark}`.trimEnd()].join('\t');
  }
  if ('await' in row) {
    const a = row.await;
    const times = a.count > 1 ? ` ×${a.count}` : '';
    const mark = a.dominant ? style.yellow(style.bold('← most of the time went here')) : a.total >= threshold ? style.yellow('slow') : '';
    return [style.dim(`${shorten(awaitLabel(a.site), 60)}${times}`), `[${formatDuration(a.total)}]`, place(a.site), mark].join('\t');
  }
  return style.dim(`… ${plural(row.omitted.count, 'shorter call')} [${formatDuration(row.omitted.total)} together]`);
}
