/**
 * Site tables registered by instrumented files as they load. Each file's sites get a
 * range of global ids (functions first, then awaits); 0 means "no site".
 */

import { SITE_TABLE_VERSION, type FileSiteTable } from '../format/sites';
import { queueSites } from './recorder';

interface Registered {
  base: number;
  awaitBase: number;
  end: number;
  table: FileSiteTable;
}

const registered: Registered[] = [];
let nextBase = 1;

/** Why a table cannot be used, or undefined when it is well-formed. */
export function checkTable(table: unknown): string | undefined {
  const t = table as FileSiteTable;
  if (!t || typeof t !== 'object') return 'no site table';
  if (t.v !== SITE_TABLE_VERSION) return `site table version ${String(t.v)} (this runtime reads ${SITE_TABLE_VERSION})`;
  if (typeof t.file !== 'string' || !Array.isArray(t.functions) || !Array.isArray(t.awaits)) return 'a malformed site table';
  return undefined;
}

/** Registers a table and returns the global id of its first function. */
export function registerTable(table: FileSiteTable): number {
  const base = nextBase;
  const awaitBase = base + table.functions.length;
  nextBase = awaitBase + table.awaits.length;
  registered.push({ base, awaitBase, end: nextBase, table });
  queueSites(base, table);
  return base;
}

/** The registration whose id range holds site `id`. */
function registrationOf(id: number): Registered | undefined {
  if (id <= 0) return undefined;
  return registered.find((r) => id >= r.base && id < r.end);
}

/** Whether the await site `id` is a `yield` or `yield*`: a generator waiting there waits for its consumer. */
export function isYieldSite(id: number): boolean {
  const r = registrationOf(id);
  if (!r || id < r.awaitBase) return false;
  const kind = r.table.awaits[id - r.awaitBase][4];
  return kind === 'yield' || kind === 'yield*';
}

export interface ResolvedSite {
  name: string;
  file: string;
  line: number;
  column: number;
  /** Awaited text, for await sites. */
  text?: string;
}

/** Looks a global site id up (for the live-state API; the CLI resolves sites from the trace). */
export function resolveSite(id: number): ResolvedSite | undefined {
  const r = registrationOf(id);
  if (!r) return undefined;
  if (id < r.awaitBase) {
    const [name, line, column] = r.table.functions[id - r.base];
    return { name, file: r.table.file, line, column };
  }
  const [fn, line, column, text] = r.table.awaits[id - r.awaitBase];
  return { name: r.table.functions[fn]?.[0] ?? '?', file: r.table.file, line, column, text };
}
