/**
 * Async recursion thousands of frames deep (`return 1 + await fetchAll(page + 1)`): every
 * command runs, text output stays small, JSON stays shallow enough for any parser, and the
 * frame that failed or waits stays visible.
 */
import { describe, expect, test } from 'vitest';
import { runCli } from './helpers/run-cli';
import { TraceBuilder } from './helpers/trace-builder';

const DEPTH = 3000;
const SRC = [
  'async function fetchAll(page: number): Promise<number> {',
  "  if (page >= 3000) { await delay(5); throw new Error('last page failed'); }",
  '  return 1 + (await fetchAll(page + 1));',
  '}',
  'async function stuck(page: number): Promise<number> {',
  '  if (page >= 3000) return await new Promise<number>(() => {});',
  '  return await stuck(page + 1);',
  '}',
  '',
].join('\n');

/** Task 1: fetchAll 3001 frames deep, the deepest fails; task 2: stuck 3001 frames deep, the deepest waits forever. */
function buildDeepTrace() {
  const b = new TraceBuilder();
  const f = b.file(
    'src/main.ts',
    SRC,
    [
      ['fetchAll', 1, 1, ['page'], 'function'],
      ['stuck', 5, 1, ['page'], 'function'],
    ],
    [
      [0, 2, 23, 'delay(5)', 'await'],
      [0, 3, 16, 'fetchAll(page + 1)', 'await'],
      [1, 6, 27, 'new Promise<number>(() => {})', 'await'],
      [1, 7, 16, 'stuck(page + 1)', 'await'],
    ],
  );
  const chain = (task: number, fn: number, recurse: number) => {
    const frames = [b.spawn(0, fn, task)];
    for (let i = 0; i < DEPTH; i++) frames.push(b.call(1, frames[frames.length - 1], fn));
    for (let i = frames.length - 2; i >= 0; i--) b.suspend(1, frames[i], recurse);
    return frames;
  };
  const failing = chain(1, f.fn(0), f.at(1));
  const deepest = failing[failing.length - 1];
  b.suspend(1, deepest, f.at(0)).resume(6, deepest).throw(6, deepest, 1);
  for (let i = failing.length - 2; i >= 0; i--) b.throw(7, failing[i], 1);
  const waiting = chain(2, f.fn(1), f.at(3));
  b.suspend(2, waiting[waiting.length - 1], f.at(2));
  b.errors([{ id: 1, name: 'Error', message: 'last page failed' }]);
  b.save();
  return { root: b.root, failing, waiting };
}

const { root, failing, waiting } = buildDeepTrace();
const cli = (...argv: string[]) => runCli(argv, { cwd: root });

/** Nesting depth of a JSON value, counted without recursion. */
function nesting(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    max = Math.max(max, d + 1);
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

describe('a 3000-deep async recursion', () => {
  test.each([
    [['analyze']],
    [['analyze', '--failures']],
    [['analyze', '--slow', '--threshold', '0ms']],
    [['analyze', '--correlate']],
    [['trace', '--task', '1']],
    [['trace', '--task', '2']],
    [['timeline', '--task', '1']],
    [['timeline', '--task', '2']],
  ])('%j runs and stays readable', async (argv) => {
    const r = await cli(...argv);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    const longest = Math.max(...r.stdout.split('\n').map((l) => l.length));
    expect(longest).toBeLessThan(400);
    expect(r.stdout.length).toBeLessThan(2_000_000);
    const withJson = await cli(...argv, '--json');
    expect(withJson.code).toBe(0);
    expect(nesting(JSON.parse(withJson.stdout))).toBeLessThan(400);
  });

  test('trace --task shows the first and last frames of the chain, and the frame that waits', async () => {
    const r = await cli('trace', '--task', '2');
    expect(r.stdout).toMatch(/… 2980 frames of this chain not shown/);
    expect(r.stdout).toContain('Stuck at src/main.ts:6');
    expect(r.stdout).toMatch(/waiting for .* at await new Promise<number>\(\(\) => \{\}\)/);
    const json = JSON.parse((await cli('trace', '--task', '2', '--json')).stdout);
    const frames: number[] = [];
    let gap = 0;
    for (let n = json.root; n; n = n.children[0]) {
      frames.push(n.frame);
      gap += n.omittedDepth ?? 0;
    }
    expect(frames[0]).toBe(waiting[0]);
    expect(frames[frames.length - 1]).toBe(waiting[waiting.length - 1]);
    expect(frames.length + gap).toBe(waiting.length);
  });

  test('analyze --failures keeps the frame where the error started', async () => {
    const r = await cli('analyze', '--failures');
    expect(r.stdout).toMatch(/… \d+ frames of this chain not shown/);
    expect(r.stdout).toMatch(/fetchAll\(page\) .*✗ FAILED +← error starts here/);
    expect(r.stdout).toContain('Failed at: src/main.ts:2');
    const json = JSON.parse((await cli('analyze', '--failures', '--json')).stdout);
    let n = json.groups[0].example.chain;
    while (n.children.length) n = n.children[n.children.length - 1];
    expect(n.frame).toBe(failing[failing.length - 1]);
  });

  test('timeline indentation is capped; the depth is shown as a number', async () => {
    const r = await cli('timeline', '--task', '2');
    expect(r.stdout).toMatch(/\[depth 3000\] ◌ stuck still waiting/);
  });
});
