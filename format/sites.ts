/**
 * Site tables: what the transformer knows at build time about every async function and
 * every suspension point of one source file. The transformer embeds one table per file in
 * the emitted JavaScript; the runtime copies it into the trace unchanged (see
 * `SitesRecord`), so this shape is part of the trace format.
 *
 * Bump `SITE_TABLE_VERSION` when a field changes meaning; readers reject versions they
 * do not know.
 */

import { createHash } from 'node:crypto';

export const SITE_TABLE_VERSION = 1;

/** How a function is written; decides nothing at run time, helps a reader. */
export type FunctionKind =
  | 'function' // async function declaration or expression
  | 'arrow' // async arrow function
  | 'method' // class or object-literal method (also static, private, computed)
  | 'generator' // async generator function or method
  | 'module'; // the top level of an ES module that uses top-level await

/** What kind of suspension an await site is. */
export type AwaitKind = 'await' | 'yield' | 'yield*' | 'for-await' | 'await-using';

/** [display name, line, column, parameter names, kind] — line and column are 1-based. */
export type FunctionSiteTuple = [name: string, line: number, column: number, params: string[], kind: FunctionKind];

/** [index into `functions`, line, column, awaited text (shortened), kind]. */
export type AwaitSiteTuple = [fn: number, line: number, column: number, text: string, kind: AwaitKind];

export interface FileSiteTable {
  /** Table version, `SITE_TABLE_VERSION` when built. */
  v: number;
  /** Source path relative to `root`, with '/' separators. */
  file: string;
  /** Absolute project root when the file was built (the tsconfig's directory). */
  root: string;
  /** First 16 hex digits of sha256 over the source text (without a BOM): tells whether the source changed since the build. */
  hash: string;
  functions: FunctionSiteTuple[];
  awaits: AwaitSiteTuple[];
}

/**
 * `FileSiteTable.hash`: the first 16 hex digits of sha256 over the UTF-8 source text
 * without a leading BOM. The transformer computes it at build time, the CLI again before
 * showing code, so both must use this one function.
 */
export function hashSourceText(text: string): string {
  return createHash('sha256').update(text.replace(/^\uFEFF/, ''), 'utf8').digest('hex').slice(0, 16);
}

/** Display name of the module frame of a file with top-level await. */
export const TOP_LEVEL_NAME = '(top level)';
