/**
 * abandoned-generators, from the real trace: async generators that the program reads twice
 * and drops end as abandoned at their yield once they are garbage-collected, instead of
 * staying in the runtime's frame table for the rest of the process; a generator still
 * referenced during the collection goes on and completes; a generator stuck on a promise
 * nothing can settle stays pending (a stuck await is what the final snapshot is for).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { EventKind, eventKindOf } from '../../format/events';
import { buildFixture, entryOf, runFixture } from '../helpers/fixtures';
import { readOnlyTrace } from '../runtime/trace-reading';
import { buildModel } from '../../cli/model/build-model';
import { awaitTable, chainOf, framesOf, nameOf, only, record, suspensionSites, type Recorded } from './helpers';

let r: Recorded;
beforeAll(async () => {
  r = await record('abandoned-generators');
}, 180_000);

const YIELD = 'src/main.ts:15:5';

describe('abandoned-generators', () => {
  test('the program ran as the fixture says', () => {
    expect(r.run.code).toBe(0);
    expect(r.run.stdout).toBe('50 generators dropped, sum 2500; the kept one went on to 1001\n');
    expect(r.run.stderr).toBe('');
    expect(r.trace.header.format).toBe(3);
  });

  test('site table: the yield the dropped generators wait at', () => {
    expect(awaitTable(r.trace)).toContain(`${YIELD} | numbers | yield | n++`);
  });

  test('each dropped generator ends as abandoned at its yield, under firstTwo', () => {
    const numbers = framesOf(r.model, 'numbers');
    expect(numbers).toHaveLength(51);
    const abandoned = numbers.filter((f) => f.outcome === 'abandoned');
    expect(abandoned).toHaveLength(50);
    for (const frame of abandoned) {
      expect(chainOf(r.model, frame)).toEqual(['main', 'firstTwo', 'numbers']);
      // Read twice: await, yield, await, yield — and the last yield never resumed.
      expect(suspensionSites(r.model, frame)).toEqual(['src/main.ts:14:5', YIELD, 'src/main.ts:14:5', YIELD]);
      expect(frame.suspensions.at(-1)!.end).toBeUndefined();
      expect(frame.end).toBeDefined();
      const event = r.trace.events[frame.endEvent! * 4];
      expect(eventKindOf(event)).toBe(EventKind.abandon);
    }
  });

  test('the generator still referenced during the collection is not abandoned: it resumes and completes', () => {
    const kept = framesOf(r.model, 'numbers').filter((f) => f.outcome !== 'abandoned');
    const frame = only(kept, 'kept numbers frame');
    expect(frame.outcome).toBe('completed');
    expect(nameOf(r.model, r.model.frames.get(frame.parent)!)).toBe('main');
    // next(), then next() after the collection: the yield it waited at through the collection ended.
    expect(frame.suspensions.filter((s) => s.end !== undefined).length).toBeGreaterThanOrEqual(3);
  });

  test('the generator stuck on a promise that cannot settle stays pending, and is the only frame of the snapshot besides nothing abandoned', () => {
    const stuck = only(framesOf(r.model, 'neverReady'), 'neverReady');
    expect(stuck.outcome).toBe('pending');
    expect(suspensionSites(r.model, stuck)).toEqual(['src/main.ts:28:3']);
    const snapshot = r.model.finalSnapshot!;
    expect(snapshot.reason).toBe('exit');
    expect(snapshot.frames.map((f) => f.frame)).toEqual([stuck.id]);
  });

  test('thousands of dropped generators: the frame table keeps none of them', async () => {
    const build = await buildFixture('abandoned-generators');
    const run = await runFixture('abandoned-generators', entryOf(build, 'main.js'), { args: ['5000'] });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^5000 generators dropped/);
    const model = buildModel(readOnlyTrace(run.traceFiles));
    const numbers = framesOf(model, 'numbers');
    expect(numbers.filter((f) => f.outcome === 'abandoned')).toHaveLength(5000);
    // By now `numbers` runs optimized: the token must still live exactly as long as the generator.
    expect(numbers.at(-1)!.outcome).toBe('completed');
    // The snapshot at exit lists every frame still in the table: only the stuck one.
    expect(model.finalSnapshot!.frames).toHaveLength(1);
  }, 120_000);
});
