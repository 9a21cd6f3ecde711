/** Text of `trace --task N`: the async stack as a tree, then the code at the focus. */

import type { TraceTree, TreeNode } from '../analysis/trace-tree';
import { formatDuration, formatOffset } from '../duration';
import type { CodeContext } from '../source/code-context';
import { renderCodeContext } from './code';
import { errorLabel } from '../model/site-ref';
import { alignColumns, awaitLabel, callLabel, depthGapLabel, fnLabel, outcomeLabel, place, plural } from './labels';
import type { Style } from './style';
import { renderTree } from './tree';

export interface TraceRenderOptions {
  style: Style;
  contexts: Map<number, CodeContext>;
}

export function renderTraceTree(tree: TraceTree, { style, contexts }: TraceRenderOptions): string {
  const out: string[] = [];
  out.push(style.bold(`Task #${tree.task}: ${fnLabel(tree.root.fn)}`) + ` — ${outcomeLabel(tree.outcome, style)}, ${formatDuration(tree.duration)}, ${plural(tree.frames, 'frame')}`);
  out.push('');
  const lines = renderTree<TreeNode>(tree.root, {
    lines: (n) => nodeLines(n, style),
    children: (n) => n.children,
    footer: (n) => (n.omitted > 0 ? style.dim(`… ${plural(n.omitted, 'more completed call')} (see --json)`) : undefined),
    gap: (n) => depthGapLabel(n.omittedDepth),
  }, '  ');
  out.push(...alignColumns(lines));
  const focus = tree.focus;
  if (focus) {
    out.push('');
    const how = focus.after === 'start' ? ', thrown before its first await' : focus.after === 'resumed' ? `, thrown after resuming from ${awaitLabel(focus.site)}` : ` › ${awaitLabel(focus.site)}`;
    const what = focus.kind === 'stuck' ? `Stuck at ${place(focus.site)} (${focus.site.name} › ${awaitLabel(focus.site)})` : `Failed at ${place(focus.site)} (${focus.site.name}${how})`;
    out.push(style.bold(what));
    const note =
      focus.kind === 'stuck' ? `← stuck here for ${formatDuration(focus.time)}` : focus.after === 'start' ? '← failed in this function' : focus.after === 'resumed' ? '← failed after this await resumed' : '← failed here';
    out.push(...renderCodeContext(contexts.get(focus.site.id), note, style, '  '));
  }
  return out.join('\n') + '\n';
}

function nodeLines(n: TreeNode, style: Style): string[] {
  const state = n.running ? style.yellow('… RUNNING') : outcomeLabel(n.outcome, style);
  const first = [callLabel(n.fn, n.args), place(n.fn), `+${formatOffset(n.start)}`, formatDuration(n.duration), state].join('\t');
  const lines = [first];
  if (n.site) {
    const waiting = n.waiting !== undefined ? style.yellow(`waiting for ${formatDuration(n.waiting)} at`) : n.failedAtSite ? style.red('failed at') : style.dim('last waited at');
    const count = n.suspends > 1 ? style.dim(` (${n.suspends} suspensions)`) : '';
    lines.push(`${waiting} ${awaitLabel(n.site)} ${style.dim(place(n.site))}${count}`);
  }
  if (n.error && n.outcome === 'failed') lines.push(style.red(errorLabel(n.error)));
  return lines;
}
