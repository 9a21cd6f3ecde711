/**
 * top-level-await, from the real trace: each ES module with top-level await is a frame named
 * "(top level)" (function site at 1:1, kind module) that roots its own task; the imported
 * module's top level (src/config.mts) ends before the entry's (src/main.mts) starts.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import {
  at,
  awaitTable,
  childrenOf,
  expectAbout,
  framesOf,
  functionTable,
  nameOf,
  record,
  suspensionSites,
  taskOf,
  taskRoots,
  waited,
  type Recorded,
} from './helpers';

let r: Recorded;
beforeAll(async () => {
  r = await record('top-level-await', 'main.mjs');
}, 180_000);

const moduleFrame = (file: string) => {
  const found = framesOf(r.model, '(top level)').filter((f) => at(r.trace.sites.get(f.fn) as never) === `${file}:1:1`);
  expect(found, `module frame of ${file}`).toHaveLength(1);
  return found[0];
};

describe('top-level-await', () => {
  test('the program ran as the fixture says', () => {
    expect(r.run.code).toBe(0);
    expect(r.run.stdout).toBe(
      'config: loading\nconfig: loaded eu-central\nmain: starting\nmain: connected to eu-central-db-3\nmain: done\n',
    );
  });

  test('site table: "(top level)" of each module, its awaits and the functions', () => {
    expect(functionTable(r.trace)).toEqual([
      '(top level) src/config.mts:1:1 () module',
      '(top level) src/main.mts:1:1 () module',
      'connect src/main.mts:14:16 (region) function',
      'loadConfig src/config.mts:8:16 () function',
    ]);
    expect(awaitTable(r.trace)).toEqual([
      'src/config.mts:14:23 | (top level) | await | loadConfig()',
      'src/config.mts:9:3 | loadConfig | await | delay(5)',
      'src/main.mts:15:3 | connect | await | delay(3)',
      'src/main.mts:20:12 | (top level) | await | connect(config.region)',
      'src/main.mts:22:1 | (top level) | await | delay(4)',
    ]);
  });

  test('each module frame roots its own task; config.mts finishes before main.mts starts', () => {
    expect(taskRoots(r.model)).toEqual(['(top level) completed', '(top level) completed']);
    const config = moduleFrame('src/config.mts');
    const main = moduleFrame('src/main.mts');
    expect(config.parent).toBe(0);
    expect(main.parent).toBe(0);
    expect(taskOf(r.model, config).id).not.toBe(taskOf(r.model, main).id);
    expect(config.end!).toBeLessThanOrEqual(main.start);
    expect(childrenOf(r.model, config).map((f) => nameOf(r.model, f))).toEqual(['loadConfig']);
    expect(childrenOf(r.model, main).map((f) => nameOf(r.model, f))).toEqual(['connect']);
    expect(suspensionSites(r.model, config)).toEqual(['src/config.mts:14:23']);
    expect(suspensionSites(r.model, main)).toEqual(['src/main.mts:20:12', 'src/main.mts:22:1']);
    for (const f of r.model.frames.values()) expect(f.outcome).toBe('completed');
  });

  test('durations of the module-level awaits that wait on a child', () => {
    const config = moduleFrame('src/config.mts');
    const main = moduleFrame('src/main.mts');
    expectAbout(waited(config.suspensions[0]), 5, 'config.mts top level at 14:23');
    expectAbout(waited(framesOf(r.model, 'loadConfig')[0].suspensions[0]), 5, 'loadConfig at 9:3');
    expectAbout(waited(main.suspensions[0]), 3, 'main.mts top level at 20:12');
    expectAbout(waited(framesOf(r.model, 'connect')[0].suspensions[0]), 3, 'connect at 15:3');
  });

  // Usually before the runtime's helper thread ticks the clock (its start takes the first
  // milliseconds of a process): a lone frame must not look "resumed in the same tick", or
  // the 4 ms wait would read as 0 ms.
  test('the top-level `await delay(4)` at src/main.mts:22:1 lasts ~4 ms', () => {
    const main = moduleFrame('src/main.mts');
    expectAbout(waited(main.suspensions[1]), 4, 'main.mts top level at 22:1');
  });
});
