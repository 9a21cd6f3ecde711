/** Box-drawing trees: `├─`, `└─` and `│` guides, one line (or more) per node. */

export interface TreeLines<T> {
  /** First line of the node, then any continuation lines (drawn under the node's guide). */
  lines(node: T): string[];
  children(node: T): T[];
  /** A line after the children, e.g. "… 12 more". */
  footer?(node: T): string | undefined;
  /** A line before the node, e.g. "… 2960 frames of this chain not shown" when levels above it were left out. */
  gap?(node: T): string | undefined;
}

interface Level<T> {
  kids: T[];
  next: number;
  prefix: string;
  footer: string | undefined;
}

/** Lines of the subtrees below `root` (not the root itself), each prefixed with `indent`. Walks without recursion: trees can be deep. */
function renderChildren<T>(root: T, shape: TreeLines<T>, indent = ''): string[] {
  const out: string[] = [];
  const open = (node: T, prefix: string): Level<T> => ({ kids: shape.children(node), next: 0, prefix, footer: shape.footer?.(node) });
  const stack = [open(root, indent)];
  while (stack.length > 0) {
    const level = stack[stack.length - 1];
    if (level.next === level.kids.length) {
      if (level.footer !== undefined) out.push(`${level.prefix}└─ ${level.footer}`);
      stack.pop();
      continue;
    }
    const i = level.next++;
    const child = level.kids[i];
    const last = i === level.kids.length - 1 && level.footer === undefined;
    const gap = shape.gap?.(child);
    if (gap !== undefined) out.push(`${level.prefix}┆  ${gap}`);
    const [first, ...more] = shape.lines(child);
    out.push(`${level.prefix}${last ? '└─ ' : '├─ '}${first}`);
    const under = level.prefix + (last ? '   ' : '│  ');
    for (const line of more) out.push(`${under}${line}`);
    stack.push(open(child, under));
  }
  return out;
}

/** The root's own lines followed by its subtrees. */
export function renderTree<T>(root: T, shape: TreeLines<T>, indent = ''): string[] {
  const [first, ...more] = shape.lines(root);
  return [`${indent}${first}`, ...more.map((l) => `${indent}${l}`), ...renderChildren(root, shape, indent)];
}
