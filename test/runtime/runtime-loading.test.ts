/**
 * Instrumented code whose runtime is missing, or of another version, still runs — better
 * uninstrumented than broken — and says once on stderr what is wrong. And the public API
 * gives the live state as plain data.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildWithExpectedOutput, readOnlyTrace, siteLabel } from './trace-reading';
import { REPO_ROOT, buildFixture, entryOf, fixtureDir, runFixture, type FixtureBuild } from '../helpers/fixtures';

let plugin: FixtureBuild;
let expectedStdout: string;

beforeAll(async () => {
  ({ plugin, expectedStdout } = await buildWithExpectedOutput('nested-chain'));
}, 120_000);

/** A copy of the built program in a directory of its own, outside the repository. */
function copyOfBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'async-inspect-copy-'));
  cpSync(join(fixtureDir('nested-chain'), plugin.outDir), join(dir, 'dist'), { recursive: true });
  return dir;
}

function runIn(dir: string) {
  return spawnSync(process.execPath, ['dist/main.js'], {
    cwd: dir,
    env: { PATH: process.env.PATH, ASYNC_INSPECT_DIR: join(dir, 'traces') },
    encoding: 'utf8',
  });
}

describe('loading the runtime', () => {
  it('runs uninstrumented with one line on stderr when the package is missing', () => {
    const dir = copyOfBuild();
    // The copy lives under the temp directory: a node_modules above it (say /tmp/node_modules)
    // that holds async-inspect would make the package present, and this test meaningless.
    let found: string | undefined;
    try {
      found = createRequire(join(dir, 'dist', 'main.js')).resolve('async-inspect/hooks');
    } catch {
      // Missing, as it should be.
    }
    expect(found, `a node_modules above ${dir} provides the package; remove it to run this test`).toBeUndefined();
    const result = runIn(dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(expectedStdout);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^async-inspect: runtime not available, running uninstrumented \(Cannot find module 'async-inspect\/hooks'/);
  });

  /** A copy of the build, with this runtime installed, whose emitted code asks for hooks ABI `abi`. */
  function copyBuiltFor(abi: number): string {
    const dir = copyOfBuild();
    mkdirp(join(dir, 'node_modules'));
    symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'async-inspect'), 'dir');
    for (const file of readdirSync(join(dir, 'dist')).filter((f) => f.endsWith('.js'))) {
      const path = join(dir, 'dist', file);
      writeFileSync(path, readFileSync(path, 'utf8').replace('.attach(3, ', `.attach(${abi}, `));
    }
    return dir;
  }

  it('runs uninstrumented with one line on stderr when built for another hooks version', () => {
    const result = runIn(copyBuiltFor(99));
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(expectedStdout);
    expect(result.stderr).toBe(
      'async-inspect: code built for hooks ABI 99 cannot use this runtime (ABI 3); rebuild with the matching async-inspect version. Running uninstrumented.\n',
    );
  });

  // 1: before async generators entered through `g`; 2: before hook calls were guarded by `o`.
  // The code is this build's with the older number: what this shows is that the runtime
  // still hands out its recording hooks for those versions (code of those versions calls
  // the same hooks, only without the guards).
  it.each([1, 2])('serves code built for hooks ABI %i with recording hooks', (abi) => {
    const dir = copyBuiltFor(abi);
    const result = runIn(dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(expectedStdout);
    expect(result.stderr).toBe('');
    const trace = readOnlyTrace(readdirSync(join(dir, 'traces')).map((f) => join(dir, 'traces', f)));
    expect(trace.eventCount).toBeGreaterThan(0);
  });
});

describe('the live-state API', () => {
  it('returns pending tasks with their chains, await sites and waiting times', async () => {
    const build = await buildFixture('runtime-api');
    const result = await runFixture('runtime-api', entryOf(build, 'main.js'));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const [json, last, fromInside] = result.stdout.trim().split('\n');
    expect(last).toBe('ALPHA BETA');
    const { state, tracePath } = JSON.parse(json);
    expect(tracePath).toBe(result.traceFiles[0]);
    expect(state.tasks).toHaveLength(1);
    const root = state.tasks[0].root;
    expect(root).toMatchObject({ name: '(top level)', file: 'src/main.ts', state: 'suspended' });
    expect(root.awaiting).toMatchObject({ line: 22, text: 'Promise.all(requests)' });
    expect(root.children.map((c: { name: string }) => c.name)).toEqual(['serve', 'serve']);
    for (const serve of root.children) {
      expect(serve.awaiting).toMatchObject({ file: 'src/main.ts', line: 15, text: 'lookup(key)' });
      const [lookup] = serve.children;
      expect(lookup).toMatchObject({ name: 'lookup', line: 9, state: 'suspended', suspensions: 1 });
      expect(lookup.awaiting).toMatchObject({ file: 'src/main.ts', line: 10, column: 3, text: 'sleep(200)' });
      expect(lookup.awaiting.forMs).toBeGreaterThan(40);
      expect(lookup.awaiting.forMs).toBeLessThan(200);
    }
    // Asked from inside a frame that has just resumed: that frame runs, its caller waits.
    const inside = JSON.parse(fromInside);
    expect(inside.tasks).toHaveLength(1);
    expect(inside.tasks[0].root).toMatchObject({ name: '(top level)', state: 'suspended', awaiting: { line: 29, text: 'report()' } });
    expect(inside.tasks[0].root.children).toHaveLength(1);
    expect(inside.tasks[0].root.children[0]).toMatchObject({ name: 'report', state: 'running', suspensions: 1 });
    // writeSnapshotNow() wrote the same pending frames into the trace, mid-run.
    const trace = readOnlyTrace(result.traceFiles);
    const api = trace.snapshots.find((s) => s.reason === 'api')!;
    expect(api.frames.map((f) => (trace.sites.get(f.fn) as { name: string }).name)).toEqual(['(top level)', 'serve', 'lookup', 'serve', 'lookup']);
    expect(api.frames.filter((f) => siteLabel(trace, f.site) === 'src/main.ts:10:3 sleep(200)')).toHaveLength(2);
    expect(trace.snapshots.at(-1)!.reason).toBe('exit');
  });
});

function mkdirp(dir: string): void {
  spawnSync('mkdir', ['-p', dir]);
}

describe('start-up cost', () => {
  it('loads neither the trace reader nor node:crypto, v8 or worker_threads while recording is off', () => {
    const hooks = join(REPO_ROOT, 'dist/runtime/hooks.js');
    const script = `
      const before = new Set(process.moduleLoadList);
      require(${JSON.stringify(hooks)}).attach(3, { v: 1, file: 'x.ts', root: '/tmp', hash: '0000000000000000', functions: [['f', 1, 1, [], 'function']], awaits: [] });
      const builtins = process.moduleLoadList.filter((m) => !before.has(m) && /^NativeModule (crypto|v8|worker_threads)$/.test(m));
      const format = Object.keys(require.cache).filter((k) => k.includes('/dist/format/')).map((k) => k.split('/').pop()).sort();
      console.log(JSON.stringify({ builtins, format }));`;
    const off = spawnSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, ASYNC_INSPECT: '0' }, encoding: 'utf8' });
    expect(off.stderr).toBe('');
    expect(JSON.parse(off.stdout)).toEqual({ builtins: [], format: ['events.js', 'records.js', 'sites.js', 'writer.js'] });
  });
});
