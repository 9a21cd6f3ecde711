import { describe, expect, test } from 'vitest';
import { decodeTrace } from '../../format';
import { analyzeCorrelations } from '../../cli/analysis/correlate';
import { analyzeFailures } from '../../cli/analysis/failures';
import { analyzeSlow, type SlowNode } from '../../cli/analysis/slow';
import { summarize } from '../../cli/analysis/summary';
import { buildTimeline } from '../../cli/analysis/timeline';
import { buildTraceTree } from '../../cli/analysis/trace-tree';
import { buildModel } from '../../cli/model/build-model';
import { buildLockWaiters, buildServiceScenario } from './helpers/scenarios';
import { TraceBuilder } from './helpers/trace-builder';

const model = buildModel(decodeTrace(buildServiceScenario().builder.bytes()));

describe('summarize', () => {
  const summary = summarize(model, { stuckThreshold: 1000 });

  test('counts tasks by outcome and errors by origin', () => {
    expect(summary.tasks).toEqual({ total: 8, completed: 4, failed: 2, pending: 1, abandoned: 0, unknown: 1 });
    expect(summary.failures).toEqual({ total: 3, caught: 1 });
    expect(summary.ending).toMatchObject({ reason: 'exit', exitCode: 0 });
  });

  test('lists the stuck task with the await it is blocked at', () => {
    expect(summary.stuck).toHaveLength(1);
    expect(summary.stuck[0]).toMatchObject({ task: 5, pendingFor: 5100, blockedFor: 5098, blockedAt: { file: 'src/approvals.ts', line: 3, name: 'waitForApproval' } });
    expect(summarize(model, { stuckThreshold: 6000 }).stuck).toEqual([]);
  });

  test('ranks sites by their longest wait and by failures', () => {
    expect(summary.slowestSites[0]).toMatchObject({ site: { file: 'src/approvals.ts', line: 3 }, count: 1, pending: 1 });
    const poll = summarize(model, { stuckThreshold: 1000, top: 20 }).slowestSites.find((s) => s.site.file === 'src/poll.ts');
    expect(poll).toMatchObject({ count: 30, total: 60, max: 2, pending: 0 }); // the unfinished frame's open wait is not counted
    expect(summary.failingSites).toEqual([
      expect.objectContaining({ site: expect.objectContaining({ file: 'src/db.ts', line: 4 }), how: 'rejected', failures: 3, tasks: [2, 3, 4], error: 'Error: connection timeout' }),
    ]);
  });
});

describe('analyzeFailures', () => {
  const report = analyzeFailures(model);

  test('groups identical failures with their count and tasks', () => {
    expect(report.failures).toBe(3);
    expect(report.failedTasks).toEqual([2, 3]);
    expect(report.groups).toHaveLength(1);
    const [group] = report.groups;
    expect(group).toMatchObject({ count: 3, tasks: [2, 3, 4], uncaught: 2, error: { name: 'Error', message: 'connection timeout' } });
    expect(group.failedAt).toMatchObject({ file: 'src/db.ts', line: 4, text: 'delay(30)' });
  });

  test('the chain goes from the task root to the origin, with earlier siblings', () => {
    const f = report.groups[0].example;
    expect(f).toMatchObject({ task: 2, taskFailed: true, elapsed: 86, origin: { name: 'dbQuery' } });
    const names: string[] = [];
    const walk = (n: typeof f.chain, depth: number) => {
      names.push(`${'  '.repeat(depth)}${n.fn.name}${n.onPath ? '' : ' (sibling)'} ${n.outcome}${n.awaitSite ? ` @${n.awaitSite.line}` : ''}`);
      n.children.forEach((c) => walk(c, depth + 1));
    };
    walk(f.chain, 0);
    expect(names).toEqual(['handleRequest failed @8', '  authenticate (sibling) completed', '  fetchUserData failed @2', '    dbQuery failed @4']);
  });

  test('a failure caught inside the task names the frame that caught it', () => {
    const caught = analyzeFailures(model).groups[0];
    expect(caught.count - caught.uncaught).toBe(1);
    const b = new TraceBuilder();
    const f = b.file('a.ts', 'x\n', [['outer', 1, 1, [], 'function'], ['inner', 2, 1, [], 'function']], [[0, 1, 1, 'inner()', 'await'], [1, 2, 1, 'io()', 'await']]);
    const outer = b.spawn(0, f.fn(0), 1);
    const inner = b.call(0, outer, f.fn(1));
    b.suspend(1, inner, f.at(1)).suspend(1, outer, f.at(0)).resume(10, inner).throw(11, inner, 9).resume(12, outer).ret(13, outer);
    b.errors([{ id: 9, name: 'TypeError', message: 'x is undefined' }]);
    const [failure] = analyzeFailures(buildModel(decodeTrace(b.bytes()))).groups.map((g) => g.example);
    expect(failure).toMatchObject({ taskFailed: false, caughtBy: { name: 'outer' }, failedAt: undefined, resumedFrom: { name: 'inner', line: 2 } });
  });
});

