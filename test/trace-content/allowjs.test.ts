/**
 * allowjs, from the real trace: the plain JavaScript file (src/legacy-store.js) and the .cts
 * file are instrumented like TypeScript; sites, names (store.readMany for the object-literal
 * method) and chains across the three files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { fixtureDir } from '../helpers/fixtures';
import {
  awaitTable,
  chainOf,
  childrenOf,
  expectAbout,
  expectSuspendedTogether,
  framesOf,
  functionTable,
  nameOf,
  only,
  record,
  suspendedAt,
  suspensionSites,
  taskRoots,
  waited,
  type Recorded,
} from './helpers';

let r: Recorded;
beforeAll(async () => {
  r = await record('allowjs');
}, 180_000);

describe('allowjs', () => {
  test('the program ran as the fixture says; legacy-store.js keeps its prologue first', () => {
    expect(r.run.code).toBe(0);
    expect(r.run.stdout).toBe('readMany: ALPHA, BETA\ndrainQueue: GAMMA+DELTA\ndone\n');
    const emitted = readFileSync(join(fixtureDir('allowjs'), 'dist/legacy-store.js'), 'utf8');
    expect(emitted.trimStart().startsWith("'use strict';")).toBe(true);
  });

  test('site table across .ts, .js and .cts', () => {
    expect(awaitTable(r.trace)).toEqual([
      'src/legacy-store.js:11:3 | readRecord | await | wait(3)',
      'src/legacy-store.js:19:20 | store.readMany | await | readRecord(key)',
      "src/main.ts:14:19 | main | await | store.readMany(['alpha', 'beta'])",
      "src/main.ts:16:19 | main | await | drainQueue(['gamma', 'delta'])",
      'src/queue.cts:5:19 | drainQueue | await | Promise.all(keys.map((key) => readRecord(key)))',
    ]);
    expect(functionTable(r.trace)).toEqual([
      'drainQueue src/queue.cts:4:23 (keys) function',
      'main src/main.ts:13:16 () function',
      'readRecord src/legacy-store.js:10:16 (key) function',
      'store.readMany src/legacy-store.js:16:9 (keys) method',
    ]);
  });

  test('one task; readMany awaits its records one by one, drainQueue side by side', () => {
    expect(taskRoots(r.model)).toEqual(['main completed']);
    const main = only(framesOf(r.model, 'main'), 'main');
    expect(suspensionSites(r.model, main)).toEqual(['src/main.ts:14:19', 'src/main.ts:16:19']);
    expect(childrenOf(r.model, main).map((f) => nameOf(r.model, f))).toEqual(['store.readMany', 'drainQueue']);

    const many = only(framesOf(r.model, 'store.readMany'), 'readMany');
    const seq = childrenOf(r.model, many);
    expect(seq.map((f) => chainOf(r.model, f).join(' → '))).toEqual([
      'main → store.readMany → readRecord',
      'main → store.readMany → readRecord',
    ]);
    expect(seq[1].start).toBeGreaterThanOrEqual(seq[0].end!);
    expect(suspensionSites(r.model, many)).toEqual(['src/legacy-store.js:19:20', 'src/legacy-store.js:19:20']);

    const drain = only(framesOf(r.model, 'drainQueue'), 'drainQueue');
    const par = childrenOf(r.model, drain);
    expect(par.map((f) => chainOf(r.model, f).join(' → '))).toEqual(['main → drainQueue → readRecord', 'main → drainQueue → readRecord']);
    expectSuspendedTogether(par);

    expect(suspendedAt(r.model)).toEqual({
      'src/legacy-store.js:11:3': 'readRecord ×4',
      'src/legacy-store.js:19:20': 'store.readMany ×2',
      'src/main.ts:14:19': 'main ×1',
      'src/main.ts:16:19': 'main ×1',
      'src/queue.cts:5:19': 'drainQueue ×1',
    });
    for (const f of framesOf(r.model, 'readRecord')) expectAbout(waited(f.suspensions[0]), 3, 'readRecord at legacy-store.js:11:3');
    for (const f of r.model.frames.values()) expect(f.outcome).toBe('completed');
  });
});
