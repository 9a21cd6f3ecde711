/** Notes about the trace's completeness, shown under every view. */

import type { Style } from './style';

export function renderNotes(notes: string[], style: Style): string {
  if (notes.length === 0) return '';
  return notes.map((n) => style.yellow(`note: ${n}`)).join('\n') + '\n';
}