describe('analyzeSlow', () => {
  test('lists tasks over the threshold with the dominant path marked', () => {
    const report = analyzeSlow(model, { threshold: 1000 });
    expect(report.tasks.map((t) => [t.task, t.duration])).toEqual([[5, 5100], [7, 2300]]);
    const tree = report.tasks[1].tree;
    const dominant: string[] = [];
    for (let n: SlowNode | undefined = tree; n; n = n.children.find((c) => c.dominant)) dominant.push(`${n.fn.name} ${n.duration}`);
    expect(dominant).toEqual(['checkout 2300', 'chargePayment 2100', 'externalApi 2000']);
    const api = tree.children[1].children[0];
    expect(api.awaits).toEqual([expect.objectContaining({ dominant: true, total: 2000, site: expect.objectContaining({ text: 'fetch(url)' }) })]);
    expect(tree.children.map((c) => c.slow)).toEqual([false, true, false]);
  });

  test('the threshold filters', () => {
    expect(analyzeSlow(model, { threshold: 2400 }).tasks.map((t) => t.task)).toEqual([5]);
    expect(analyzeSlow(model, { threshold: 50 }).tasks.map((t) => t.task)).toEqual([5, 7, 4, 1, 2, 3, 6]);
  });
});

describe('buildTimeline', () => {
  test('collapses a long run at one await and flags it as a possible poll loop', () => {
    const timeline = buildTimeline(model, model.tasks.get(6)!);
    const kinds = timeline.entries.map((e) => e.kind);
    expect(kinds).toEqual(['spawn', 'suspend', 'resume', 'suspend', 'resume', 'repeat', 'suspend', 'resume', 'return']);
    expect(timeline.entries[5]).toMatchObject({ count: 27, total: 54, t: 4 });
    expect(timeline.spins).toEqual([expect.objectContaining({ count: 30, mean: 2, from: 0, to: 58 })]);
  });

  test('keeps short runs and gives times relative to the task start', () => {
    const timeline = buildTimeline(model, model.tasks.get(2)!);
    expect(timeline.spins).toEqual([]);
    expect(timeline.entries.map((e) => `${e.t} ${e.kind} ${e.fn.name}`)).toEqual([
      '0 spawn handleRequest', '0 enter authenticate', '1 suspend authenticate', '1 suspend handleRequest', '45 resume authenticate',
      '50 return authenticate', '50 resume handleRequest', '55 enter fetchUserData', '55 enter dbQuery', '56 suspend dbQuery',
      '56 suspend fetchUserData', '56 suspend handleRequest', '86 throw dbQuery', '86 throw fetchUserData', '87 throw handleRequest',
    ]);
    expect(timeline.entries[4].waited).toBe(44);
    expect(timeline.entries[12]).toMatchObject({ error: { message: 'connection timeout' }, site: { line: 4 } });
  });

  test('a pending frame ends the timeline with how long it has waited', () => {
    const timeline = buildTimeline(model, model.tasks.get(5)!);
    expect(timeline.entries.at(-1)).toMatchObject({ kind: 'pending', t: 5100, waited: 5098, site: { line: 3 } });
  });

  test('runs below the spin size are collapsed without a warning', () => {
    const t = buildTimeline(model, model.tasks.get(6)!, { spinMin: 31 });
    expect(t.spins).toEqual([]);
    expect(t.entries.some((e) => e.kind === 'repeat')).toBe(true);
  });
});

