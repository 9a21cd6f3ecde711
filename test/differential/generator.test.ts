/**
 * Property test: random async programs (lib/program-model.ts) must log exactly the same
 * with and without the transformer. A run compiles all programs into one batch module per
 * build and runs each batch in one node process; a mismatch is shrunk with fast-check
 * (each shrink step runs a batch of one) and the minimal program is printed.
 *
 *   AI_DIFF_RUNS  programs per target (default 300)
 *   AI_DIFF_SEED  fast-check seed (default: random; printed on failure)
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareBatch, type BatchComparison, type BatchTarget } from './lib/batch.js';
import { createTempProject } from './lib/paths.js';
import { programArb, type Program } from './lib/program-model.js';
import { renderBatch } from './lib/render-program.js';

const RUNS = Number(process.env.AI_DIFF_RUNS ?? 300);
const SEED = Number(process.env.AI_DIFF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const SHRINK_TIME_MS = 60_000;

const tmp = createTempProject('generated');
let shrinkCount = 0;

async function sameLogs(program: Program, target: BatchTarget): Promise<boolean> {
  const result = await compareBatch(join(tmp, 'shrink'), `s${shrinkCount++}`, [program], target);
  return result.mismatches.length === 0 && result.plain.logs.length === 1;
}

/** Replays program `index` of the sampled run and shrinks it to a minimal failing program. */
async function shrink(index: number, seed: number, target: BatchTarget): Promise<Program> {
  const details = await fc.check(fc.asyncProperty(programArb, (p) => sameLogs(p, target)), {
    seed,
    path: String(index),
    interruptAfterTimeLimit: SHRINK_TIME_MS,
  });
  return (details.counterexample?.[0] as Program | undefined) ?? fc.sample(programArb, { seed, numRuns: index + 1 })[index];
}

function describeMismatch(c: BatchComparison, i: number): string {
  const show = (logs: string[] | undefined) => (logs ? logs.map((l) => `    ${l}`).join('\n') : '    (no output: the process died)');
  return (
    `  without transformer:\n${show(c.plain.logs[i])}\n  with transformer:\n${show(c.instrumented.logs[i])}\n` +
    `  with transformer, recording off:\n${show(c.off.logs[i])}`
  );
}

// Each target samples its own programs: seed SEED + offset.
describe.each<[BatchTarget, number]>([
  ['es2017', 0],
  ['es2022', 1],
  ['es2022-esm', 2],
])('random async programs, target %s', (target, offset) => {
  const seed = SEED + offset;
  test(`${RUNS} programs log identically with and without the transformer`, async () => {
    const programs = fc.sample(programArb, { seed, numRuns: RUNS });
    const c = await compareBatch(join(tmp, target), 'batch', programs, target);
    // Not vacuous: every program ran to its end, and the instrumented build used the runtime.
    expect(c.plain.result.stderr).toBe('');
    expect(c.plain.logs.length).toBe(RUNS);
    expect(c.instrumented.js).toContain('async-inspect/hooks');
    expect(c.instrumented.js).toMatch(/\.s\(__aiF\d*, \d+/);
    if (target === 'es2022-esm') expect(c.instrumented.js).toMatch(/^import \{ createRequire as __aiReq \} from "node:module";[^]*const __aiF = \(typeof (__aiH_[0-9a-f]{12}) !== "undefined" \? \1 : __aiI\(\)\)\.o \? \1\.e\(/);
    expect(c.traceFiles.length, 'the instrumented batch wrote a trace').toBeGreaterThan(0);
    if (c.mismatches.length > 0) {
      const first = c.mismatches[0];
      const minimal = await shrink(first, seed, target);
      const m = await compareBatch(join(tmp, 'minimal'), `minimal-${target}`, [minimal], target);
      expect.fail(
        `${c.mismatches.length} of ${RUNS} programs differ (seed ${seed}, first at index ${first}; ` +
          `rerun with AI_DIFF_SEED=${SEED}).\n` +
          `Original program ${first}:\n${describeMismatch(c, first)}\n\n` +
          `Minimal program (target ${target}):\n${renderBatch([minimal])}\n${describeMismatch(m, 0)}`,
      );
    }
    for (const run of [c.instrumented, c.off]) {
      expect(run.result.code).toBe(c.plain.result.code);
      expect(run.result.stderr).toBe(c.plain.result.stderr);
    }
  }, 200_000);
});
