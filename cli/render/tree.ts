/** Box-drawing trees: `├─`, `└─` and `│` guides, one line (or more) per node. */

export interface TreeLines<T> {
  /** First line of the node, then any continuation lines (drawn under the node's guide). */
  lines(node: T): string[];
  children(node: T): T[];
  /** A line after the children, e.g. "… 12 more". */
  footer?(node: T): string | undefined;
}

/** Lines of the subtrees below `root` (not the root itself), each prefixed with `indent`. */
export function renderChildren<T>(root: T, shape: TreeLines<T>, indent = ''): string[] {
  const out: string[] = [];
  const walk = (node: T, prefix: string) => {
    const kids = shape.children(node);
    const footer = shape.footer?.(node);
    kids.forEach((child, i) => {
      const last = i === kids.length - 1 && footer === undefined;
      const [first, ...more] = shape.lines(child);
      out.push(`${prefix}${last ? '└─ ' : '├─ '}${first}`);
      const under = prefix + (last ? '   ' : '│  ');
      for (const line of more) out.push(`${under}${line}`);
      walk(child, under);
    });
    if (footer !== undefined) out.push(`${prefix}└─ ${footer}`);
  };
  walk(root, indent);
  return out;
}

/** The root's own lines followed by its subtrees. */
export function renderTree<T>(root: T, shape: TreeLines<T>, indent = ''): string[] {
  const [first, ...more] = shape.lines(root);
  return [`${indent}${first}`, ...more.map((l) => `${indent}${l}`), ...renderChildren(root, shape, indent)];
}
