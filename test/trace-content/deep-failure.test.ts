/**
 * deep-failure, from real traces of both programs:
 *  - main.js: the rejection of dbQuery (src/db.ts:10:3, after the 30 ms query) travels up
 *    through fetchUserData (src/users.ts:4:19) and handleRequest (src/main.ts:21:19) and
 *    main catches it; syncInventory → refreshStock → fetchRemoteStock, where refreshStock
 *    catches and rethrows the same error;
 *  - unhandled.js: the same chain with nothing catching: the task fails, the process ends
 *    with an unhandled-rejection snapshot.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import {
  awaitTable,
  chainOf,
  childrenOf,
  errorOf,
  expectAbout,
  failedAt,
  framesOf,
  functionTable,
  nameOf,
  only,
  record,
  suspendedAt,
  suspensionSites,
  suspensionsAt,
  taskRoots,
  waited,
  type Recorded,
} from './helpers';

let caught: Recorded;
let crash: Recorded;
beforeAll(async () => {
  caught = await record('deep-failure', 'main.js');
  crash = await record('deep-failure', 'unhandled.js');
}, 180_000);

describe('deep-failure main.js (failures caught by main)', () => {
  test('the program ran as the fixture says', () => {
    expect(caught.run.code).toBe(0);
    expect(caught.run.stdout).toBe(
      [
        'account 7: balance 42',
        'request for user 123 failed: connection timeout',
        'refreshStock: upstream returned 503 for sku-1, rethrowing',
        'inventory sync failed: upstream returned 503 for sku-1',
        'main finished',
        '',
      ].join('\n'),
    );
  });

  test('site table: the awaits of the header comment (and fetchRemoteStock), functions with params', () => {
    expect(awaitTable(caught.trace)).toEqual([
      'src/db.ts:10:3 | dbQuery | await | delay(latencyMs)',
      'src/inventory.ts:11:12 | refreshStock | await | fetchRemoteStock(sku)',
      'src/inventory.ts:21:14 | syncInventory | await | refreshStock(sku)',
      'src/inventory.ts:4:3 | fetchRemoteStock | await | delay(4)',
      'src/main.ts:21:19 | handleRequest | await | fetchUserData(userId, userId === 123)',
      'src/main.ts:28:19 | main | await | handleRequest(userId)',
      "src/main.ts:34:5 | main | await | syncInventory(['sku-1', 'sku-2'])",
      // The awaited text is shortened to 80 characters, ending in "…".
      "src/users.ts:4:19 | fetchUserData | await | dbQuery('SELECT id, balance FROM accounts WHERE user_id = $1', [userId], 30, db…",
    ]);
    expect(functionTable(caught.trace)).toEqual([
      'dbQuery src/db.ts:9:23 (sql, params, latencyMs, down) function',
      'fetchRemoteStock src/inventory.ts:3:16 (sku) function',
      'fetchUserData src/users.ts:3:23 (userId, dbDown) function',
      'handleRequest src/main.ts:20:16 (userId) function',
      'main src/main.ts:25:16 () function',
      'refreshStock src/inventory.ts:9:23 (sku) function',
      'syncInventory src/inventory.ts:18:23 (skus) function',
    ]);
  });

  test('one task rooted at main; main completes because it catches both failures', () => {
    expect(taskRoots(caught.model)).toEqual(['main completed']);
    const main = only(framesOf(caught.model, 'main'), 'main');
    expect(childrenOf(caught.model, main).map((f) => `${nameOf(caught.model, f)} ${f.outcome}`)).toEqual([
      'handleRequest completed',
      'handleRequest failed',
      'syncInventory failed',
    ]);
    expect(suspendedAt(caught.model)).toEqual({
      'src/db.ts:10:3': 'dbQuery ×2',
      'src/inventory.ts:11:12': 'refreshStock ×1',
      'src/inventory.ts:21:14': 'syncInventory ×1',
      'src/inventory.ts:4:3': 'fetchRemoteStock ×1',
      'src/main.ts:21:19': 'handleRequest ×2',
      'src/main.ts:28:19': 'main ×2',
      'src/main.ts:34:5': 'main ×1',
      'src/users.ts:4:19': 'fetchUserData ×2',
    });
    expect(suspensionSites(caught.model, main)).toEqual(['src/main.ts:28:19', 'src/main.ts:28:19', 'src/main.ts:34:5']);
    // syncInventory stops at the first sku: refreshStock runs once.
    expect(framesOf(caught.model, 'refreshStock')).toHaveLength(1);
  });

  test('user 7 succeeds through the whole chain after the 30 ms query', () => {
    const ok = framesOf(caught.model, 'handleRequest')[0];
    expect(ok.outcome).toBe('completed');
    const db = framesOf(caught.model, 'dbQuery')[0];
    expect(chainOf(caught.model, db)).toEqual(['main', 'handleRequest', 'fetchUserData', 'dbQuery']);
    expect(db.parent).toBe(framesOf(caught.model, 'fetchUserData')[0].id);
    expect(framesOf(caught.model, 'fetchUserData')[0].parent).toBe(ok.id);
    expect(db.outcome).toBe('completed');
    expectAbout(waited(only(suspensionsAt(caught.model, db, 'src/db.ts:10:3'), 'db waits')), 30, 'dbQuery (user 7)');
  });

  test('user 123: the rejection arrives in dbQuery at src/db.ts:10:3 after ~30 ms and passes fetchUserData and handleRequest', () => {
    const req = framesOf(caught.model, 'handleRequest')[1];
    const fetch = only(childrenOf(caught.model, req), 'handleRequest children');
    const db = only(childrenOf(caught.model, fetch), 'fetchUserData children');
    expect(chainOf(caught.model, db)).toEqual(['main', 'handleRequest', 'fetchUserData', 'dbQuery']);

    // dbQuery resumed from its await (the timer fired) and then threw: the error starts there.
    expect(db.outcome).toBe('failed');
    expect(errorOf(caught.model, db)).toBe('Error: connection timeout');
    expect(failedAt(caught.model, db)).toBeUndefined();
    const dbWait = only(suspensionsAt(caught.model, db, 'src/db.ts:10:3'), 'db waits');
    expect(dbWait.rejected).toBe(false);
    expectAbout(waited(dbWait), 30, 'dbQuery (user 123) at db.ts:10:3');
    expect(db.end! - dbWait.end!).toBeLessThan(50); // it threw right after resuming

    // The same error (one id) then arrived at each caller's await, which never resumed.
    expect(failedAt(caught.model, fetch)).toBe('src/users.ts:4:19');
    expect(failedAt(caught.model, req)).toBe('src/main.ts:21:19');
    for (const f of [fetch, req]) {
      expect(f.outcome).toBe('failed');
      expect(f.error).toBe(db.error);
      const last = f.suspensions[f.suspensions.length - 1];
      expect(last.rejected).toBe(true);
      expectAbout(waited(last), 30, `${nameOf(caught.model, f)} waiting for the rejection`);
      expect(f.end!).toBeGreaterThanOrEqual(db.end!);
    }
    expect(req.end!).toBeGreaterThanOrEqual(fetch.end!);
    expect(fetch.end!).toBeGreaterThanOrEqual(db.end!);

    // main caught it: its await at 28:19 for this request did not reject, main went on.
    const main = framesOf(caught.model, 'main')[0];
    expect(main.outcome).toBe('completed');
    expect(main.failedAt).toBeUndefined();
    const mainWait = suspensionsAt(caught.model, main, 'src/main.ts:28:19')[1];
    expect(mainWait.rejected).toBe(false);
    expect(mainWait.start).toBeLessThanOrEqual(req.start + 50);
  });

  test('caught and rethrown: fetchRemoteStock → refreshStock (catches, rethrows) → syncInventory → main', () => {
    const remote = only(framesOf(caught.model, 'fetchRemoteStock'), 'fetchRemoteStock');
    const refresh = only(framesOf(caught.model, 'refreshStock'), 'refreshStock');
    const sync = only(framesOf(caught.model, 'syncInventory'), 'syncInventory');
    expect(chainOf(caught.model, remote)).toEqual(['main', 'syncInventory', 'refreshStock', 'fetchRemoteStock']);

    expect(errorOf(caught.model, remote)).toBe('Error: upstream returned 503 for sku-1');
    expect(failedAt(caught.model, remote)).toBeUndefined(); // threw after its own await resumed
    expectAbout(waited(only(remote.suspensions, 'remote waits')), 4, 'fetchRemoteStock at inventory.ts:4:3');

    // refreshStock's catch block resumed the frame (so no "rejected at" site), then it rethrew.
    expect(errorOf(caught.model, refresh)).toBe('Error: upstream returned 503 for sku-1');
    expect(failedAt(caught.model, refresh)).toBeUndefined();
    const refreshWait = only(suspensionsAt(caught.model, refresh, 'src/inventory.ts:11:12'), 'refresh waits');
    expect(refreshWait.rejected).toBe(false);
    expect(refresh.error).toBe(remote.error); // the same error object, one id

    // syncInventory does not catch: the rejection arrived at its await.
    expect(failedAt(caught.model, sync)).toBe('src/inventory.ts:21:14');
    expect(sync.error).toBe(remote.error);
    expect([...caught.model.errors.values()].map((e) => `${e.name}: ${e.message}`).sort()).toEqual([
      'Error: connection timeout',
      'Error: upstream returned 503 for sku-1',
    ]);

    // main caught it and finished.
    const main = framesOf(caught.model, 'main')[0];
    const mainWait = only(suspensionsAt(caught.model, main, 'src/main.ts:34:5'), 'main at 34:5');
    expect(mainWait.rejected).toBe(false);
    expect(main.end!).toBeGreaterThanOrEqual(sync.end!);
  });

  // Failed before commit b44f2ed (runtime bug found by this test): when a rejection passes frames
  // that never resume (fetchUserData, handleRequest have no catch), their exit restores the
  // runtime's "current" frame to the stale `outer` they were entered from — main — while main
  // is still suspended; main's catch then calls r() on a frame that is "already current", no
  // resume is written, and the reader puts main's resume at its suspension time: 0 ms.
  test("main's waits for the calls that failed last as long as those calls (~30 ms, ≥ 4 ms)", () => {
    const main = framesOf(caught.model, 'main')[0];
    const failing = framesOf(caught.model, 'handleRequest')[1];
    const sync = framesOf(caught.model, 'syncInventory')[0];
    const at28 = suspensionsAt(caught.model, main, 'src/main.ts:28:19')[1];
    const at34 = suspensionsAt(caught.model, main, 'src/main.ts:34:5')[0];
    expect(at28.end!, 'main resumed at 28:19 when handleRequest(123) failed').toBeGreaterThanOrEqual(failing.end! - 0.001);
    expectAbout(waited(at28), 30, "main's wait at main.ts:28:19 for the failing request");
    expect(at34.end!, 'main resumed at 34:5 when syncInventory failed').toBeGreaterThanOrEqual(sync.end! - 0.001);
    expectAbout(waited(at34), 4, "main's wait at main.ts:34:5 for syncInventory");
  });
});

describe('deep-failure unhandled.js (nothing catches)', () => {
  test('exit code 1, the unhandled-rejection snapshot names the error', () => {
    expect(crash.run.code).toBe(1);
    expect(crash.run.stdout).toBe('worker started\nprocessing job 99\n');
    expect(crash.run.stderr).toContain('Error: connection timeout');
    const reasons = crash.trace.snapshots.map((s) => s.reason);
    expect(reasons).toContain('unhandled-rejection');
    const snap = crash.trace.snapshots.find((s) => s.reason === 'unhandled-rejection')!;
    expect(snap.error).toMatchObject({ name: 'Error', message: 'connection timeout' });
    expect(crash.model.finalSnapshot?.frames).toEqual([]); // nothing left pending
  });

  test('site table of the second entry', () => {
    expect(awaitTable(crash.trace)).toEqual([
      'src/db.ts:10:3 | dbQuery | await | delay(latencyMs)',
      "src/unhandled.ts:14:3 | processJob | await | fetchUserData(jobId, true)",
      'src/unhandled.ts:20:3 | startWorker | await | processJob(99)',
      "src/users.ts:4:19 | fetchUserData | await | dbQuery('SELECT id, balance FROM accounts WHERE user_id = $1', [userId], 30, db…",
    ]);
    expect(functionTable(crash.trace)).toEqual([
      'dbQuery src/db.ts:9:23 (sql, params, latencyMs, down) function',
      'fetchUserData src/users.ts:3:23 (userId, dbDown) function',
      'processJob src/unhandled.ts:12:16 (jobId) function',
      'startWorker src/unhandled.ts:18:16 () function',
    ]);
  });

  test('one failed task startWorker → processJob → fetchUserData → dbQuery, every frame failed with one error', () => {
    expect(taskRoots(crash.model)).toEqual(['startWorker failed']);
    const db = only(framesOf(crash.model, 'dbQuery'), 'dbQuery');
    expect(chainOf(crash.model, db)).toEqual(['startWorker', 'processJob', 'fetchUserData', 'dbQuery']);
    expect(crash.model.frames.size).toBe(4);
    for (const f of crash.model.frames.values()) {
      expect(errorOf(crash.model, f)).toBe('Error: connection timeout');
      expect(f.error).toBe(db.error);
    }
    expect(failedAt(crash.model, db)).toBeUndefined();
    expectAbout(waited(db.suspensions[0]), 30, 'dbQuery at db.ts:10:3');
    const where = (name: string) => failedAt(crash.model, only(framesOf(crash.model, name), name));
    expect(where('fetchUserData')).toBe('src/users.ts:4:19');
    expect(where('processJob')).toBe('src/unhandled.ts:14:3');
    expect(where('startWorker')).toBe('src/unhandled.ts:20:3');
    const task = [...crash.model.tasks.values()][0];
    expect(task.end! - task.start).toBeGreaterThanOrEqual(25);
  });
});
