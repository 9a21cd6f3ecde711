/**
 * Code context: the source lines around a site. Reading is I/O (`createSourceReader`);
 * cutting the lines out is pure (`codeContext`). The source is looked for under the
 * site's recorded project root, then under the traced process's working directory, and
 * shown only when its hash matches the one recorded at build time. A trace is input like
 * any other: a path that is absolute or leaves the project (`../`) is refused, and a site
 * without a hash is not shown, so a crafted trace cannot print an arbitrary file.
 */

import { readFileSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { hashSourceText } from '../../format/source-hash';
import type { SiteRef } from '../model/site-ref';

export type SourceText =
  | { status: 'ok'; path: string; lines: string[] }
  | { status: 'missing'; file: string; tried: string[] }
  | { status: 'changed'; file: string; path: string }
  | { status: 'unknown'; file: string }
  | { status: 'refused'; file: string }
  | { status: 'unverified'; file: string };

export interface CodeLine {
  line: number;
  text: string;
  marked: boolean;
}

export type CodeContext =
  | { status: 'ok'; file: string; line: number; lines: CodeLine[] }
  | { status: 'missing' | 'changed' | 'unknown' | 'refused' | 'unverified'; file: string; line: number; reason: string };

export type SourceReader = (site: SiteRef) => SourceText;

/** Reads sources once each; `cwd` is the traced process's working directory (trace header). */
export function createSourceReader(cwd: string): SourceReader {
  const cache = new Map<string, SourceText>();
  return (site) => {
    if (!site.file || site.file === '?') return { status: 'unknown', file: site.file };
    const key = `${site.root}\u0000${site.file}\u0000${site.hash}`;
    let text = cache.get(key);
    if (!text) cache.set(key, (text = readSource(site, cwd)));
    return text;
  };
}

function readSource(site: SiteRef, cwd: string): SourceText {
  if (!staysInside(site.file)) return { status: 'refused', file: site.file };
  if (!site.hash) return { status: 'unverified', file: site.file };
  const candidates = [site.root, cwd].filter(Boolean).map((dir) => join(dir, site.file));
  for (const path of [...new Set(candidates)]) {
    let raw: string;
    try {
      raw = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (hashSourceText(text) !== site.hash) return { status: 'changed', file: site.file, path };
    return { status: 'ok', path, lines: text.split(/\r?\n/) };
  }
  return { status: 'missing', file: site.file, tried: [...new Set(candidates)] };
}

/** A relative path that stays inside the directory it is joined to (no `..` out of it, not absolute). */
function staysInside(file: string): boolean {
  if (isAbsolute(file) || /^[a-zA-Z]:|^[\\/]/.test(file) || file.includes('\0')) return false;
  const n = normalize(file);
  return n !== '..' && !n.startsWith(`..${sep}`) && !n.startsWith('../');
}

/** First 16 hex digits of sha256 over the text (the site table's `hash`). */

/** The lines around `site.line` (`radius` either side), the site's line marked. */
export function codeContext(source: SourceText, site: SiteRef, radius = 2): CodeContext {
  if (source.status === 'ok') {
    if (site.line < 1 || site.line > source.lines.length) {
      return { status: 'changed', file: site.file, line: site.line, reason: `${site.file} has no line ${site.line}` };
    }
    const from = Math.max(1, site.line - radius);
    const to = Math.min(source.lines.length, site.line + radius);
    const lines: CodeLine[] = [];
    for (let n = from; n <= to; n++) lines.push({ line: n, text: source.lines[n - 1], marked: n === site.line });
    while (lines.length > 1 && lines[lines.length - 1].text.trim() === '' && !lines[lines.length - 1].marked) lines.pop();
    return { status: 'ok', file: site.file, line: site.line, lines };
  }
  if (source.status === 'changed') {
    return { status: 'changed', file: site.file, line: site.line, reason: `${site.file} has changed since it was built; rebuild and run again to see its lines` };
  }
  if (source.status === 'missing') {
    return { status: 'missing', file: site.file, line: site.line, reason: `source ${site.file} not found (looked in ${source.tried.join(', ')})` };
  }
  if (source.status === 'refused') {
    return { status: 'refused', file: site.file, line: site.line, reason: `the trace names ${site.file}, which is outside the project; refusing to read it` };
  }
  if (source.status === 'unverified') {
    return { status: 'unverified', file: site.file, line: site.line, reason: `cannot verify ${site.file}: the trace records no hash of its source` };
  }
  return { status: 'unknown', file: site.file, line: site.line, reason: 'the trace does not say which file this is' };
}

/** Code contexts for a list of sites, keyed by site id. */
export function loadContexts(reader: SourceReader, sites: Iterable<SiteRef | undefined>, radius = 2): Map<number, CodeContext> {
  const out = new Map<number, CodeContext>();
  for (const site of sites) if (site && !out.has(site.id)) out.set(site.id, codeContext(reader(site), site, radius));
  return out;
}
