/**
 * `configure()`: options are checked (a bad one is the caller's own mistake and throws,
 * naming it), and options that only apply when the runtime starts say so once when they
 * come too late. Each case runs in a process of its own: the runtime is one per process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/fixtures';
import { readOnlyTrace } from './trace-reading';

/** A one-function site table, as emitted code hands to `attach`. */
const TABLE = { v: 1, file: 'src/x.ts', root: '/tmp', hash: '0123456789abcdef', functions: [['f', 1, 1, [], 'function']], awaits: [] };

/**
 * Runs `body` with `api` (the public API) and `attach(abi?)` (what a file's preamble calls)
 * in scope; returns its output and the trace header.
 */
function run(body: string) {
  const dir = mkdtempSync(join(tmpdir(), 'async-inspect-configure-'));
  const script = `
    const api = require(${JSON.stringify(join(REPO_ROOT, 'dist/runtime/index.js'))});
    const hooksModule = require(${JSON.stringify(join(REPO_ROOT, 'dist/runtime/hooks.js'))});
    const attach = (abi = 3) => hooksModule.attach(abi, ${JSON.stringify(TABLE)});
    ${body}`;
  const result = spawnSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, ASYNC_INSPECT_DIR: dir }, encoding: 'utf8' });
  const traces = readdirSync(dir).map((f) => join(dir, f));
  return { ...result, header: traces.length === 1 ? readOnlyTrace(traces).header : undefined };
}

describe('configure()', () => {
  it('throws a TypeError naming an unknown option or a bad value', () => {
    const r = run(`
      for (const options of [{ nope: 1 }, { inliningBudget: -1 }, { inliningBudget: 1.5 }, { maxFiles: 0 }]) {
        try { api.configure(options); console.log('accepted'); } catch (e) { console.log(e.name + ': ' + e.message); }
      }`);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([
      'TypeError: async-inspect: configure() got an unknown option "nope" (known: enabled, dir, maxFileBytes, maxFiles, flushIntervalMs, inliningBudget)',
      'TypeError: async-inspect: configure() option "inliningBudget" has an invalid value -1',
      'TypeError: async-inspect: configure() option "inliningBudget" has an invalid value 1.5',
      'TypeError: async-inspect: configure() option "maxFiles" has an invalid value 0',
    ]);
  });

  it('takes the inlining budget before the runtime starts: 0 leaves V8 alone, another value is set', () => {
    const none = run(`api.configure({ inliningBudget: 0 }); attach(); console.log(api.currentSettings().inliningBudget);`);
    expect([none.stdout, none.stderr]).toEqual(['0\n', '']);
    expect(none.header?.v8Flags).toBeUndefined();
    const other = run(`api.configure({ inliningBudget: 2500 }); attach();`);
    expect(other.stderr).toBe('');
    expect(other.header?.v8Flags).toEqual(['--max-inlined-bytecode-size-cumulative=2500']);
  });

  it('says once that a budget or directory given after the runtime started does not apply, and keeps the old one', () => {
    const r = run(`
      attach();
      api.configure({ inliningBudget: 2500, dir: '/tmp/elsewhere' });
      api.configure({ inliningBudget: 3000 });
      console.log(api.currentSettings().inliningBudget);`);
    expect(r.stdout).toBe('4000\n');
    const warnings = r.stderr.trim().split('\n');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^async-inspect: configure\(\{ dir \}\) came after the trace file was opened \(.*\); call it before the first instrumented file loads$/);
    expect(warnings[1]).toBe('async-inspect: configure({ inliningBudget }) came after the runtime started; call it before the first instrumented file loads');
    expect(r.header?.v8Flags).toEqual(['--max-inlined-bytecode-size-cumulative=4000']);
  });
});

describe('attach()', () => {
  // Emitted code (ABI 3) calls most hooks only when `o` is true (docs/internals.md, section 1).
  it('hands out hooks whose o says whether they record', () => {
    expect(run('console.log(attach().o)')).toMatchObject({ stdout: 'true\n', stderr: '' });
    expect(run('console.log(attach(2).o)')).toMatchObject({ stdout: 'true\n', stderr: '' });
    expect(run('api.configure({ enabled: false }); console.log(attach().o)')).toMatchObject({ stdout: 'false\n', stderr: '' });
    const unserved = run('console.log(attach(99).o)');
    expect(unserved.stdout).toBe('false\n');
    expect(unserved.stderr).toMatch(/^async-inspect: code built for hooks ABI 99 cannot use this runtime \(ABI 3\)/);
  });
});
