import type * as TS from 'typescript';

/** Collapses white space and shortens to `max` characters, ending with `…` when cut. */
export function shortenText(text: string, max: number): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  if (collapsed.length <= max) return collapsed;
  let cut = collapsed.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // never split a surrogate pair
  return `${cut}…`;
}

/** Source text of a node without leading trivia. */
export function nodeText(node: TS.Node, sourceFile: TS.SourceFile): string {
  return sourceFile.text.slice(node.getStart(sourceFile), node.getEnd());
}

/** 1-based line and column of a character offset. */
export function lineColumn(sourceFile: TS.SourceFile, pos: number): [line: number, column: number] {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(pos);
  return [line + 1, character + 1];
}
