/**
 * never-settles, from the real trace: the process exits with the chain
 * main → deployRelease → waitForApproval still pending at src/approvals.ts:8:20 (the final
 * snapshot says so), while a second task, warmCache, started from a timer callback, completed.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { openSuspension } from '../../cli/model/queries';
import {
  at,
  awaitTable,
  chainOf,
  childrenOf,
  expectAbout,
  framesOf,
  functionTable,
  nameOf,
  only,
  record,
  suspendedAt,
  suspensionSites,
  suspensionsAt,
  taskOf,
  taskRoots,
  waited,
  type Recorded,
} from './helpers';

let r: Recorded;
beforeAll(async () => {
  r = await record('never-settles');
}, 180_000);

describe('never-settles', () => {
  test('the program ran as the fixture says', () => {
    expect(r.run.code).toBe(0);
    expect(r.run.stdout).toBe('deploying v2.4.1\nnotified 2 reviewers, waiting for approval…\ncache warm\n');
  });

  test('site table', () => {
    expect(awaitTable(r.trace)).toEqual([
      'src/approvals.ts:14:3 | notifyReviewers | await | delay(2)',
      'src/approvals.ts:7:3 | waitForApproval | await | delay(3)',
      'src/approvals.ts:8:20 | waitForApproval | await | new Promise<boolean>(() => {})',
      'src/main.ts:20:21 | deployRelease | await | notifyReviewers(version)',
      'src/main.ts:22:3 | deployRelease | await | waitForApproval(version)',
      "src/main.ts:27:3 | main | await | deployRelease('v2.4.1')",
      'src/main.ts:31:3 | warmCache | await | delay(10)',
    ]);
    expect(functionTable(r.trace)).toEqual([
      'deployRelease src/main.ts:18:16 (version) function',
      'main src/main.ts:26:16 () function',
      'notifyReviewers src/approvals.ts:13:23 (changeId) function',
      'waitForApproval src/approvals.ts:6:23 (changeId) function',
      'warmCache src/main.ts:30:16 () function',
    ]);
  });

  test('two tasks: main (pending) and warmCache (completed, its own root)', () => {
    expect(taskRoots(r.model)).toEqual(['main pending', 'warmCache completed']);
    const warm = only(framesOf(r.model, 'warmCache'), 'warmCache');
    expect(warm.parent).toBe(0);
    expect(warm.depth).toBe(0);
    expect(taskOf(r.model, warm).frames).toEqual([warm.id]);
    expect(taskOf(r.model, warm).id).not.toBe(taskOf(r.model, framesOf(r.model, 'main')[0]).id);
    expect(suspensionSites(r.model, warm)).toEqual(['src/main.ts:31:3']);
    expectAbout(waited(warm.suspensions[0]), 10, 'warmCache at main.ts:31:3');
  });

  test('the pending chain main → deployRelease → waitForApproval, stuck at src/approvals.ts:8:20', () => {
    const wait = only(framesOf(r.model, 'waitForApproval'), 'waitForApproval');
    expect(chainOf(r.model, wait)).toEqual(['main', 'deployRelease', 'waitForApproval']);
    const deploy = only(framesOf(r.model, 'deployRelease'), 'deployRelease');
    const main = only(framesOf(r.model, 'main'), 'main');
    expect(childrenOf(r.model, deploy).map((f) => `${nameOf(r.model, f)} ${f.outcome}`)).toEqual([
      'notifyReviewers completed',
      'waitForApproval pending',
    ]);
    for (const [frame, where] of [
      [main, 'src/main.ts:27:3'],
      [deploy, 'src/main.ts:22:3'],
      [wait, 'src/approvals.ts:8:20'],
    ] as const) {
      expect(frame.outcome, nameOf(r.model, frame)).toBe('pending');
      expect(frame.end).toBeUndefined();
      const open = openSuspension(frame);
      expect(open, `${nameOf(r.model, frame)} is suspended`).toBeDefined();
      expect(at(r.trace.sites.get(open!.site) as never)).toBe(where);
    }
    // The earlier awaits of the chain completed.
    expect(suspensionSites(r.model, deploy)).toEqual(['src/main.ts:20:21', 'src/main.ts:22:3']);
    expect(suspensionSites(r.model, wait)).toEqual(['src/approvals.ts:7:3', 'src/approvals.ts:8:20']);
    expectAbout(waited(suspensionsAt(r.model, wait, 'src/approvals.ts:7:3')[0]), 3, 'waitForApproval at approvals.ts:7:3');
    expect(suspendedAt(r.model)).toEqual({
      'src/approvals.ts:14:3': 'notifyReviewers ×1',
      'src/approvals.ts:7:3': 'waitForApproval ×1',
      'src/approvals.ts:8:20': 'waitForApproval ×1',
      'src/main.ts:20:21': 'deployRelease ×1',
      'src/main.ts:22:3': 'deployRelease ×1',
      'src/main.ts:27:3': 'main ×1',
      'src/main.ts:31:3': 'warmCache ×1',
    });
  });

  test('the final snapshot (at exit) lists exactly the three pending frames with their sites', () => {
    const snap = r.model.finalSnapshot!;
    expect(snap).toMatchObject({ reason: 'exit', exitCode: 0, omittedFrames: 0 });
    const rows = snap.frames.map((f) => {
      const fn = r.trace.sites.get(f.fn)!;
      const site = r.trace.sites.get(f.site)!;
      return `${fn.type === 'function' ? fn.name : '?'} ${f.state} @ ${at(site)} parent=${f.parent ? nameOf(r.model, r.model.frames.get(f.parent)!) : '-'}`;
    });
    expect(rows.sort()).toEqual([
      'deployRelease suspended @ src/main.ts:22:3 parent=main',
      'main suspended @ src/main.ts:27:3 parent=-',
      'waitForApproval suspended @ src/approvals.ts:8:20 parent=deployRelease',
    ]);
    const stuck = snap.frames.find((f) => r.trace.sites.get(f.fn)?.type === 'function' && (r.trace.sites.get(f.fn) as { name: string }).name === 'waitForApproval')!;
    // Stuck since its second suspension (the one the events show), until the exit, which
    // came after warmCache, the last thing that ran, ended.
    expect(stuck.suspends).toBe(2);
    const wait = only(framesOf(r.model, 'waitForApproval'), 'waitForApproval');
    expect(stuck.since).toBeCloseTo(openSuspension(wait)!.start, 2);
    expect(snap.time).toBeGreaterThanOrEqual(framesOf(r.model, 'warmCache')[0].end!);
    expect(snap.time - stuck.since).toBeLessThan(2000);
    // Nothing else in the trace is pending.
    const pending = [...r.model.frames.values()].filter((f) => f.outcome === 'pending').map((f) => nameOf(r.model, f));
    expect(pending.sort()).toEqual(['deployRelease', 'main', 'waitForApproval']);
  });
});
