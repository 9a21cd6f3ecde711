/**
 * The final snapshot: written at normal exit, on a crash and on signals, naming every
 * pending frame and its await site — without changing how the process ends.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, buildFixtureWithoutPlugin, entryOf, fixtureDir, runFixture, type FixtureBuild } from '../helpers/fixtures';
import { pendingChain, readOnlyTrace, siteLabel } from './trace-reading';

describe('a never-settling await', () => {
  it('exits as before and the snapshot names the pending chain with its sites', async () => {
    const [plugin, plain] = await Promise.all([buildFixture('never-settles'), buildFixtureWithoutPlugin('never-settles')]);
    const [run, plainRun] = await Promise.all([
      runFixture('never-settles', entryOf(plugin, 'main.js')),
      runFixture('never-settles', entryOf(plain, 'main.js')),
    ]);
    expect(run.code).toBe(plainRun.code);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(plainRun.stdout);

    const trace = readOnlyTrace(run.traceFiles);
    const last = trace.snapshots.at(-1)!;
    expect(last.reason).toBe('exit');
    expect(last.exitCode).toBe(0);
    expect(pendingChain(trace, last.frames, 'waitForApproval')).toEqual([
      'main @ src/main.ts:27:3 deployRelease(\'v2.4.1\')',
      'deployRelease @ src/main.ts:22:3 waitForApproval(version)',
      'waitForApproval @ src/approvals.ts:8:20 new Promise<boolean>(() => {})',
    ]);
    expect(last.frames.every((f) => f.state === 'suspended')).toBe(true);
    expect(trace.end?.droppedEvents).toBe(0);
  });
});

describe('an unhandled rejection', () => {
  // The emitted JavaScript has more lines than the plain build, so raw stack positions
  // differ; mapped back to the sources (as users read them) the crash output is identical.
  it('crashes exactly as before and the snapshot records the crash and the error', async () => {
    const [plugin, plain] = await Promise.all([buildFixture('deep-failure'), buildFixtureWithoutPlugin('deep-failure')]);
    const env = { NODE_OPTIONS: '--enable-source-maps' };
    const [run, plainRun] = await Promise.all([
      runFixture('deep-failure', entryOf(plugin, 'unhandled.js'), { env }),
      runFixture('deep-failure', entryOf(plain, 'unhandled.js'), { env }),
    ]);
    expect(run.code).toBe(1);
    expect(run.code).toBe(plainRun.code);
    expect(run.stdout).toBe(plainRun.stdout);
    expect(run.stderr).toBe(plainRun.stderr);
    expect(run.stderr).toContain('at async fetchUserData');

    const trace = readOnlyTrace(run.traceFiles);
    const crash = trace.snapshots.find((s) => s.reason === 'unhandled-rejection');
    expect(crash?.error).toMatchObject({ name: 'Error', message: 'connection timeout' });
    const thrown = [...trace.errors.values()];
    expect(thrown.map((e) => e.message)).toContain('connection timeout');
  });
});

describe('signals', () => {
  let plugin: FixtureBuild;
  let plain: FixtureBuild;
  beforeAll(async () => {
    [plugin, plain] = await Promise.all([buildFixture('long-running'), buildFixtureWithoutPlugin('long-running')]);
  }, 120_000);

  /** Starts the worker, waits until it polls, sends the signal, and reports how it ended. */
  function stopWith(build: FixtureBuild, signal: NodeJS.Signals, traceDir: string) {
    return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [entryOf(build, 'main.js')], {
        cwd: fixtureDir('long-running'),
        env: { PATH: process.env.PATH, ASYNC_INSPECT_DIR: traceDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('polling jobs')) child.kill(signal);
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.on('error', reject);
      child.on('close', (code, sig) => {
        clearTimeout(timer);
        resolve({ code, signal: sig, stdout });
      });
    });
  }

  it.each(['SIGINT', 'SIGTERM'] as const)('%s still stops the process as before, after a snapshot', async (signal) => {
    const traceDir = mkdtempSync(join(tmpdir(), 'async-inspect-signal-'));
    const [run, plainRun] = await Promise.all([
      stopWith(plugin, signal, traceDir),
      stopWith(plain, signal, mkdtempSync(join(tmpdir(), 'async-inspect-signal-plain-'))),
    ]);
    expect(plainRun).toMatchObject({ code: null, signal });
    expect(run).toEqual(plainRun);

    const { readdirSync } = await import('node:fs');
    const trace = readOnlyTrace(readdirSync(traceDir).map((f) => join(traceDir, f)));
    const snapshot = trace.snapshots.find((s) => s.reason === 'signal');
    expect(snapshot?.signal).toBe(signal);
    const poll = snapshot!.frames.find((f) => siteLabel(trace, f.fn).startsWith('pollQueue '))!;
    expect(siteLabel(trace, poll.site)).toBe('src/main.ts:13:5 sleep(50)');
    expect(poll.suspends).toBeGreaterThanOrEqual(2);
    expect(pendingChain(trace, snapshot!.frames, 'pollQueue')).toEqual([
      "runWorker @ src/main.ts:19:3 pollQueue('jobs')",
      'pollQueue @ src/main.ts:13:5 sleep(50)',
    ]);
  });
});
