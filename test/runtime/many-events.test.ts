/**
 * A program that records about half a million events: the recorder hands dozens of ring
 * segments to its helper thread, which writes them while the program runs on. Nothing may
 * be lost or reordered on the way, and a write that fails there is reported like one that
 * fails on the program's own thread.
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventKind, eventKindOf, eventSiteOf, type ParsedTrace } from '../../format';
import { entryOf, runFixture, type FixtureBuild } from '../helpers/fixtures';
import { buildWithExpectedOutput, readOnlyTrace, runWithFileSizeLimit, siteLabel } from './trace-reading';

let plugin: FixtureBuild;
let expectedStdout: string;

beforeAll(async () => {
  ({ plugin, expectedStdout } = await buildWithExpectedOutput('many-tasks'));
}, 120_000);

const freshDir = (name: string) => mkdtempSync(join(tmpdir(), `async-inspect-${name}-`));

/** How many events of `kind` each site has, by site label. */
function countBySite(trace: ParsedTrace, kind: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < trace.eventCount; i++) {
    const code = trace.events[i * 4];
    if (eventKindOf(code) !== kind) continue;
    const label = siteLabel(trace, eventSiteOf(code));
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return counts;
}

describe('a trace of many events', () => {
  it('holds every frame and every await of the run, in order, and the program is unchanged', async () => {
    const dir = freshDir('many');
    const result = await runFixture('many-tasks', entryOf(plugin, 'main.js'), { env: { ASYNC_INSPECT_DIR: dir } });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(expectedStdout);
    expect(result.stderr).toBe('');
    const path = join(dir, readdirSync(dir)[0]);
    expect(statSync(path).size).toBeGreaterThan(4 * 256 * 1024); // more than the whole ring
    const trace = readOnlyTrace([path]);
    expect(trace.warnings).toEqual([]);
    expect(trace.cut).toBeUndefined();
    expect(trace.end?.droppedEvents).toBe(0);

    const enters = countBySite(trace, EventKind.enter);
    expect(Object.fromEntries(enters)).toEqual({
      'main src/main.ts:21:16': 1,
      'handle src/main.ts:16:16': 20_000,
      'load src/main.ts:11:16': 40_000,
      'parse src/main.ts:8:16': 80_000,
    });
    const suspends = countBySite(trace, EventKind.suspend);
    expect(suspends.get('src/main.ts:12:13 parse(n)')).toBe(40_000);
    expect(suspends.get('src/main.ts:13:13 parse(a)')).toBe(40_000);
    expect(suspends.get('src/main.ts:17:13 load(n)')).toBe(20_000);
    expect(suspends.get('src/main.ts:18:10 load(v % 1000)')).toBe(20_000);

    // Every frame returned, after it entered and with its time not before its start.
    const started = new Map<number, number>();
    let returned = 0;
    for (let i = 0; i < trace.eventCount; i++) {
      const [code, frame, , time] = trace.events.subarray(i * 4, i * 4 + 4);
      if (eventKindOf(code) === EventKind.enter) started.set(frame, time);
      if (eventKindOf(code) !== EventKind.return) continue;
      expect(time).toBeGreaterThanOrEqual(started.get(frame)!);
      returned++;
    }
    expect(returned).toBe(140_001);
    expect(trace.snapshots.at(-1)?.frames).toEqual([]);
  });

  // RLIMIT_FSIZE makes the helper's writes fail (EFBIG) part-way, as a full disk would.
  it('a write of the helper thread that fails: one warning, the program unchanged, the trace readable up to the cut', () => {
    const dir = freshDir('many-full');
    const result = runWithFileSizeLimit('many-tasks', plugin, 2048, dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(expectedStdout);
    const [file] = readdirSync(dir);
    expect(result.stderr).toBe(`async-inspect: writing the trace ${join(dir, file)} failed (EFBIG); later events are dropped and counted\n`);
    expect(statSync(join(dir, file)).size).toBeLessThanOrEqual(2048 * 1024);
    const trace = readOnlyTrace([join(dir, file)]);
    expect(trace.eventCount).toBeGreaterThan(10_000);
    expect(trace.cut?.reason).toMatch(/incomplete/);
    expect(trace.end).toBeUndefined();
  });
});
