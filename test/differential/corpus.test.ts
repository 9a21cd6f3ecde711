/**
 * Differential corpus: every program in corpus/ is built without and with the transformer
 * (tsc vs tspc, CommonJS and ESM, es2017 and es2022) and run with node (the instrumented
 * build twice: recording on, and off with ASYNC_INSPECT=0); stdout, exit code and
 * normalised stderr must be identical. See README.md for what is deliberately excluded.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { compileProjects, corpusPrograms, variantName, writeCorpusProject, type Build, type Variant } from './lib/build-corpus.js';
import { normaliseStderr } from './lib/normalise.js';
import { createTempProject } from './lib/paths.js';
import { runNode, type RunResult } from './lib/run-node.js';

const VARIANTS: Variant[] = [
  { module: 'cjs', target: 'es2017' },
  { module: 'cjs', target: 'es2022' },
  { module: 'esm', target: 'es2017' },
  { module: 'esm', target: 'es2022' },
];

const tmp = createTempProject('corpus');
const builds = new Map<string, { plain: Build; instrumented: Build }>();

beforeAll(async () => {
  const [plain, instrumented] = await Promise.all(
    [false, true].map((on) => {
      const dirs = VARIANTS.map((v) => join(tmp, `${variantName(v)}-${on ? 'instrumented' : 'plain'}`));
      VARIANTS.forEach((v, i) => writeCorpusProject(dirs[i], v, on));
      return compileProjects(tmp, dirs, on);
    }),
  );
  VARIANTS.forEach((v, i) => builds.set(variantName(v), { plain: plain[i], instrumented: instrumented[i] }));
}, 180_000);

const outFile = (program: string) => join('out', program.replace(/\.ts$/, '.js'));

describe.each(VARIANTS.map((v) => [variantName(v), v] as const))('corpus %s', (name, variant) => {
  const get = () => builds.get(name)!;

  test('both builds compile without diagnostics', () => {
    const { plain, instrumented } = get();
    expect(plain.compile.stdout + plain.compile.stderr).toBe('');
    expect(plain.compile.code).toBe(0);
    expect(instrumented.compile.stdout + instrumented.compile.stderr).toBe('');
    expect(instrumented.compile.code).toBe(0);
  });

  test('only the instrumented build calls the hooks', () => {
    const { plain, instrumented } = get();
    for (const program of corpusPrograms(variant.module)) {
      const plainJs = readFileSync(join(plain.dir, outFile(program)), 'utf8');
      const instrumentedJs = readFileSync(join(instrumented.dir, outFile(program)), 'utf8');
      expect(plainJs, program).not.toContain('async-inspect/hooks');
      expect(instrumentedJs, program).toContain('async-inspect/hooks');
      expect(instrumentedJs, program, 'a frame is entered').toMatch(/__aiF\d* = .*\.e\(\d+/);
      expect(instrumentedJs, program, 'a suspension is instrumented').toMatch(/\.[slu]\(__aiF\d*, \d+/);
    }
  });

  test.concurrent.each(corpusPrograms(variant.module))('%s behaves identically', async (program) => {
    const { plain, instrumented } = get();
    const traces = join(tmp, 'traces', name, program);
    const run = (b: Build, env: Record<string, string> = {}) =>
      runNode([outFile(program)], { cwd: b.dir, env: { ASYNC_INSPECT: '1', ASYNC_INSPECT_DIR: traces, ...env } });
    const observe = (r: RunResult, b: Build) => ({
      stdout: r.stdout,
      code: r.code,
      signal: r.signal,
      stderr: normaliseStderr(r.stderr, b.dir),
    });
    const [a, b, off] = await Promise.all([
      run(plain),
      run(instrumented),
      run(instrumented, { ASYNC_INSPECT: '0', ASYNC_INSPECT_DIR: `${traces}-off` }),
    ]);
    expect(a.stdout.length, 'the plain program printed something').toBeGreaterThan(0);
    expect(observe(b, instrumented), 'instrumented, recording on').toEqual(observe(a, plain));
    expect(observe(off, instrumented), 'instrumented, recording off (ASYNC_INSPECT=0)').toEqual(observe(a, plain));
    // Not vacuous: the instrumented run really reached the runtime and wrote a trace.
    expect(existsSync(traces) ? readdirSync(traces).length : 0, 'trace files written').toBeGreaterThan(0);
  }, 30_000);
});
