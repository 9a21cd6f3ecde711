/**
 * Where traces go and what happens when they cannot: owner-only files, caps that count
 * what they drop, pruning of old traces, and settings that are wrong — each a warning on
 * stderr, never a change in what the program does.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { entryOf, runFixture, type FixtureBuild } from '../helpers/fixtures';
import { buildWithExpectedOutput, readOnlyTrace, runWithFileSizeLimit } from './trace-reading';

let plugin: FixtureBuild;
let expectedStdout: string;

beforeAll(async () => {
  ({ plugin, expectedStdout } = await buildWithExpectedOutput('nested-chain'));
}, 120_000);

const run = (env: Record<string, string | undefined>) => runFixture('nested-chain', entryOf(plugin, 'main.js'), { env });
const freshDir = (name: string) => mkdtempSync(join(tmpdir(), `async-inspect-${name}-`));

describe('trace files', () => {
  it('creates the directory 0700 and the file 0600, and says nothing', async () => {
    const dir = join(freshDir('perm'), 'nested', '.async-inspect');
    const result = await run({ ASYNC_INSPECT_DIR: dir });
    expect(result.stdout).toBe(expectedStdout);
    expect(result.stderr).toBe('');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^trace-\d{8}T\d{9}-\d+\.aitrace$/);
    expect(statSync(join(dir, files[0])).mode & 0o777).toBe(0o600);
  });

  it('keeps at most ASYNC_INSPECT_MAX_FILES traces in the directory', async () => {
    const dir = freshDir('prune');
    for (let i = 0; i < 3; i++) await run({ ASYNC_INSPECT_DIR: dir, ASYNC_INSPECT_MAX_FILES: '2' });
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('drops events beyond the size cap and counts them in the trace', async () => {
    const dir = freshDir('cap');
    const result = await run({ ASYNC_INSPECT_DIR: dir, ASYNC_INSPECT_MAX_MB: '0.002' });
    expect(result.stdout).toBe(expectedStdout);
    expect(result.stderr).toBe('');
    const path = join(dir, readdirSync(dir)[0]);
    expect(statSync(path).size).toBeLessThanOrEqual(0.002 * 1024 * 1024);
    const trace = readOnlyTrace([path]);
    expect(trace.dropped?.events).toBeGreaterThan(0);
    expect(trace.dropped?.reason).toMatch(/size cap/);
    expect(trace.end?.droppedEvents).toBe(trace.dropped?.events);
    expect(trace.end!.events + trace.end!.droppedEvents).toBeGreaterThan(trace.eventCount - 1);
  });

  it('writes nothing with ASYNC_INSPECT=0', async () => {
    const dir = freshDir('off');
    const result = await run({ ASYNC_INSPECT_DIR: dir, ASYNC_INSPECT: '0' });
    expect(result.stdout).toBe(expectedStdout);
    expect(result.stderr).toBe('');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('raises V8\'s inlining budget for a recording run, names it in the header, and leaves a budget the user set alone', async () => {
    const headerOf = async (env: Record<string, string>, nodeArgs: string[] = []) => {
      const dir = freshDir('budget');
      const result = await runFixture('nested-chain', entryOf(plugin, 'main.js'), { env: { ASYNC_INSPECT_DIR: dir, ...env }, nodeArgs });
      expect(result.stdout).toBe(expectedStdout);
      expect(result.stderr).toBe('');
      return readOnlyTrace(readdirSync(dir).map((f) => join(dir, f))).header;
    };
    expect((await headerOf({})).v8Flags).toEqual(['--max-inlined-bytecode-size-cumulative=4000']);
    expect((await headerOf({ ASYNC_INSPECT_INLINING_BUDGET: '2500' })).v8Flags).toEqual(['--max-inlined-bytecode-size-cumulative=2500']);
    expect((await headerOf({ ASYNC_INSPECT_INLINING_BUDGET: '0' })).v8Flags).toBeUndefined();
    expect((await headerOf({}, ['--max_inlined_bytecode_size_cumulative=1200'])).v8Flags).toBeUndefined();
  });
});

describe('bad settings and unwritable places', () => {
  // RLIMIT_FSIZE makes writes past 4 KiB fail (EFBIG) like a full disk does (ENOSPC): the
  // same write-failure path, reproducible without root tricks.
  it('a write that fails mid-run (file size limit, like a full disk): one warning, program unchanged, trace readable up to the cut', () => {
    const dir = freshDir('full');
    const result = runWithFileSizeLimit('nested-chain', plugin, 4, dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(expectedStdout);
    const [file] = readdirSync(dir);
    expect(result.stderr).toMatch(new RegExp(`^async-inspect: writing the trace ${join(dir, file).replace(/[.]/g, '\\.')} failed \\(EFBIG\\); later events are dropped and counted\\n$`));
    const bytes = statSync(join(dir, file)).size;
    expect(bytes).toBeLessThanOrEqual(4096);
    const trace = readOnlyTrace([join(dir, file)]);
    expect(trace.header.argv[1]).toMatch(/main\.js$/);
    expect(trace.end).toBeUndefined();
  });

  it('ASYNC_INSPECT_DIR naming a file: one warning, the program runs on unchanged', async () => {
    const file = join(freshDir('file'), 'not-a-dir');
    writeFileSync(file, 'x');
    const result = await run({ ASYNC_INSPECT_DIR: file });
    expect(result.stdout).toBe(expectedStdout);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`async-inspect: cannot write traces to ${file} (a file is in the way); the program runs on without a trace\n`);
  });

  it('a directory that cannot be created: one warning, the program runs on unchanged', async () => {
    const file = join(freshDir('blocked'), 'plain-file');
    writeFileSync(file, 'x');
    const dir = join(file, 'traces');
    const result = await run({ ASYNC_INSPECT_DIR: dir });
    expect(result.stdout).toBe(expectedStdout);
    expect(result.stderr).toBe(`async-inspect: cannot write traces to ${dir} (it is not a directory); the program runs on without a trace\n`);
  });

  it.each([
    [{ ASYNC_INSPECT: 'maybe' }, 'ignoring ASYNC_INSPECT="maybe" (use 1 or 0); recording is on'],
    [{ ASYNC_INSPECT_MAX_MB: 'lots' }, 'ignoring ASYNC_INSPECT_MAX_MB="lots" (expected a positive number); using 100'],
    [{ ASYNC_INSPECT_MAX_FILES: '-3' }, 'ignoring ASYNC_INSPECT_MAX_FILES="-3" (expected a positive number); using 20'],
    [{ ASYNC_INSPECT_DIR: ' ' }, 'ignoring an empty ASYNC_INSPECT_DIR; traces go to .async-inspect/'],
    [{ ASYNC_INSPECT_INLINING_BUDGET: 'max' }, `ignoring ASYNC_INSPECT_INLINING_BUDGET="max" (expected a whole number of bytes, 0 for V8's default); using 4000`],
  ])('%o gets a clear warning and the default', async (env, warning) => {
    // Run from a temporary directory: with the default directory the trace goes to
    // .async-inspect/ under the working directory, which must not be the fixture's in the repo.
    const dir = freshDir('odd');
    const result = await runFixture('nested-chain', entryOf(plugin, 'main.js'), { env: { ASYNC_INSPECT_DIR: dir, ...env }, cwd: dir });
    expect(result.stdout).toBe(expectedStdout);
    expect(result.stderr).toBe(`async-inspect: ${warning}\n`);
    const defaultDir = 'ASYNC_INSPECT_DIR' in env;
    expect(readdirSync(dir).filter((f) => f.endsWith('.aitrace'))).toHaveLength(defaultDir ? 0 : 1);
    if (defaultDir) expect(readdirSync(join(dir, '.async-inspect'))).toHaveLength(1);
  });
});
