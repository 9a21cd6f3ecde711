/** Sites as the analyses hand them to renderers: resolved names and places, no ids to look up. */

import type { AwaitKind, ErrorInfo } from '../../format';
import type { TraceModel } from './types';

export interface SiteRef {
  id: number;
  /** Display name of the function (the enclosing one, for an await site). */
  name: string;
  /** Path relative to the project root. */
  file: string;
  /** Absolute project root at build time. */
  root: string;
  /** sha256 prefix of the source at build time. */
  hash: string;
  line: number;
  column: number;
  /**
   * For await sites, the source text the transformer recorded (shortened): the awaited
   * expression; the yielded one (empty for a bare `yield`); the iterable of a `for await`;
   * the names an `await using` declares.
   */
  text?: string;
  /** For await sites, which suspension it is: `await`, `yield`, `yield*`, `for-await` or `await-using`. */
  kind?: AwaitKind;
  /** Parameter names, for function sites. */
  params?: string[];
}

export interface ErrorRef {
  name: string;
  message: string;
  code?: string;
}

/** Resolves a site id; sites missing from the trace get a placeholder that says so. */
export function siteRef(model: TraceModel, id: number): SiteRef {
  const site = model.trace.sites.get(id);
  if (!site) return { id, name: `(unknown site ${id})`, file: '?', root: '', hash: '', line: 0, column: 0 };
  const base = { id, file: site.source.file, root: site.source.root, hash: site.source.hash, line: site.line, column: site.column };
  if (site.type === 'function') return { ...base, name: site.name, params: site.params };
  const fn = model.trace.sites.get(site.fn);
  return { ...base, name: fn?.type === 'function' ? fn.name : '(unknown function)', text: site.text, kind: site.kind };
}

/** `TypeError: x is not a function [ERR_X]`: how errors are written everywhere, and the key identical errors are counted by. */
export function errorLabel(error: { name: string; message: string; code?: string }): string {
  const code = error.code === undefined ? '' : ` [${error.code}]`;
  return `${error.name}: ${error.message}${code}`;
}

export function errorRef(model: TraceModel, id: number | undefined): ErrorRef | undefined {
  if (id === undefined) return undefined;
  const info: ErrorInfo | undefined = model.errors.get(id);
  if (!info) return { name: 'Error', message: `(error ${id} not recorded)` };
  return info.code === undefined ? { name: info.name, message: info.message } : { name: info.name, message: info.message, code: info.code };
}
