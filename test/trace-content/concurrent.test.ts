/**
 * concurrent, from the real trace: loadDashboard's three children suspended side by side
 * under Promise.all, the race loser queryReplica('eu-west', 40) finishing after the winner
 * and after pickReplica, syncShard('shard-b') failing inside allSettled without failing its
 * task.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import {
  awaitTable,
  childrenOf,
  errorOf,
  expectAbout,
  expectSuspendedTogether,
  failedAt,
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
  r = await record('concurrent');
}, 180_000);

describe('concurrent', () => {
  test('the program ran as the fixture says', () => {
    expect(r.run.code).toBe(0);
    expect(r.run.stdout).toBe(
      'profile:42 orders=2 notifications=2\nfastest replica: us-east\nshard-a synced\nfailed: quota exceeded\nshard-c synced\nall done\n',
    );
  });

  test('site table', () => {
    expect(awaitTable(r.trace)).toEqual([
      'src/main.ts:17:44 | loadDashboard | await | Promise.all([ fetchProfile(userId), fetchOrders(userId), fetchNotifications(use…',
      "src/main.ts:26:10 | pickReplica | await | Promise.race([queryReplica('eu-west', 40), queryReplica('us-east', 4)])",
      "src/main.ts:30:19 | syncAll | await | Promise.allSettled( shards.map((shard) => syncShard(shard, shard === 'shard-b' …",
      'src/main.ts:37:15 | main | await | loadDashboard(42)',
      'src/main.ts:38:35 | main | await | pickReplica()',
      "src/main.ts:39:22 | main | await | syncAll(['shard-a', 'shard-b', 'shard-c'])",
      'src/main.ts:42:3 | main | await | delay(50)',
      'src/services.ts:14:3 | fetchNotifications | await | delay(3)',
      'src/services.ts:20:3 | queryReplica | await | delay(latencyMs)',
      'src/services.ts:25:3 | syncShard | await | delay(4)',
      'src/services.ts:27:3 | syncShard | await | delay(2)',
      'src/services.ts:4:3 | fetchProfile | await | delay(6)',
      'src/services.ts:9:3 | fetchOrders | await | delay(12)',
    ]);
    expect(functionTable(r.trace)).toEqual([
      'fetchNotifications src/services.ts:13:23 (userId) function',
      'fetchOrders src/services.ts:8:23 (userId) function',
      'fetchProfile src/services.ts:3:23 (userId) function',
      'loadDashboard src/main.ts:16:16 (userId) function',
      'main src/main.ts:36:16 () function',
      'pickReplica src/main.ts:25:16 () function',
      'queryReplica src/services.ts:19:23 (region, latencyMs) function',
      'syncAll src/main.ts:29:16 (shards) function',
      'syncShard src/services.ts:24:23 (shard, failWith) function',
    ]);
  });

  test('one task rooted at main, completed; the allSettled failure does not fail it', () => {
    expect(taskRoots(r.model)).toEqual(['main completed']);
    const main = only(framesOf(r.model, 'main'), 'main');
    expect(childrenOf(r.model, main).map((f) => nameOf(r.model, f))).toEqual(['loadDashboard', 'pickReplica', 'syncAll']);
    expect(suspensionSites(r.model, main)).toEqual(['src/main.ts:37:15', 'src/main.ts:38:35', 'src/main.ts:39:22', 'src/main.ts:42:3']);
    expectAbout(waited(main.suspensions[3]), 50, 'main at main.ts:42:3');
    expect(suspendedAt(r.model)).toEqual({
      'src/main.ts:17:44': 'loadDashboard ×1',
      'src/main.ts:26:10': 'pickReplica ×1',
      'src/main.ts:30:19': 'syncAll ×1',
      'src/main.ts:37:15': 'main ×1',
      'src/main.ts:38:35': 'main ×1',
      'src/main.ts:39:22': 'main ×1',
      'src/main.ts:42:3': 'main ×1',
      'src/services.ts:14:3': 'fetchNotifications ×1',
      'src/services.ts:20:3': 'queryReplica ×2',
      'src/services.ts:25:3': 'syncShard ×3',
      'src/services.ts:27:3': 'syncShard ×2', // shard-b never gets there
      'src/services.ts:4:3': 'fetchProfile ×1',
      'src/services.ts:9:3': 'fetchOrders ×1',
    });
  });

  test('Promise.all: the three children of loadDashboard are suspended at the same time', () => {
    const dash = only(framesOf(r.model, 'loadDashboard'), 'loadDashboard');
    const kids = childrenOf(r.model, dash);
    expect(kids.map((f) => nameOf(r.model, f))).toEqual(['fetchProfile', 'fetchOrders', 'fetchNotifications']);
    expectSuspendedTogether(kids);
    // All started before loadDashboard suspended at Promise.all, which waited for the slowest (12 ms).
    const wait = only(dash.suspensions, 'loadDashboard waits');
    for (const k of kids) expect(k.start).toBeLessThanOrEqual(wait.start);
    const orders = kids[1];
    expect(wait.end!).toBeGreaterThanOrEqual(orders.end! - 0.001);
    expectAbout(waited(wait), 12, 'loadDashboard at main.ts:17:44');
    expectAbout(waited(orders.suspensions[0]), 12, 'fetchOrders');
    for (const k of kids) expect(k.outcome).toBe('completed');
  });

  test('Promise.race: the loser queryReplica("eu-west", 40) finishes after the winner and after pickReplica', () => {
    const pick = only(framesOf(r.model, 'pickReplica'), 'pickReplica');
    const [eu, us] = childrenOf(r.model, pick);
    expect([eu, us].map((f) => nameOf(r.model, f))).toEqual(['queryReplica', 'queryReplica']);
    expect(eu.outcome).toBe('completed');
    expect(us.outcome).toBe('completed');
    expectAbout(waited(eu.suspensions[0]), 40, 'queryReplica eu-west');
    expectAbout(waited(us.suspensions[0]), 4, 'queryReplica us-east');
    expect(eu.end!).toBeGreaterThan(us.end!);
    expect(eu.end!).toBeGreaterThan(pick.end!);
    // pickReplica resumed when the winner settled, long before the loser.
    expect(pick.suspensions[0].end!).toBeLessThan(eu.end!);
    expect(eu.end! - pick.end!).toBeGreaterThanOrEqual(20);
  });

  test("Promise.allSettled: syncShard('shard-b') fails after resuming from delay(4); its siblings complete", () => {
    const sync = only(framesOf(r.model, 'syncAll'), 'syncAll');
    const shards = childrenOf(r.model, sync);
    expect(shards.map((f) => `${nameOf(r.model, f)} ${f.outcome}`)).toEqual([
      'syncShard completed',
      'syncShard failed',
      'syncShard completed',
    ]);
    const b = shards[1];
    expect(errorOf(r.model, b)).toBe('Error: quota exceeded');
    expect(failedAt(r.model, b)).toBeUndefined(); // thrown by its own code after the await
    expect(suspensionSites(r.model, b)).toEqual(['src/services.ts:25:3']);
    expect(suspensionSites(r.model, shards[0])).toEqual(['src/services.ts:25:3', 'src/services.ts:27:3']);
    // allSettled handled it: syncAll did not fail, nor did any other frame.
    expect(sync.outcome).toBe('completed');
    expect(sync.suspensions[0].rejected).toBe(false);
    expect([...r.model.frames.values()].filter((f) => f.outcome === 'failed')).toEqual([b]);
    // All three suspended side by side at 25:3.
    expectSuspendedTogether(shards);
  });
});
