/**
 * `FileSiteTable.hash` (sites.ts): the first 16 hex digits of sha256 over the UTF-8 source
 * text without a leading BOM. The transformer computes it at build time, the CLI again
 * before showing code, so both must use this one function. A module of its own so that
 * the runtime, which only copies tables, does not load `node:crypto` (start-up time).
 */

import { createHash } from 'node:crypto';

export function hashSourceText(text: string): string {
  return createHash('sha256').update(text.replace(/^\uFEFF/, ''), 'utf8').digest('hex').slice(0, 16);
}
