/** Durations on the command line (`250ms`, `1.5s`, `2m`) and in output (`5.2s`, `120ms`, `<1ms`). */

import { usageError } from './errors';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `250ms`, `1s`, `1.5s`, `2m`, `1h` into milliseconds; throws a usage error naming `flag`. */
export function parseDuration(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)\s*$/i.exec(text);
  if (!match) {
    throw usageError(`${flag}: "${text}" is not a duration (write it like 250ms, 1s, 1.5s or 2m)`);
  }
  return Number(match[1]) * UNITS[match[2].toLowerCase()];
}

/** A length of time as people read it: `<1ms`, `120ms`, `5.2s`, `2m 5s`, `1h 3m`. */
export function formatDuration(ms: number): string {
  if (!(ms >= 1)) return '<1ms';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) {
    const s = ms / 1000;
    return `${s < 10 ? trimZero(s.toFixed(1)) : Math.round(s)}s`;
  }
  if (ms < 3_600_000) {
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms % 60_000) / 1000);
    return s === 0 ? `${m}m` : s === 60 ? `${m + 1}m` : `${m}m ${s}s`;
  }
  const h = Math.floor(ms / 3_600_000);
  const m = Math.round((ms % 3_600_000) / 60_000);
  return m === 0 ? `${h}h` : `${h}h ${m}m`;
}

/** A point in time relative to some start: like `formatDuration` but `0ms` at the start. */
export function formatOffset(ms: number): string {
  return ms < 0.5 ? '0ms' : formatDuration(ms);
}

function trimZero(fixed: string): string {
  return fixed.endsWith('.0') ? fixed.slice(0, -2) : fixed;
}
