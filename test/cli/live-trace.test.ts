/**
 * A trace still being written: the CLI reads what is there while the program runs, says
 * the process is still running, and counts pending waits up to now; after the program is
 * stopped, the same trace ends with its signal snapshot.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { REPO_ROOT, buildFixture, entryOf, fixtureDir } from '../helpers/fixtures';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'dist/cli/main.js');

async function analyze(traceDir: string) {
  const { stdout, stderr } = await run(process.execPath, [CLI, 'analyze', '--json', '--stuck-threshold', '500ms', '--trace', traceDir], {
    cwd: fixtureDir('long-running'),
    env: { PATH: process.env.PATH },
  });
  return { summary: JSON.parse(stdout), stderr };
}

test('analyze follows a running program, then sees how it ended', async () => {
  const build = await buildFixture('long-running');
  const traceDir = mkdtempSync(join(tmpdir(), 'async-inspect-live-'));
  const child = spawn(process.execPath, [entryOf(build, 'main.js')], {
    cwd: fixtureDir('long-running'),
    env: { PATH: process.env.PATH, ASYNC_INSPECT_DIR: traceDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('polling jobs') && resolve()));
    await new Promise((resolve) => setTimeout(resolve, 700));

    const live = await analyze(traceDir);
    expect(live.summary.live).toBe(true);
    expect(live.summary.ending).toBeUndefined();
    expect(live.summary.tasks).toMatchObject({ total: 1, pending: 1 });
    expect(live.summary.stuck[0].blockedAt).toMatchObject({ file: 'src/main.ts', line: 13, name: 'pollQueue' });
    expect(live.summary.stuck[0].pendingFor).toBeGreaterThan(600);
    expect(live.summary.notes.join('\n')).toMatch(/is still running: this is its state now/);
    expect(live.summary.notes.join('\n')).not.toMatch(/was cut/); // a record being written is not a cut
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.on('close', resolve));
  }

  const ended = await analyze(traceDir);
  expect(ended.summary.live).toBe(false);
  expect(ended.summary.ending).toMatchObject({ reason: 'signal', signal: 'SIGINT' });
  expect(ended.summary.tasks).toMatchObject({ total: 1, pending: 1 });
});
