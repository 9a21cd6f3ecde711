/**
 * Site tables: what the transformer knows at build time about every async function and
 * every suspension point of one source file. The transformer embeds one table per file in
 * the emitted JavaScript; the runtime copies it into the trace unchanged (see
 * `SitesRecord`), so this shape is part of the trace format.
 *
 * Bump `SITE_TABLE_VERSION` when a field changes meaning; readers reject versions they
 * do not know.
 */

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

/** Display name of the module frame of a file with top-level await. */
export const TOP_LEVEL_NAME = '(top level)';
