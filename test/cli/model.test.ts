import { describe, expect, test } from 'vitest';
import { decodeTrace } from '../../format';
import { buildModel } from '../../cli/model/build-model';
import { buildServiceScenario } from './helpers/scenarios';
import { TraceBuilder } from './helpers/trace-builder';

const scenario = buildServiceScenario();
const model = buildModel(decodeTrace(scenario.builder.bytes()));

describe('buildModel', () => {
  test('tasks get the outcome of their root; unfinished ones are unknown', () => {
    const outcomes = Object.fromEntries([...model.tasks.values()].map((t) => [t.id, t.outcome]));
    expect(outcomes).toEqual({ 1: 'completed', 2: 'failed', 3: 'failed', 4: 'completed', 5: 'pending', 6: 'completed', 7: 'completed', 8: 'unknown' });
    expect(model.tasks.get(2)!.frames).toHaveLength(4);
    expect(model.endTime).toBe(5500);
  });

  test('frames: parents, depth, suspensions and resume counts', () => {
    const task = model.tasks.get(6)!;
    const poll = model.frames.get(task.root)!;
    expect(poll.suspensions).toHaveLength(30);
    expect(poll.resumes).toBe(30);
    expect(poll.suspensions[0]).toMatchObject({ start: 500, end: 502 });
    const task2 = model.tasks.get(2)!;
    const depths = task2.frames.map((id) => model.frames.get(id)!.depth);
    expect(depths).toEqual([0, 1, 1, 2]);
  });

  test('a throw while suspended means the rejection arrived at that await', () => {
    const [, , , query] = model.tasks.get(2)!.frames.map((id) => model.frames.get(id)!);
    expect(query.outcome).toBe('failed');
    expect(query.error).toBe(1);
    const site = model.trace.sites.get(query.failedAt!);
    expect(site).toMatchObject({ type: 'await', line: 4, source: { file: 'src/db.ts' } });
    expect(query.suspensions.at(-1)).toMatchObject({ rejected: true, end: 186 });
  });

  test('the final snapshot decides what is pending; a frame missing from it is unknown', () => {
    const stuck = model.frames.get(model.tasks.get(5)!.root)!;
    expect(stuck.outcome).toBe('pending');
    expect(stuck.suspensions.at(-1)!.end).toBeUndefined();
    expect(model.frames.get(model.tasks.get(8)!.root)!.outcome).toBe('unknown');
    expect(model.notes).toEqual([]);
  });

  test('without a final snapshot every open frame is pending, with a note', () => {
    const b = new TraceBuilder();
    const f = b.file('a.ts', 'x\n', [['run', 1, 1, [], 'function']], [[0, 1, 1, 'x', 'await']]);
    const root = b.spawn(0, f.fn(0), 1);
    b.suspend(3, root, f.at(0));
    const m = buildModel(decodeTrace(b.bytes()));
    expect(m.frames.get(root)!.outcome).toBe('pending');
    expect(m.notes.join('\n')).toMatch(/no final snapshot/);
  });

  test('snapshot frames whose events were lost are added to their task', () => {
    const b = new TraceBuilder();
    const f = b.file('a.ts', 'x\n', [['run', 1, 1, [], 'function']], [[0, 1, 1, 'x', 'await']]);
    b.spawn(0, f.fn(0), 1);
    b.snapshot({ reason: 'signal', signal: 'SIGINT', time: 50, frames: [{ frame: 7, task: 3, parent: 0, fn: f.fn(0), site: f.at(0), state: 'suspended', start: 10, since: 12, suspends: 4 }] });
    const m = buildModel(decodeTrace(b.bytes()));
    expect(m.tasks.get(3)).toMatchObject({ root: 7, outcome: 'pending' });
    expect(m.frames.get(7)!.suspensions).toEqual([{ site: f.at(0), start: 12, end: undefined, rejected: false, event: -1 }]);
    expect(m.tasks.get(1)!.outcome).toBe('unknown');
  });
});
