import { mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RecordType, encodeJsonRecord, encodeMagic } from '../../format';
import { runCli } from './helpers/run-cli';
import { DB_SRC, buildLockWaiters, buildServiceScenario } from './helpers/scenarios';
import { TraceBuilder } from './helpers/trace-builder';

function savedScenario() {
  const { builder } = buildServiceScenario();
  const path = builder.save();
  return { root: builder.root, path, builder };
}

const { root } = savedScenario();
const cli = (...argv: string[]) => runCli(argv, { cwd: root });

describe('analyze', () => {
  test('summary of the newest trace in .async-inspect/', async () => {
    const r = await cli('analyze');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Tasks: 8 total · 4 completed · 2 failed · 1 pending · 1 unfinished');
    expect(r.stdout).toContain('Task #5: waitForApproval(changeId) pending for 5.1s');
    expect(r.stdout).toMatch(/>>> 3: {3}const approved = await new Promise.*← stuck here for 5\.1s/);
    expect(r.stdout).toMatch(/3× +src\/db\.ts:4 +dbQuery › await delay\(30\)\n.*Error: connection timeout {2}\(tasks #2, #3, #4\)/);
  });

  test('--stuck-threshold changes which tasks are stuck', async () => {
    const r = await cli('analyze', '--stuck-threshold', '6s');
    expect(r.stdout).toContain('Stuck tasks (pending ≥ 6s): 0');
  });

  test('--failures groups identical failures and shows the chain and code', async () => {
    const r = await cli('analyze', '--failures');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✗ Error: connection timeout — 3 times in 3 tasks: #2, #3, #4');
    expect(r.stdout).toContain('├─ Failed at: src/db.ts:4 in dbQuery › await delay(30)');
    expect(r.stdout).toMatch(/└─ dbQuery\(sql, down\) +src\/db\.ts:3 +31ms +✗ FAILED +← error starts here/);
    expect(r.stdout).toContain('>>> 4:   await delay(30);  ← failed here');
    expect((await cli('analyze', '--show-failures')).stdout).toBe(r.stdout);
  });

  test('--slow --threshold lists slow tasks with the dominant await', async () => {
    const r = await cli('analyze', '--slow', '--threshold', '2s');
    expect(r.stdout).toContain('Slow tasks (≥ 2s): 2');
    expect(r.stdout).toMatch(/Task #7: checkout\(cart\) \[2\.3s\]/);
    expect(r.stdout).toMatch(/└─ await fetch\(url\) +\[2s\] +src\/checkout\.ts:8 +← most of the time went here/);
    expect((await cli('analyze', '--slow', '--threshold', '2.4s')).stdout).toContain('Slow tasks (≥ 2.4s): 1');
  });

  test('--top limits the slow and stuck tasks listed', async () => {
    const r = await cli('analyze', '--slow', '--threshold', '50ms', '--top', '2');
    expect(r.stdout).toContain('Slow tasks (≥ 50ms): 7 (the 2 slowest shown; --top 0 for all)');
    expect(r.stdout.match(/^Task #/gm)).toHaveLength(2);
    expect((await cli('analyze', '--slow', '--threshold', '50ms', '--top', '0')).stdout.match(/^Task #/gm)).toHaveLength(7);
  });

  test('--correlate groups by blocked await', async () => {
    const r = await cli('analyze', '--correlate');
    expect(r.stdout).toContain('● src/db.ts:4  dbQuery › await delay(30)');
    expect(r.stdout).toContain('Failed: 3 times in 3 tasks (#2, #3, #4)');
  });

  test('--correlate takes --stuck-threshold', async () => {
    const b = buildLockWaiters();
    b.save();
    const run = (...argv: string[]) => runCli(['analyze', '--correlate', ...argv], { cwd: b.root });
    expect((await run()).stdout).toContain('Nothing to correlate');
    expect((await run('--stuck-threshold', '50ms')).stdout).toContain('Still waiting: 2 tasks (#1, #2), the longest for 5s');
  });

  test('--json gives the analysis data with a format version', async () => {
    const data = JSON.parse((await cli('analyze', '--json')).stdout);
    expect(data).toMatchObject({ formatVersion: 1, tasks: { total: 8, failed: 2 }, stuck: [{ task: 5 }] });
    const failures = JSON.parse((await cli('analyze', '--failures', '--json')).stdout);
    expect(failures.groups[0]).toMatchObject({ count: 3, tasks: [2, 3, 4] });
  });

  test('colour only when asked or on a terminal without NO_COLOR', async () => {
    expect((await cli('analyze')).stdout).not.toContain('\u001b[');
    expect((await cli('analyze', '--color')).stdout).toContain('\u001b[');
    expect((await runCli(['analyze'], { cwd: root, isTTY: true })).stdout).toContain('\u001b[');
    expect((await runCli(['analyze'], { cwd: root, isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await runCli(['analyze', '--no-color'], { cwd: root, isTTY: true })).stdout).not.toContain('\u001b[');
  });
});

describe('timeline and trace', () => {
  test('timeline --task collapses the poll loop', async () => {
    const r = await cli('timeline', '--task', '6');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('… suspended 27 more times at await sleep(2) (54ms waiting in all)');
    expect(r.stdout).toContain('⚠ pollReady suspended 30 times in a row at src/poll.ts:3');
  });

  test('trace --task shows the tree and the stuck code', async () => {
    const r = await cli('trace', '--task', '#5');
    expect(r.stdout).toContain('waiting for 5.1s at await new Promise');
    expect(r.stdout).toMatch(/>>> 3: .*← stuck here for 5\.1s/);
    const json = JSON.parse((await cli('trace', '--task', '2', '--json')).stdout);
    expect(json).toMatchObject({ formatVersion: 1, task: 2, outcome: 'failed', focus: { kind: 'failed' } });
  });

  test('timeline --json', async () => {
    const json = JSON.parse((await cli('timeline', '--task', '6', '--json')).stdout);
    expect(json.entries.filter((e: { kind: string }) => e.kind === 'repeat')).toHaveLength(1);
    expect(json.spins[0].count).toBe(30);
  });
});

describe('export', () => {
  test('--json - writes the documented shape', async () => {
    const r = await cli('export', '--json', '-');
    const data = JSON.parse(r.stdout);
    expect(Object.keys(data)).toEqual(['formatVersion', 'trace', 'sites', 'errors', 'tasks', 'frames', 'events']);
    expect(data.tasks).toHaveLength(8);
    expect(data.frames.find((f: { id: number }) => f.id === 4)).toMatchObject({ task: 1, parent: 3, outcome: 'completed' });
    expect(data.events).toHaveLength(data.trace.events);
    expect(data.events[0]).toEqual({ t: 0, kind: 'enter', frame: 1, site: 6, arg: -1 });
  });

  test('export files are created readable by their owner only (0600), like traces', async () => {
    for (const flag of ['--json', '--csv']) {
      const out = join(root, `private${flag}.out`);
      expect((await cli('export', flag, out)).code).toBe(0);
      expect(statSync(out).mode & 0o777).toBe(0o600);
    }
  });

  test('--csv FILE writes frames with a header row; --table events', async () => {
    const out = join(root, 'frames.csv');
    const r = await cli('export', '--csv', out);
    expect(r).toMatchObject({ code: 0, stderr: `wrote ${out}\n` });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('task,frame,parent,depth,function,file,line,outcome,start_ms,end_ms,duration_ms,suspensions,await_file,await_line,await_text,error_name,error_message,error_code,await_kind');
    expect(lines).toContain('2,8,7,2,dbQuery,src/db.ts,3,failed,155,186,31,1,src/db.ts,4,delay(30),Error,connection timeout,,await');
    expect(lines).toContain('1,3,1,1,fetchUserData,src/users.ts,1,completed,55,87,32,1,src/users.ts,2,"dbQuery(sql, id === 123)",,,,await');
    const events = (await cli('export', '--csv', '-', '--table', 'events')).stdout.split('\n');
    expect(events[0]).toBe('time_ms,kind,task,frame,function,file,line,await_text,error_name,error_message,await_kind');
    expect(events).toContain('186,throw,2,8,dbQuery,src/db.ts,3,,Error,connection timeout,');
    expect(events.filter((l) => l.includes(',suspend,')).every((l) => l.endsWith(',await'))).toBe(true);
  });
});

describe('bad input: one line on stderr, a non-zero exit', () => {
  const oneLine = (r: { stderr: string }) => {
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  };

  test('no trace yet says how to make one (exit 3)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ai-cli-empty-'));
    const r = await runCli(['analyze'], { cwd: empty });
    expect(r.code).toBe(3);
    oneLine(r);
    expect(r.stderr).toMatch(/no trace yet: \.async-inspect\/ does not exist; build your program with the async-inspect transformer/);
    mkdirSync(join(empty, '.async-inspect'));
    expect((await runCli(['analyze'], { cwd: empty })).stderr).toMatch(/no \*\.aitrace file in \.async-inspect\//);
  });

  test('a trace of an unknown format version (exit 3)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ai-cli-v-'));
    writeFileSync(join(dir, 'x.aitrace'), Buffer.concat([encodeMagic(), encodeJsonRecord(RecordType.header, { format: 99, runtime: '9.0.0' })]));
    const r = await runCli(['analyze', '--trace', dir], { cwd: dir });
    expect(r.code).toBe(3);
    oneLine(r);
    expect(r.stderr).toMatch(/trace format version 99 is not supported/);
  });

  test('a truncated trace is analysed with a note that it was cut', async () => {
    const { builder } = buildServiceScenario();
    const bytes = builder.bytes();
    const path = builder.save('cut.aitrace', bytes.subarray(0, bytes.length - 40));
    const r = await runCli(['analyze', '--trace', path], { cwd: builder.root });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Tasks: 8 total');
    expect(r.stderr).toMatch(/^note: the trace was cut: the last record is incomplete/);
  });

  test('an unknown task id lists the ids that exist (exit 4)', async () => {
    const r = await cli('timeline', '--task', '99');
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('async-inspect: no task #99 in .async-inspect/run-1.aitrace; tasks in it: #1–#8\n');
    expect((await cli('trace', '--task', '42')).code).toBe(4);
  });

  test('a changed or missing source is named instead of showing wrong lines', async () => {
    const b = new TraceBuilder();
    const f = b.file('src/db.ts', DB_SRC, [['dbQuery', 3, 8, [], 'function']], [[0, 4, 3, 'delay(30)', 'await']], DB_SRC.replace('30', '31'));
    const g = b.file('src/gone.ts', 'x\n', [['gone', 1, 1, [], 'function']], [[0, 1, 1, 'x', 'await']]);
    const one = b.spawn(0, f.fn(0), 1);
    const two = b.spawn(0, g.fn(0), 2);
    b.suspend(1, one, f.at(0)).suspend(1, two, g.at(0));
    const pending = (frame: number, task: number, fn: number, site: number) => ({ frame, task, parent: 0, fn, site, state: 'suspended' as const, start: 0, since: 1, suspends: 1 });
    b.snapshot({ reason: 'exit', time: 3000, frames: [pending(one, 1, f.fn(0), f.at(0)), pending(two, 2, g.fn(0), g.at(0))] });
    b.save();
    const { rmSync } = await import('node:fs');
    rmSync(join(b.root, 'src/gone.ts'));
    const r1 = await runCli(['trace', '--task', '1'], { cwd: b.root });
    expect(r1.code).toBe(0);
    expect(r1.stdout).toContain('(code not shown: src/db.ts has changed since it was built; rebuild and run again to see its lines)');
    expect(r1.stdout).not.toContain('>>>');
    const r2 = await runCli(['trace', '--task', '2'], { cwd: b.root });
    expect(r2.stdout).toContain(`(code not shown: source src/gone.ts not found (looked in ${join(b.root, 'src/gone.ts')}))`);
  });

  test('a crafted trace cannot print files outside the project, nor unverifiable ones', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'ai-cli-secret-'));
    const SECRET = 'root:x:0:0:root:/root:/bin/bash\nsecret line two\n';
    writeFileSync(join(outside, 'passwd'), SECRET);
    const b = new TraceBuilder();
    const escape = relative(b.root, join(outside, 'passwd'));
    expect(escape.startsWith('..')).toBe(true);
    const sites = (path: string, hashOf: string | null) =>
      b.file(path, SECRET, [['readSecret', 1, 1, [], 'function']], [[0, 1, 1, 'secret', 'await']], hashOf);
    const files = [sites(join(outside, 'passwd'), SECRET), sites(escape, SECRET), sites('src/plain.ts', null)];
    files.forEach((f, i) => {
      const frame = b.spawn(0, f.fn(0), i + 1);
      b.suspend(1, frame, f.at(0));
    });
    b.save();
    writeFileSync(join(b.root, 'src/plain.ts'), SECRET);
    for (const task of ['1', '2', '3']) {
      const r = await runCli(['trace', '--task', task], { cwd: b.root });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('secret line two');
      expect(r.stdout).not.toContain('>>>');
    }
    const [abs, up, unhashed] = await Promise.all(['1', '2', '3'].map((t) => runCli(['trace', '--task', t], { cwd: b.root })));
    expect(abs.stdout).toContain(`(code not shown: the trace names ${join(outside, 'passwd')}, which is outside the project; refusing to read it)`);
    expect(up.stdout).toContain(`(code not shown: the trace names ${escape}, which is outside the project; refusing to read it)`);
    expect(unhashed.stdout).toContain('(code not shown: cannot verify src/plain.ts: the trace records no hash of its source)');
    const summary = await runCli(['analyze', '--stuck-threshold', '0ms'], { cwd: b.root });
    expect(summary.stdout).not.toContain('secret line two');
  });

  test.each([
    [['analyze', '--slow', '--threshold', 'abc'], '--threshold: "abc" is not a duration (write it like 250ms, 1s, 1.5s or 2m)'],
    [['analyze', '--stuck-threshold', '5'], '--stuck-threshold: "5" is not a duration'],
    [['analyze', '--bogus'], 'analyze: unknown flag --bogus'],
    [['frobnicate'], 'unknown command "frobnicate" (commands: analyze, timeline, trace, export)'],
    [['timeline'], 'timeline: --task <id> is required'],
    [['trace', '--task', 'abc'], 'trace: --task: "abc" is not a task id'],
    [['trace', '--task', ''], 'trace: --task: "" is not a task id'],
    [['timeline', '--task', '1e1'], 'timeline: --task: "1e1" is not a task id'],
    [['trace', '--task', '0'], 'trace: --task: "0" is not a task id'],
    [['trace', '--task', '#0'], 'trace: --task: "#0" is not a task id'],
    [['trace', '--task', '0x3'], 'trace: --task: "0x3" is not a task id'],
    [['trace', '--task', ' 3'], 'trace: --task: " 3" is not a task id'],
    [['trace', '--task', '3.0'], 'trace: --task: "3.0" is not a task id'],
    [['trace', '--task=-3'], 'trace: --task: "-3" is not a task id'],
    [['analyze', 'extra'], 'analyze: unexpected argument "extra"'],
    [['analyze', '--failures', '--slow'], 'analyze: choose one of --failures, --slow, --correlate'],
    [['export'], 'export: give one of --json <file|-> or --csv <file|->'],
    [['export', '--csv', '-', '--table', 'sites'], 'export: --table must be one of frames, events, not "sites"'],
    [['analyze', '--trace'], 'analyze: --trace needs a value'],
    [['analyze', '--top', 'x'], '--top: "x" is not a count'],
    [['analyze', '--failures', '--top', '3'], 'analyze: --top goes with the summary (stuck tasks) or --slow, not with --failures'],
    [['analyze', '--correlate', '--top', '3'], 'analyze: --top goes with the summary (stuck tasks) or --slow, not with --correlate'],
    [['analyze', '--failures', '--stuck-threshold', '2s'], 'analyze: --stuck-threshold goes with the summary or --correlate, not with --failures'],
    [['analyze', '--slow', '--stuck-threshold', '2s'], 'analyze: --stuck-threshold goes with the summary or --correlate, not with --slow (use --threshold)'],
    [['analyze', '--color', '--no-color'], 'analyze: choose one of --color, --no-color'],
    [['trace', '--task', '1', '--no-color', '--color'], 'trace: choose one of --color, --no-color'],
  ])('usage error %j (exit 2)', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain(message);
  });

  test('an unwritable export target (exit 5)', async () => {
    const r = await cli('export', '--json', join(root, 'no/such/dir/out.json'));
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/cannot write .*out\.json: no such directory/);
  });

  test('--trace DIR takes the newest trace; --trace FILE that one', async () => {
    const b = new TraceBuilder();
    const f = b.file('a.ts', 'x\n', [['only', 1, 1, [], 'function']], []);
    b.ret(1, b.spawn(0, f.fn(0), 1));
    const older = b.save('older.aitrace', Buffer.from(readFileSync(savedScenario().path)));
    utimesSync(older, new Date(2000, 1, 1), new Date(2000, 1, 1));
    b.save('newer.aitrace');
    expect((await runCli(['analyze', '--trace', '.async-inspect'], { cwd: b.root })).stdout).toContain('Tasks: 1 total');
    expect((await runCli(['analyze', '--trace', older], { cwd: b.root })).stdout).toContain('Tasks: 8 total');
    expect((await runCli(['analyze'], { cwd: b.root, env: { ASYNC_INSPECT_DIR: join(b.root, 'nowhere') } })).code).toBe(3);
  });
});
