/**
 * End to end: build real fixtures with the plugin, run them, run the built CLI
 * (node dist/cli/main.js) on their traces, and check what it says.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT, buildFixture, entryOf, fixtureDir, runFixture, type FixtureRun } from '../helpers/fixtures';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'dist/cli/main.js');

async function cli(fixture: string, traceDir: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args, '--trace', traceDir], { cwd: fixtureDir(fixture), env: { PATH: process.env.PATH } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** `31ms` / `1.2s` as the CLI prints them, in ms. */
function shownMs(text: string): number {
  return text.endsWith('ms') ? Number(text.slice(0, -2)) : Number(text.slice(0, -1)) * 1000;
}

async function json(fixture: string, traceDir: string, ...args: string[]) {
  const r = await cli(fixture, traceDir, ...args, '--json');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

async function recorded(fixture: string, entry = 'main.js'): Promise<FixtureRun> {
  const build = await buildFixture(fixture);
  const result = await runFixture(fixture, entryOf(build, entry));
  expect(result.traceFiles).toHaveLength(1);
  return result;
}

describe('deep-failure', () => {
  let caught: FixtureRun;
  let crash: FixtureRun;
  beforeAll(async () => {
    caught = await recorded('deep-failure');
    crash = await recorded('deep-failure', 'unhandled.js');
  }, 120_000);

  test('failures caught by main: both origins, their chains and code', async () => {
    const r = await cli('deep-failure', caught.traceDir, 'analyze', '--failures');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Failures: 2 errors thrown; 0 tasks failed');
    expect(r.stdout).toContain('├─ Failed at: src/db.ts:10 in dbQuery, thrown after resuming from await delay(latencyMs)');
    expect(r.stdout).toMatch(/└─ handleRequest\(userId\) +src\/main\.ts:20 .*✗ FAILED +at await fetchUserData\(userId, userId === 123\) \(line 21\)/);
    expect(r.stdout).toMatch(/└─ fetchUserData\(userId, dbDown\) +src\/users\.ts:3 .*✗ FAILED/);
    const line = /└─ dbQuery\(sql, params, latencyMs, down\) +src\/db\.ts:9 +([\d.]+m?s) +✗ FAILED +← error starts here/.exec(r.stdout);
    expect(line).not.toBeNull();
    const ms = shownMs(line![1]); // the fixture's query takes 30 ms
    expect(ms).toBeGreaterThanOrEqual(28);
    expect(ms).toBeLessThan(2000);
    expect(r.stdout).toContain('>>> 10:   await delay(latencyMs);  ← failed after this await resumed');
    expect(r.stdout).toContain('✗ Error: upstream returned 503 for sku-1');
    expect(r.stdout).toMatch(/└─ refreshStock\(sku\) +src\/inventory\.ts:9 .*✗ FAILED +at await fetchRemoteStock\(sku\) \(line 11\)/);
    expect(r.stdout).toContain('[error caught by main]');
  });

  test('the unhandled rejection fails the task and is named in the summary', async () => {
    const summary = await json('deep-failure', crash.traceDir, 'analyze');
    expect(summary.tasks).toMatchObject({ total: 1, failed: 1 });
    expect(summary.ending).toMatchObject({ reason: 'unhandled-rejection', exitCode: 1, error: 'Error: connection timeout' });
    const report = await json('deep-failure', crash.traceDir, 'analyze', '--failures');
    const chain: string[] = [];
    for (let n = report.groups[0].example.chain; n; n = n.children.find((c: { onPath: boolean }) => c.onPath)) chain.push(`${n.fn.name} ${n.fn.file}:${n.fn.line}`);
    expect(chain).toEqual(['startWorker src/unhandled.ts:18', 'processJob src/unhandled.ts:12', 'fetchUserData src/users.ts:3', 'dbQuery src/db.ts:9']);
    expect(report.groups[0].example).toMatchObject({ taskFailed: true, error: { message: 'connection timeout' } });
  });
});

describe('never-settles', () => {
  let rec: FixtureRun;
  beforeAll(async () => {
    rec = await recorded('never-settles');
  }, 120_000);

  test('analyze lists the stuck task at the await that never settles', async () => {
    const r = await cli('never-settles', rec.traceDir, 'analyze', '--stuck-threshold', '1ms');
    expect(r.stdout).toContain('Tasks: 2 total · 1 completed · 0 failed · 1 pending');
    expect(r.stdout).toMatch(/Task #1: main\(\) pending for \d+ms/);
    expect(r.stdout).toContain('Blocked at: waitForApproval › await new Promise<boolean>(() => {})  src/approvals.ts:8');
    expect(r.stdout).toMatch(/>>> {2}8: {3}const approved = await new Promise<boolean>\(\(\) => \{\}\);  ← stuck here for /);
  });

  test('trace shows the pending chain main → deployRelease → waitForApproval', async () => {
    const tree = await json('never-settles', rec.traceDir, 'trace', '--task', '1');
    const chain: string[] = [];
    for (let n = tree.root; n; n = n.children.find((c: { outcome: string }) => c.outcome === 'pending')) chain.push(`${n.fn.name} @${n.site?.line}`);
    expect(chain).toEqual(['main @27', 'deployRelease @22', 'waitForApproval @8']);
    expect(tree.focus).toMatchObject({ kind: 'stuck', site: { file: 'src/approvals.ts', line: 8 } });
    const r = await cli('never-settles', rec.traceDir, 'trace', '--task', '1');
    expect(r.stdout).toMatch(/├─ notifyReviewers\(changeId\) +src\/approvals\.ts:13 .*✓ completed/);
  });

  test('an unknown task lists the ones that exist', async () => {
    const r = await cli('never-settles', rec.traceDir, 'timeline', '--task', '9');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/no task #9 in .*; tasks in it: #1, #2\n$/);
  });
});

describe('nested-chain', () => {
  let rec: FixtureRun;
  beforeAll(async () => {
    rec = await recorded('nested-chain');
  }, 120_000);

  test('one completed task; its timeline walks the whole chain in order', async () => {
    const timeline = await json('nested-chain', rec.traceDir, 'timeline', '--task', '1');
    expect(timeline.outcome).toBe('completed');
    const entered = timeline.entries.filter((e: { kind: string }) => e.kind === 'enter' || e.kind === 'spawn').map((e: { fn: { name: string } }) => e.fn.name);
    expect(entered).toEqual(['main', 'handleRequest', 'authenticate', 'fetchUserData', 'dbQuery', 'handleRequest', 'authenticate', 'fetchUserData', 'dbQuery']);
    const waits = timeline.entries.filter((e: { kind: string; site?: { file: string } }) => e.kind === 'resume' && e.site?.file === 'src/db.ts').map((e: { waited: number }) => e.waited);
    expect(waits).toHaveLength(2);
    // delay(8): the runtime's clock ticks every ~1 ms and its thread can be scheduled late
    // on a loaded machine, so a recorded wait can read a little short.
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(5);
    const text = (await cli('nested-chain', rec.traceDir, 'timeline', '--task', '1')).stdout;
    expect(text).toMatch(/○ await delay\(8\) {2}src\/db\.ts:15/);
    expect(text).toMatch(/✓ main completed/);
  });
});

describe('demo-service', () => {
  let rec: FixtureRun;
  beforeAll(async () => {
    rec = await recorded('demo-service');
  }, 120_000);

  test('summary: 30 tasks, 7 failed, 1 pending', async () => {
    const r = await cli('demo-service', rec.traceDir, 'analyze');
    expect(r.stdout).toContain('Tasks: 30 total · 22 completed · 7 failed · 1 pending');
    expect(r.stdout).toMatch(/7× +src\/pool\.ts:35 +Pool\.acquire › await new Promise<Connection>/);
    expect(r.stdout).toContain('Blocked at: waitForNotification › await new Promise<string>');
  });

  test('the seven acquire timeouts are one group with their task ids', async () => {
    const report = await json('demo-service', rec.traceDir, 'analyze', '--failures');
    expect(report.groups).toHaveLength(1);
    const [g] = report.groups;
    expect(g).toMatchObject({ count: 7, uncaught: 7, error: { message: 'acquire timeout after 200ms' }, failedAt: { file: 'src/pool.ts', line: 35 } });
    expect(g.tasks).toEqual(report.failedTasks);
    expect(g.example.elapsed).toBeGreaterThanOrEqual(195);
    const r = await cli('demo-service', rec.traceDir, 'analyze', '--failures');
    expect(r.stdout).toContain(`✗ Error: acquire timeout after 200ms — 7 times in 7 tasks: ${g.tasks.map((t: number) => `#${t}`).join(', ')}`);
    expect(r.stdout).toMatch(/>>> 35: +const conn = await new Promise<Connection>\(\(resolve, reject\) => \{ {2}← failed here/);
  });

  test('--slow finds the report export and its dominant await', async () => {
    const report = await json('demo-service', rec.traceDir, 'analyze', '--slow', '--threshold', '1s');
    const done = report.tasks.find((t: { outcome: string }) => t.outcome === 'completed');
    expect(done.duration).toBeGreaterThan(1150);
    expect(done.duration).toBeLessThan(3000);
    const path: string[] = [];
    for (let n = done.tree; n; n = n.children.find((c: { dominant: boolean }) => c.dominant)) path.push(n.fn.name);
    expect(path).toEqual(['handleRequest', 'exportReport', 'fetchInvoices']);
  });

  test('--correlate shows the pool running dry', async () => {
    const r = await cli('demo-service', rec.traceDir, 'analyze', '--correlate');
    expect(r.stdout).toMatch(/at most (\d+) at the same time/);
    expect(Number(/at most (\d+) at the same time/.exec(r.stdout)![1])).toBeGreaterThanOrEqual(7);
    expect(r.stdout).toContain('a limited resource behind this await');
  });

  test('export --csv has one row per frame; --json the same frames', async () => {
    const csv = (await cli('demo-service', rec.traceDir, 'export', '--csv', '-')).stdout.trim().split('\n');
    const r = await cli('demo-service', rec.traceDir, 'export', '--json', '-');
    const data = JSON.parse(r.stdout);
    expect(csv.length - 1).toBe(data.frames.length);
    expect(data.tasks).toHaveLength(30);
    expect(data.frames.filter((f: { outcome: string; fn: number }) => f.outcome === 'failed' && data.sites.find((s: { id: number }) => s.id === f.fn).name === 'Pool.acquire')).toHaveLength(7);
  });
});

describe('generators', () => {
  let rec: FixtureRun;
  beforeAll(async () => {
    rec = await recorded('generators');
  }, 120_000);

  // Every suspension is labelled with the keyword the source uses there, never `await` for all.
  const YIELD_PAGE = 'yield { page, items: [`${feed}-${page}a`, `${feed}-${page}b`] }';

  test('timeline: yield, yield* and for await sites read as in the source', async () => {
    const r = await cli('generators', rec.traceDir, 'timeline', '--task', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('○ yield ++beat  src/feeds.ts:28');
    expect(r.stdout).toContain(`○ ${YIELD_PAGE}  src/feeds.ts:12`);
    expect(r.stdout).toContain("○ yield* readPages('news', 2)  src/feeds.ts:18");
    expect(r.stdout).toContain("○ for await (… of readPages('orders', 3))  src/main.ts:19");
    expect(r.stdout).toContain('○ for await (… of heartbeat(3))  src/main.ts:23');
    expect(r.stdout).toContain('○ await delay(intervalMs)  src/feeds.ts:27');
    expect(r.stdout).not.toContain('await ++beat');
    expect(r.stdout).not.toContain('await { page');
    expect(r.stdout).not.toContain('await readPages(');
    expect(r.stdout).not.toContain('await heartbeat(');
  });

  test('timeline --json: await sites carry their kind next to the text', async () => {
    const timeline = await json('generators', rec.traceDir, 'timeline', '--task', '1');
    const kinds = new Map<string, string>();
    for (const e of timeline.entries as { site?: { file: string; line: number; text?: string; kind?: string } }[]) {
      if (e.site?.text !== undefined) kinds.set(`${e.site.file}:${e.site.line} ${e.site.text}`, e.site.kind!);
    }
    expect(Object.fromEntries(kinds)).toMatchObject({
      'src/feeds.ts:11 delay(2)': 'await',
      'src/feeds.ts:12 { page, items: [`${feed}-${page}a`, `${feed}-${page}b`] }': 'yield',
      "src/feeds.ts:18 readPages('news', 2)": 'yield*',
      'src/feeds.ts:28 ++beat': 'yield',
      "src/main.ts:19 readPages('orders', 3)": 'for-await',
    });
  });

  test('analyze: the summary and --slow never call a yield an await', async () => {
    const summary = await cli('generators', rec.traceDir, 'analyze');
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain('Slowest waits (longest single wait per site)');
    expect(summary.stdout).not.toMatch(/await (\+\+beat|\{ page|readPages\(|heartbeat\(|readAllFeeds\()/);
    const slow = await cli('generators', rec.traceDir, 'analyze', '--slow', '--threshold', '0ms', '--top', '0');
    expect(slow.code).toBe(0);
    expect(slow.stdout).toMatch(/[├└]─ yield \+\+beat ×3 +\[[^\]]+\] +src\/feeds\.ts:28/);
    // A generator that called nothing lists its own sites (heartbeat, readPages); which of
    // main's and readAllFeeds' show depends on timing, so they are only checked for the wrong label.
    expect(slow.stdout).toMatch(/[├└]─ yield \{ page, items: .* ×3 +\[[^\]]+\] +src\/feeds\.ts:12/);
    expect(slow.stdout).not.toMatch(/await (\+\+beat|\{ page|readPages\(|heartbeat\(|readAllFeeds\()/);
  });

  test('trace: each generator frame ends at the yield it was suspended at last', async () => {
    const r = await cli('generators', rec.traceDir, 'trace', '--task', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('last waited at yield ++beat src/feeds.ts:28 (6 suspensions)');
    expect(r.stdout).toContain("last waited at yield* readPages('sports', 1) src/feeds.ts:19");
    expect(r.stdout).toContain('last waited at for await (… of readAllFeeds()) src/main.ts:30');
    expect(r.stdout).not.toContain('await ++beat');
  });
});

describe('abandoned-generators', () => {
  let rec: FixtureRun;
  beforeAll(async () => {
    rec = await recorded('abandoned-generators');
  }, 120_000);

  test('timeline and trace say which generators were dropped, and where they waited', async () => {
    const timeline = await cli('abandoned-generators', rec.traceDir, 'timeline', '--task', '1');
    expect(timeline.code).toBe(0);
    expect(timeline.stdout).toMatch(/⊘ numbers abandoned at yield n\+\+ \(src\/main\.ts:15\): its generator was dropped and garbage-collected after waiting/);
    const trace = await cli('abandoned-generators', rec.traceDir, 'trace', '--task', '1');
    expect(trace.code).toBe(0);
    expect(trace.stdout).toMatch(/└─ numbers\(from\) +src\/main\.ts:11 .*⊘ abandoned/);
    expect(trace.stdout).toMatch(/neverReady\(\) +src\/main\.ts:27 .*… PENDING/);
  });

  test('export --json: abandoned frames and their abandon events', async () => {
    const r = await cli('abandoned-generators', rec.traceDir, 'export', '--json', '-');
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout) as { frames: { outcome: string }[]; events: { kind: string }[] };
    expect(data.frames.filter((f) => f.outcome === 'abandoned')).toHaveLength(50);
    expect(data.events.filter((e) => e.kind === 'abandon')).toHaveLength(50);
  });

  test('export --csv --table events: each abandon at its yield, with the site kind', async () => {
    const r = await cli('abandoned-generators', rec.traceDir, 'export', '--csv', '-', '--table', 'events');
    expect(r.code).toBe(0);
    const abandons = r.stdout.split('\n').filter((l) => l.split(',')[1] === 'abandon');
    expect(abandons).toHaveLength(50);
    for (const line of abandons) expect(line).toMatch(/,abandon,\d+,\d+,numbers,src\/main\.ts,15,n\+\+,,,yield$/);
  });
});
