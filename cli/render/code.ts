/** Code context as text: numbered lines, the site's line marked with `>>>` and a note. */

import type { CodeContext } from '../source/code-context';
import type { Style } from './style';

/** `note` goes at the end of the marked line, e.g. "← stuck here for 5.2s". */
export function renderCodeContext(context: CodeContext | undefined, note: string, style: Style, indent = '  '): string[] {
  if (!context) return [];
  if (context.status !== 'ok') return [`${indent}${style.dim(`(code not shown: ${context.reason})`)}`];
  const width = String(context.lines[context.lines.length - 1].line).length;
  return context.lines.map((l) => {
    const n = String(l.line).padStart(width);
    if (!l.marked) return style.dim(`${indent}    ${n}: ${l.text}`);
    return `${indent}${style.bold('>>>')} ${n}: ${l.text}  ${style.yellow(note)}`;
  });
}
