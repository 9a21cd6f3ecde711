/**
 * generators, from the real trace: async generator frames, their `await`, `yield` and
 * `yield*` suspensions at the exact sites, main's `for await` suspensions (one per
 * next()/return() call), heartbeat ended through return() by the early `break` (its finally
 * ran, nothing pending), and the delegated readPages frames of readAllFeeds.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import {
  awaitTable,
  chainOf,
  expectAbout,
  framesOf,
  functionTable,
  nameOf,
  only,
  record,
  suspensionSites,
  suspensionsAt,
  taskRoots,
  waited,
  type Recorded,
} from './helpers';

let r: Recorded;
beforeAll(async () => {
  r = await record('generators');
}, 180_000);

describe('generators', () => {
  test('the program ran as the fixture says', () => {
    expect(r.run.code).toBe(0);
    expect(r.run.stdout).toBe(
      [
        'orders page 1: orders-1a orders-1b',
        'orders page 2: orders-2a orders-2b',
        'orders page 3: orders-3a orders-3b',
        'heartbeat 3, stopping',
        'heartbeat stopped after 3 beats',
        'feeds: news-1a, news-2a, sports-1a (6 order items)',
        '',
      ].join('\n'),
    );
  });

  test('site table: await / yield / yield* / for-await at their sites', () => {
    expect(awaitTable(r.trace)).toEqual([
      'src/feeds.ts:11:5 | readPages | await | delay(2)',
      'src/feeds.ts:12:5 | readPages | yield | { page, items: [`${feed}-${page}a`, `${feed}-${page}b`] }',
      "src/feeds.ts:18:3 | readAllFeeds | yield* | readPages('news', 2)",
      "src/feeds.ts:19:3 | readAllFeeds | yield* | readPages('sports', 1)",
      'src/feeds.ts:27:7 | heartbeat | await | delay(intervalMs)',
      'src/feeds.ts:28:7 | heartbeat | yield | ++beat',
      "src/main.ts:19:7 | main | for-await | readPages('orders', 3)",
      'src/main.ts:23:7 | main | for-await | heartbeat(3)',
      'src/main.ts:30:7 | main | for-await | readAllFeeds()',
    ]);
    expect(functionTable(r.trace)).toEqual([
      'heartbeat src/feeds.ts:23:24 (intervalMs) generator',
      'main src/main.ts:17:16 () function',
      'readAllFeeds src/feeds.ts:17:24 () generator',
      'readPages src/feeds.ts:9:24 (feed, total) generator',
    ]);
  });

  test("readPages('orders', 3) under main's for await: await then yield, per page; main suspends once per next()", () => {
    const main = only(framesOf(r.model, 'main'), 'main');
    const orders = framesOf(r.model, 'readPages')[0];
    expect(orders.parent).toBe(main.id);
    expect(orders.outcome).toBe('completed');
    expect(suspensionSites(r.model, orders)).toEqual([
      'src/feeds.ts:11:5',
      'src/feeds.ts:12:5',
      'src/feeds.ts:11:5',
      'src/feeds.ts:12:5',
      'src/feeds.ts:11:5',
      'src/feeds.ts:12:5',
    ]);
    for (const s of suspensionsAt(r.model, orders, 'src/feeds.ts:11:5')) expect(s.end).toBeDefined();
    // 3 pages + the final next() that reports done, then heartbeat: 3 beats + return(), then readAllFeeds: 3 items + done.
    expect(suspensionSites(r.model, main)).toEqual([
      ...Array(4).fill('src/main.ts:19:7'),
      ...Array(4).fill('src/main.ts:23:7'),
      ...Array(4).fill('src/main.ts:30:7'),
    ]);
    // The generator ends in main's 4th next() (which runs it synchronously past its last
    // yield): after main resumed from the 3rd, before it resumed from the 4th.
    const mainAt19 = suspensionsAt(r.model, main, 'src/main.ts:19:7');
    expect(orders.end!).toBeGreaterThanOrEqual(mainAt19[2].end!);
    expect(orders.end!).toBeLessThanOrEqual(mainAt19[3].end! + 0.001);
  });

  test('heartbeat: ticks at 27:7 and yields at 28:7 three times, then the break runs return() and its finally', () => {
    const main = only(framesOf(r.model, 'main'), 'main');
    const hb = only(framesOf(r.model, 'heartbeat'), 'heartbeat');
    expect(hb.parent).toBe(main.id);
    expect(suspensionSites(r.model, hb)).toEqual([
      'src/feeds.ts:27:7',
      'src/feeds.ts:28:7',
      'src/feeds.ts:27:7',
      'src/feeds.ts:28:7',
      'src/feeds.ts:27:7',
      'src/feeds.ts:28:7',
    ]);
    // Returned (not failed, not pending) while suspended at its third yield: return() resumed it there.
    expect(hb.outcome).toBe('completed');
    const lastYield = hb.suspensions[5];
    expect(lastYield.end).toBeDefined();
    expect(hb.end! - lastYield.end!).toBeLessThan(50);
    // main's 4th suspension at 23:7 is the return() call; the generator ended inside it.
    const mainAt23 = suspensionsAt(r.model, main, 'src/main.ts:23:7');
    expect(mainAt23).toHaveLength(4);
    expect(hb.end!).toBeGreaterThanOrEqual(mainAt23[2].end!);
    expect(hb.end!).toBeLessThanOrEqual(mainAt23[3].end! + 0.001);
    expect(r.run.stdout).toContain('heartbeat stopped after 3 beats');
    for (const s of suspensionsAt(r.model, hb, 'src/feeds.ts:27:7')) expectAbout(waited(s), 3, 'heartbeat at feeds.ts:27:7');
  });

  test('readAllFeeds suspends at its two yield* sites in turn, once per delegated step; nothing stays pending', () => {
    const all = only(framesOf(r.model, 'readAllFeeds'), 'readAllFeeds');
    expect(chainOf(r.model, all)).toEqual(['main', 'readAllFeeds']);
    // Each next() forwarded to the delegate is a suspension at the yield*: news has 2 pages
    // (3 calls, the last one reports done), sports 1 page (2 calls).
    expect(suspensionSites(r.model, all)).toEqual(['src/feeds.ts:18:3', 'src/feeds.ts:18:3', 'src/feeds.ts:18:3', 'src/feeds.ts:19:3', 'src/feeds.ts:19:3']);
    expect(all.outcome).toBe('completed');
    expect(framesOf(r.model, 'readPages')).toHaveLength(3);
    for (const f of r.model.frames.values()) expect(f.outcome, nameOf(r.model, f)).toBe('completed');
    expect(r.model.finalSnapshot?.frames).toEqual([]);
    // The delegated readPages frames start inside the first next() forwarded at their yield*
    // (so just before that suspension is recorded) and end before the last one returns.
    const [, news, sports] = framesOf(r.model, 'readPages');
    const at18 = all.suspensions.slice(0, 3);
    const at19 = all.suspensions.slice(3);
    expect(news.start).toBeLessThanOrEqual(at18[0].start + 0.001);
    expect(news.end!).toBeLessThanOrEqual(at18[2].end! + 0.001);
    expect(sports.start).toBeGreaterThanOrEqual(at18[2].end! - 0.001);
    expect(sports.start).toBeLessThanOrEqual(at19[0].start + 0.001);
    expect(sports.end!).toBeLessThanOrEqual(at19[1].end! + 0.001);
  });

  // Regression test: yield* runs the delegate's body inside the next() calls it forwards;
  // those frames must be children of the delegating generator, in main's one task.
  test('yield*: the delegated readPages frames are children of readAllFeeds, all in main\'s one task', () => {
    const all = only(framesOf(r.model, 'readAllFeeds'), 'readAllFeeds');
    const [, news, sports] = framesOf(r.model, 'readPages');
    expect(chainOf(r.model, news)).toEqual(['main', 'readAllFeeds', 'readPages']);
    expect(chainOf(r.model, sports)).toEqual(['main', 'readAllFeeds', 'readPages']);
    expect(news.parent).toBe(all.id);
    expect(sports.parent).toBe(all.id);
    expect(taskRoots(r.model)).toEqual(['main completed']);
  });
});
