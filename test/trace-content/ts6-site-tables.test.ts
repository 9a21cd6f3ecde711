/**
 * The TS 6 + ts-patch 4 build records the same sites as the TS 5.9 + ts-patch 3 build:
 * the site tables (functions and awaits with positions, names, params, texts, kinds, source
 * hashes) of real runs of both builds are identical, and so is the shape of the tasks.
 */
import { describe, expect, test } from 'vitest';
import type { ParsedTrace } from '../../format';
import { chainOf, record, taskRoots, type Recorded } from './helpers';

/** The whole site table, in id order, without the ids (each build numbers files in load order). */
function siteRows(trace: ParsedTrace): string[] {
  return [...trace.sites.values()].map((s) =>
    s.type === 'function'
      ? `fn ${s.source.file}:${s.line}:${s.column} ${s.name} (${s.params.join(', ')}) ${s.kind} ${s.source.hash}`
      : `await ${s.source.file}:${s.line}:${s.column} in ${(trace.sites.get(s.fn) as { name: string }).name} ${s.kind} ${s.text} ${s.source.hash}`,
  );
}

/** Every frame as its chain of names with its outcome, in start order. */
function shape(r: Recorded): string[] {
  return [...r.model.frames.values()].sort((a, b) => a.enterEvent - b.enterEvent).map((f) => `${chainOf(r.model, f).join(' → ')} ${f.outcome}`);
}

describe.each([
  ['methods', 'main.js'],
  ['generators', 'main.js'],
  ['top-level-await', 'main.mjs'],
  ['deep-failure', 'main.js'],
])('%s (%s): TS 5 and TS 6 builds', (fixture, entry) => {
  test('same site table, same tasks and chains', async () => {
    const ts5 = await record(fixture, entry, '5');
    const ts6 = await record(fixture, entry, '6');
    expect(ts6.run.code).toBe(ts5.run.code);
    expect(ts6.run.stdout).toBe(ts5.run.stdout);
    expect(siteRows(ts5.trace).length).toBeGreaterThan(5);
    expect(siteRows(ts6.trace)).toEqual(siteRows(ts5.trace));
    // Roots share the project directory; the build's output directory does not leak in.
    for (const s of ts6.trace.sites.values()) expect(s.source.root).toBe([...ts5.trace.sites.values()][0].source.root);
    expect(taskRoots(ts6.model)).toEqual(taskRoots(ts5.model));
    expect(shape(ts6)).toEqual(shape(ts5));
  }, 240_000);
});
