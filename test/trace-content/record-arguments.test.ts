/**
 * record-arguments, from the real trace of a build with `"recordArguments": true`: each
 * call's arguments as short previews (made without running user code: the fixture's
 * getter and toString throw if called), the program's output unchanged, and
 * `trace --task` showing them next to the parameter names.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildFixtureWithoutPlugin, entryOf, fixtureDir, REPO_ROOT, runFixture } from '../helpers/fixtures';
import { framesOf, record, type Recorded } from './helpers';

let r: Recorded;
let plainStdout: string;
beforeAll(async () => {
  r = await record('record-arguments');
  plainStdout = (await runFixture('record-arguments', entryOf(await buildFixtureWithoutPlugin('record-arguments'), 'main.js'))).stdout;
}, 180_000);

describe('record-arguments', () => {
  test('the program prints what it prints without the plugin', () => {
    expect(r.run.code).toBe(0);
    expect(r.run.stderr).toBe('');
    expect(r.run.stdout).toBe(plainStdout);
    expect(r.run.stdout).toBe('ada#1 (3 retries, admin, 2 tags)\nuser 2 not found\n');
  });

  test('each call has one preview per parameter, in order', () => {
    const calls = framesOf(r.model, 'loadUser').map((f) => r.trace.args.get(f.id));
    expect(calls).toEqual([
      ['1', '"ada"', '[Object]', '[Session]', 'Array(2)'],
      ['2', `"${'x'.repeat(59)}…"`, '[Object]', 'null', 'Array(0)'],
    ]);
    expect(r.trace.args.get(framesOf(r.model, 'main')[0].id)).toEqual([]);
  });

  test('trace --task shows the arguments next to the parameter names', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'dist/cli/main.js'), 'trace', '--task', '1', '--trace', r.run.traceFiles[0]], {
      cwd: fixtureDir('record-arguments'),
    });
    const lines = stdout.split('\n');
    expect(lines.find((l) => l.includes('✓ completed') && l.includes('loadUser'))).toMatch(
      /loadUser\(id: 1, name: "ada", options: \[Object\], session: \[Session\], \.\.\.tags: Array\(2\)\)\s+src\/main\.ts:18/,
    );
    expect(lines.find((l) => l.includes('FAILED'))).toMatch(/loadUser\(id: 2, name: "x{21}…", options: \[Object\], session: null, \.\.\.tags: Array\(0\)\)\s+src\/main\.ts:18/);
    expect(stdout).toMatch(/^ {2}main\(\) /m);
  });
});
