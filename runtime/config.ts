/**
 * Settings of the runtime: defaults, environment variables, and `configure()`.
 * Odd values get a warning and the default; they never stop the program.
 */

import { resolve } from 'node:path';
import { warnOnce } from './warn';

export interface InspectorOptions {
  /** Record frames and tasks. Default: on, unless NODE_ENV is "production"; env ASYNC_INSPECT=0/1. */
  enabled: boolean;
  /** Directory for trace files. Default: `.async-inspect` under the working directory; env ASYNC_INSPECT_DIR. */
  dir: string;
  /** Size cap of one trace file in bytes; events beyond it are dropped and counted. Env ASYNC_INSPECT_MAX_MB. */
  maxFileBytes: number;
  /** How many trace files to keep in the directory; older ones are deleted when a new one starts. Env ASYNC_INSPECT_MAX_FILES. */
  maxFiles: number;
  /** How often buffered events are written, so that a viewer can follow the trace. */
  flushIntervalMs: number;
  /**
   * V8's cumulative inlining budget (bytes of bytecode) for a recording run, set when the
   * runtime starts (v8-tuning.ts); 0 keeps V8's own. Env ASYNC_INSPECT_INLINING_BUDGET.
   */
  inliningBudget: number;
}

/** Room for the hooks in V8's optimized code; past 4,000 bytes the benchmark gains little more (recording 1.44x at 4,000, 1.42x at 6,000; docs/internals.md). */
export const DEFAULT_INLINING_BUDGET = 4000;

const MB = 1024 * 1024;

export function defaultOptions(env: NodeJS.ProcessEnv = process.env): InspectorOptions {
  return {
    enabled: parseEnabled(env.ASYNC_INSPECT, env.NODE_ENV),
    dir: parseDir(env.ASYNC_INSPECT_DIR),
    maxFileBytes: parsePositive('ASYNC_INSPECT_MAX_MB', env.ASYNC_INSPECT_MAX_MB, 100) * MB,
    maxFiles: Math.floor(parsePositive('ASYNC_INSPECT_MAX_FILES', env.ASYNC_INSPECT_MAX_FILES, 20)),
    flushIntervalMs: 200,
    inliningBudget: parseBudget(env.ASYNC_INSPECT_INLINING_BUDGET),
  };
}

function parseEnabled(value: string | undefined, nodeEnv: string | undefined): boolean {
  const fallback = nodeEnv !== 'production';
  if (value === undefined || value === '') return fallback;
  const v = value.trim().toLowerCase();
  if (['0', 'off', 'false', 'no'].includes(v)) return false;
  if (['1', 'on', 'true', 'yes'].includes(v)) return true;
  warnOnce('env-enabled', `ignoring ASYNC_INSPECT=${JSON.stringify(value)} (use 1 or 0); recording is ${fallback ? 'on' : 'off'}`);
  return fallback;
}

function parseDir(value: string | undefined): string {
  if (value === undefined) return resolve('.async-inspect');
  if (value.trim() === '') {
    warnOnce('env-dir', 'ignoring an empty ASYNC_INSPECT_DIR; traces go to .async-inspect/');
    return resolve('.async-inspect');
  }
  return resolve(value);
}

function parsePositive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (Number.isFinite(n) && n > 0) return n;
  warnOnce(`env-${name}`, `ignoring ${name}=${JSON.stringify(value)} (expected a positive number); using ${fallback}`);
  return fallback;
}

function parseBudget(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_INLINING_BUDGET;
  const n = Number(value);
  if (Number.isInteger(n) && n >= 0) return n;
  warnOnce('env-budget', `ignoring ASYNC_INSPECT_INLINING_BUDGET=${JSON.stringify(value)} (expected a whole number of bytes, 0 for V8's default); using ${DEFAULT_INLINING_BUDGET}`);
  return DEFAULT_INLINING_BUDGET;
}

/** Checks a `configure()` argument; throws a TypeError naming the bad option (this is the caller's own call). */
export function checkOptions(options: unknown): Partial<InspectorOptions> {
  if (options === null || typeof options !== 'object') throw new TypeError('async-inspect: configure() expects an options object');
  const known: Record<keyof InspectorOptions, (v: unknown) => boolean> = {
    enabled: (v) => typeof v === 'boolean',
    dir: (v) => typeof v === 'string' && v.trim() !== '',
    maxFileBytes: (v) => typeof v === 'number' && v > 0,
    maxFiles: (v) => typeof v === 'number' && Number.isInteger(v) && v > 0,
    flushIntervalMs: (v) => typeof v === 'number' && v > 0,
    inliningBudget: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0,
  };
  const out: Partial<InspectorOptions> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const check = known[key as keyof InspectorOptions];
    if (!check) throw new TypeError(`async-inspect: configure() got an unknown option "${key}" (known: ${Object.keys(known).join(', ')})`);
    if (!check(value)) throw new TypeError(`async-inspect: configure() option "${key}" has an invalid value ${JSON.stringify(value)}`);
    (out as Record<string, unknown>)[key] = key === 'dir' ? resolve(value as string) : value;
  }
  return out;
}