describe('buildTraceTree', () => {
  test('the stuck task focuses on its pending await', () => {
    const tree = buildTraceTree(model, model.tasks.get(5)!);
    expect(tree.focus).toMatchObject({ kind: 'stuck', time: 5098, site: { file: 'src/approvals.ts', line: 3 } });
    expect(tree.root).toMatchObject({ outcome: 'pending', waiting: 5098 });
  });

  test('a failed task focuses on where the error started', () => {
    const tree = buildTraceTree(model, model.tasks.get(3)!);
    expect(tree.focus).toMatchObject({ kind: 'failed', site: { line: 4, file: 'src/db.ts' }, time: 86 });
    expect(tree.root.children.map((c) => `${c.fn.name} ${c.outcome}`)).toEqual(['authenticate completed', 'fetchUserData failed']);
    expect(tree.root.children[1].children[0]).toMatchObject({ error: { message: 'connection timeout' }, site: { line: 4 } });
  });

  test('caps the children per frame, keeping failed and pending ones', () => {
    const b = new TraceBuilder();
    const f = b.file('a.ts', 'x\n', [['loop', 1, 1, [], 'function'], ['step', 2, 1, [], 'function']], [[0, 1, 1, 'x', 'await']]);
    const root = b.spawn(0, f.fn(0), 1);
    for (let i = 0; i < 40; i++) b.ret(i, b.call(i, root, f.fn(1)));
    b.throw(41, b.call(41, root, f.fn(1)), 1).ret(42, root);
    const m = buildModel(decodeTrace(b.bytes()));
    const tree = buildTraceTree(m, m.tasks.get(1)!, { maxChildren: 5 });
    expect(tree.frames).toBe(42);
    expect(tree.root.children.map((c) => c.outcome)).toEqual(['completed', 'completed', 'completed', 'completed', 'failed']);
    expect(tree.root.omitted).toBe(36);
    expect(buildTraceTree(m, m.tasks.get(1)!, { maxChildren: 0 }).root.children).toHaveLength(41);
  });
});

describe('analyzeCorrelations', () => {
  test('groups failures by the await they were blocked at, with waits at the same time', () => {
    const report = analyzeCorrelations(model, { stuckThreshold: 1000 });
    expect(report.groups).toHaveLength(1);
    expect(report.groups[0]).toMatchObject({
      site: { file: 'src/db.ts', line: 4 },
      failed: { count: 3, tasks: [2, 3, 4], causes: [{ error: 'Error: connection timeout', count: 3 }] },
      waits: { count: 4, mean: 30, maxConcurrent: 1 },
    });
  });

  test('counts a pending task only once it has been pending for the stuck threshold', () => {
    const b = buildLockWaiters();
    const m = buildModel(decodeTrace(b.bytes()));
    expect(analyzeCorrelations(m, { stuckThreshold: 1000 }).groups).toEqual([]); // one stuck task alone is no correlation
    expect(analyzeCorrelations(m, { stuckThreshold: 50 }).groups[0]).toMatchObject({ pending: { tasks: [1, 2], longest: 4999 } });
  });
});

describe('one place a failure happened, one way to write its error', () => {
  test('summary, correlate, failures and trace agree on a throw after resuming, and on the error with its code', () => {
    const b = new TraceBuilder();
    const f = b.file(
      'src/job.ts',
      'export async function run() {\n  await step();\n}\nasync function step() {\n  await delay(5);\n  throw new E();\n}\n',
      [['run', 1, 8, [], 'function'], ['step', 4, 1, [], 'function']],
      [[0, 2, 3, 'step()', 'await'], [1, 5, 3, 'delay(5)', 'await']],
    );
    for (const task of [1, 2]) {
      const t0 = task * 100;
      const run = b.spawn(t0, f.fn(0), task);
      const step = b.call(t0, run, f.fn(1));
      b.wait(t0, step, f.at(1), 5).suspend(t0, run, f.at(0)).throw(t0 + 6, step, task).throw(t0 + 7, run, task);
    }
    b.errors([1, 2].map((id) => ({ id, name: 'Error', message: 'disk full', code: 'ENOSPC' })));
    const m = buildModel(decodeTrace(b.bytes()));
    const label = 'Error: disk full [ENOSPC]';
    const failing = summarize(m, { stuckThreshold: 1000 }).failingSites;
    expect(failing).toEqual([expect.objectContaining({ site: expect.objectContaining({ line: 5, text: 'delay(5)' }), how: 'after-await', failures: 2, error: label })]);
    const groups = analyzeCorrelations(m, { stuckThreshold: 1000 }).groups;
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ site: { id: failing[0].site.id }, failed: { count: 2, causes: [{ error: label, count: 2 }] } });
    expect(analyzeFailures(m).groups[0]).toMatchObject({ count: 2, example: { resumedFrom: { id: failing[0].site.id } } });
    expect(buildTraceTree(m, m.tasks.get(1)!).focus).toMatchObject({ kind: 'failed', site: { id: failing[0].site.id }, after: 'resumed' });
  });
});
