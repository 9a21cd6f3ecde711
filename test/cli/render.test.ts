import { describe, expect, test } from 'vitest';
import { decodeTrace } from '../../format';
import { buildTimeline } from '../../cli/analysis/timeline';
import { formatDuration, formatOffset, parseDuration } from '../../cli/duration';
import { buildModel } from '../../cli/model/build-model';
import { renderCodeContext } from '../../cli/render/code';
import { awaitLabel, callLabel } from '../../cli/render/labels';
import { plain } from '../../cli/render/style';
import { renderTimeline } from '../../cli/render/timeline';
import { renderTree } from '../../cli/render/tree';
import { codeContext } from '../../cli/source/code-context';
import { hashSourceText } from '../../format/source-hash';
import { buildServiceScenario } from './helpers/scenarios';

describe('callLabel', () => {
  const site = { id: 1, name: 'save', params: ['id', '{ name, tags }', '...rest'], file: 'src/a.ts', line: 1, column: 1 } as Parameters<typeof callLabel>[0];
  test('pairs recorded previews with plain parameter names; a pattern keeps its name alone', () => {
    expect(callLabel(site, ['42', 'undefined', 'Array(3)'])).toBe('save(id: 42, { name, tags }, ...rest: Array(3))');
  });
  test('shortens long previews to 24 characters, keeping quotes and brackets', () => {
    expect(callLabel(site, [`"${'a'.repeat(59)}…"`, 'undefined', '[VeryLongConstructorNameForTests]'])).toBe(
      `save(id: "${'a'.repeat(21)}…", { name, tags }, ...rest: [VeryLongConstructorNa…])`,
    );
  });
  test('without recorded arguments it is the declaration', () => {
    expect(callLabel(site, undefined)).toBe('save(id, { name, tags }, ...rest)');
  });
});

describe('awaitLabel', () => {
  const at = (kind: string | undefined, text: string) => ({ id: 2, name: 'feed', file: 'src/a.ts', root: '/p', hash: '', line: 3, column: 5, text, kind }) as Parameters<typeof awaitLabel>[0];
  test.each([
    ['await', 'delay(ms)', 'await delay(ms)'],
    ['yield', '++beat', 'yield ++beat'],
    ['yield', '', 'yield'],
    ['yield*', "readPages('news', 2)", "yield* readPages('news', 2)"],
    ['for-await', 'feed()', 'for await (… of feed())'],
    ['await-using', 'conn, lock', 'await using conn, lock'],
    [undefined, 'delay(ms)', 'await delay(ms)'],
  ])('a %s site with text %j reads %j', (kind, text, label) => {
    expect(awaitLabel(at(kind, text))).toBe(label);
  });
  test('a function site is its name', () => {
    expect(awaitLabel({ id: 1, name: 'feed', file: 'src/a.ts', root: '/p', hash: '', line: 1, column: 1, params: [] })).toBe('feed');
  });
});

describe('durations', () => {
  test.each([
    ['250ms', 250],
    ['1s', 1000],
    ['1.5s', 1500],
    ['2m', 120000],
    ['1h', 3600000],
    ['0.25s', 250],
  ])('parseDuration(%s)', (text, ms) => expect(parseDuration(text, '--x')).toBe(ms));

  test.each(['abc', '5', '1 day', '-1s', ''])('parseDuration rejects %j', (text) => {
    expect(() => parseDuration(text, '--threshold')).toThrow(/--threshold: ".*" is not a duration/);
  });

  test('formatDuration', () => {
    expect([0, 0.4, 1, 119.6, 999, 1000, 5240, 12345, 65000, 3600000 * 2 + 60000].map(formatDuration)).toEqual([
      '<1ms', '<1ms', '1ms', '120ms', '999ms', '1s', '5.2s', '12s', '1m 5s', '2h 1m',
    ]);
    expect(formatOffset(0)).toBe('0ms');
  });
});

describe('code context', () => {
  const source = { status: 'ok' as const, path: '/p/a.ts', lines: ['a', 'b', 'c', 'await x;', 'd', 'e', 'f'] };
  const site = { id: 1, name: 'f', file: 'a.ts', root: '/p', hash: '', line: 4, column: 1 };

  test('marks the await line with >>> and the note', () => {
    expect(renderCodeContext(codeContext(source, site), '← stuck here for 5.2s', plain).join('\n')).toMatchInlineSnapshot(`
      "      2: b
            3: c
        >>> 4: await x;  ← stuck here for 5.2s
            5: d
            6: e"
    `);
  });

  test('says why when the source cannot be shown', () => {
    const changed = codeContext({ status: 'changed', file: 'a.ts', path: '/p/a.ts' }, site);
    expect(renderCodeContext(changed, 'x', plain)).toEqual(['  (code not shown: a.ts has changed since it was built; rebuild and run again to see its lines)']);
    const short = codeContext({ ...source, lines: ['a'] }, site);
    expect(short).toMatchObject({ status: 'changed', reason: 'a.ts has no line 4' });
  });

  test('hash: sha256 prefix of the text', () => {
    expect(hashSourceText('')).toBe('e3b0c44298fc1c14');
    expect(hashSourceText('\uFEFFx')).toBe(hashSourceText('x'));
  });
});

describe('trees', () => {
  test('box-drawing guides', () => {
    type N = { name: string; kids: N[] };
    const t: N = { name: 'root', kids: [{ name: 'a', kids: [{ name: 'a1', kids: [] }] }, { name: 'b', kids: [] }] };
    expect(renderTree(t, { lines: (n) => [n.name], children: (n) => n.kids }).join('\n')).toMatchInlineSnapshot(`
      "root
      ├─ a
      │  └─ a1
      └─ b"
    `);
  });
});

describe('renderTimeline', () => {
  test('the poll task, collapsed', () => {
    const model = buildModel(decodeTrace(buildServiceScenario().builder.bytes()));
    expect(renderTimeline(buildTimeline(model, model.tasks.get(6)!), { style: plain })).toMatchInlineSnapshot(`
      "Task #6 timeline: pollReady() — ✓ completed, 61ms
      ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
         0ms │ ● task started: pollReady()  src/poll.ts:1
             │ ○ await sleep(2)  src/poll.ts:3
         2ms │ ↻ resumed after 2ms
             │ ○ await sleep(2)  src/poll.ts:3
         4ms │ ↻ resumed after 2ms
             │ … suspended 27 more times at await sleep(2) (54ms waiting in all)
        58ms │ ○ await sleep(2)  src/poll.ts:3
        60ms │ ↻ resumed after 2ms
        61ms │ ✓ pollReady completed (61ms)
      ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━

      ⚠ pollReady suspended 30 times in a row at src/poll.ts:3 (await sleep(2)), 2ms each on average, between 0ms and 58ms
        Possible spin or poll loop: it keeps waiting at the same await without other progress.
      "
    `);
  });
});
