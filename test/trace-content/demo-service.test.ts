/**
 * demo-service, from the real trace of the ~1.3 s run: one task per request (30, each rooted
 * at handleRequest, started from a timer callback); 7 fail with "acquire timeout after
 * 200ms", the rejection arriving at src/pool.ts:35:18 in Pool.acquire and passing dbQuery,
 * loadProfile and handleRequest; one slow export (~1.27 s) waits at fetchInvoices; one task is
 * still pending at exit in waitForNotification; 22 complete.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { Frame } from '../../cli/model/types';
import { openSuspension } from '../../cli/model/queries';
import {
  at,
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
  suspensionSites,
  taskOf,
  waited,
  type Recorded,
} from './helpers';

let r: Recorded;
beforeAll(async () => {
  r = await record('demo-service');
}, 180_000);

const rootsWith = (outcome: string): Frame[] =>
  [...r.model.tasks.values()].filter((t) => t.outcome === outcome).map((t) => r.model.frames.get(t.root)!);

describe('demo-service', () => {
  test('the program ran as the fixture says', () => {
    expect(r.run.code).toBe(0);
    expect(r.run.stdout).toBe(
      [
        'demo-service: 30 requests, pool of 4 connections, acquire timeout 200ms',
        'completed: 22',
        'slow (> 1s): GET /reports/export',
        'failed: 7 (acquire timeout after 200ms): requests 12, 13, 14, 15, 16, 17, 18',
        'still waiting at exit: 1 (GET /events/orders)',
        '',
      ].join('\n'),
    );
  });

  test('site table: the sites of the header comment, with functions and params', () => {
    const table = awaitTable(r.trace);
    for (const row of [
      'src/pool.ts:35:18 | Pool.acquire | await | new Promise<Connection>((resolve, reject) => { const waiter: Waiter = { grant: …',
      'src/db.ts:9:16 | dbQuery | await | pool.acquire(ACQUIRE_TIMEOUT_MS)',
      "src/handlers.ts:21:15 | loadProfile | await | dbQuery('SELECT name, plan FROM profiles WHERE user_id = $1', holdMs, { userId …",
      'src/handlers.ts:57:31 | handleRequest | await | loadProfile(session.userId, req.holdMs)',
      'src/handlers.ts:36:22 | exportReport | await | fetchInvoices(accountId)',
      'src/handlers.ts:27:3 | fetchInvoices | await | delay(1200)',
      "src/notifications.ts:6:19 | waitForNotification | await | new Promise<string>((resolve) => { const waiting = listeners.get(channel) ?? []…",
      "src/handlers.ts:45:17 | streamOrderEvents | await | waitForNotification('orders')",
      'src/handlers.ts:55:33 | handleRequest | await | streamOrderEvents(session.userId)',
    ]) {
      expect(table).toContain(row);
    }
    expect(table).toHaveLength(16);
    expect(functionTable(r.trace)).toEqual([
      'Connection.query src/pool.ts:7:9 (sql, holdMs, result) method',
      'Pool.acquire src/pool.ts:29:9 (timeoutMs) method',
      'authenticate src/auth.ts:9:23 (token) function',
      'dbQuery src/db.ts:8:23 (sql, holdMs, result) function',
      'exportReport src/handlers.ts:32:23 (accountId) function',
      'fetchInvoices src/handlers.ts:26:16 (accountId) function',
      'handleRequest src/handlers.ts:49:23 (req) function',
      'loadProfile src/handlers.ts:20:23 (userId, holdMs) function',
      'streamOrderEvents src/handlers.ts:44:23 (userId) function',
      'waitForNotification src/notifications.ts:5:23 (channel) function',
    ]);
  });

  test('one task per request, each rooted at handleRequest: 22 completed, 7 failed, 1 pending', () => {
    const tasks = [...r.model.tasks.values()];
    expect(tasks).toHaveLength(30);
    for (const t of tasks) {
      const root = r.model.frames.get(t.root)!;
      expect(nameOf(r.model, root)).toBe('handleRequest');
      expect(root.parent).toBe(0);
    }
    expect(framesOf(r.model, 'handleRequest')).toHaveLength(30);
    // Children stay in their parent's task; each task holds exactly one request.
    for (const f of r.model.frames.values()) {
      if (f.parent) expect(r.model.frames.get(f.parent)!.task).toBe(f.task);
    }
    for (const t of tasks) {
      expect(t.frames.filter((id) => nameOf(r.model, r.model.frames.get(id)!) === 'handleRequest')).toEqual([t.root]);
    }
    expect(rootsWith('completed')).toHaveLength(22);
    expect(rootsWith('failed')).toHaveLength(7);
    expect(rootsWith('pending')).toHaveLength(1);
  });

  test('the 7 failures: rejected at src/pool.ts:35:18 after ~200 ms, through dbQuery, loadProfile, handleRequest', () => {
    const failedRoots = rootsWith('failed');
    const errors = new Set<number>();
    for (const root of failedRoots) {
      const acquire = [...r.model.frames.values()].find((f) => f.task === root.task && nameOf(r.model, f) === 'Pool.acquire')!;
      expect(chainOf(r.model, acquire)).toEqual(['handleRequest', 'loadProfile', 'dbQuery', 'Pool.acquire']);
      const chain: Frame[] = [];
      for (let f: Frame | undefined = acquire; f; f = f.parent ? r.model.frames.get(f.parent) : undefined) chain.push(f);
      expect(chain.map((f) => failedAt(r.model, f))).toEqual([
        'src/pool.ts:35:18',
        'src/db.ts:9:16',
        'src/handlers.ts:21:15',
        'src/handlers.ts:57:31',
      ]);
      for (const f of chain) {
        expect(errorOf(r.model, f)).toBe('Error: acquire timeout after 200ms');
        expect(f.error).toBe(acquire.error);
      }
      errors.add(acquire.error!);
      const wait = acquire.suspensions[acquire.suspensions.length - 1];
      expect(wait.rejected).toBe(true);
      expectAbout(waited(wait), 200, 'Pool.acquire at pool.ts:35:18');
      expect(suspensionSites(r.model, root)).toEqual(['src/handlers.ts:50:19', 'src/handlers.ts:57:31']);
    }
    expect(errors.size).toBe(7); // seven distinct Error objects
  });

  test('the slow export: ~1.2 s at fetchInvoices while holding a connection', () => {
    const exp = only(framesOf(r.model, 'exportReport'), 'exportReport');
    expect(chainOf(r.model, exp)).toEqual(['handleRequest', 'exportReport']);
    expect(suspensionSites(r.model, exp)).toEqual(['src/handlers.ts:33:16', 'src/handlers.ts:35:18', 'src/handlers.ts:36:22']);
    const invoices = only(framesOf(r.model, 'fetchInvoices'), 'fetchInvoices');
    expect(invoices.parent).toBe(exp.id);
    expectAbout(waited(invoices.suspensions[0]), 1200, 'fetchInvoices at handlers.ts:27:3');
    expectAbout(waited(exp.suspensions[2]), 1200, 'exportReport at handlers.ts:36:22');
    const task = taskOf(r.model, exp);
    expect(task.outcome).toBe('completed');
    expect(task.end! - task.start).toBeGreaterThanOrEqual(1200);
    expect(task.end! - task.start).toBeLessThan(3300);
    // Its first acquire found a free connection: Pool.acquire returned without suspending.
    const acquire = childrenOf(r.model, exp)[0];
    expect(nameOf(r.model, acquire)).toBe('Pool.acquire');
    expect(acquire.suspensions).toEqual([]);
    expect(acquire.outcome).toBe('completed');
  });

  test('the stuck task: pending at exit in waitForNotification (src/notifications.ts:6:19)', () => {
    const [root] = rootsWith('pending');
    const wait = only(framesOf(r.model, 'waitForNotification'), 'waitForNotification');
    expect(chainOf(r.model, wait)).toEqual(['handleRequest', 'streamOrderEvents', 'waitForNotification']);
    expect(wait.task).toBe(root.task);
    const expected: Array<[string, string]> = [
      ['handleRequest', 'src/handlers.ts:55:33'],
      ['streamOrderEvents', 'src/handlers.ts:45:17'],
      ['waitForNotification', 'src/notifications.ts:6:19'],
    ];
    for (const [name, where] of expected) {
      const f = [...r.model.frames.values()].find((x) => x.task === root.task && nameOf(r.model, x) === name)!;
      expect(f.outcome).toBe('pending');
      const open = openSuspension(f)!;
      expect(at(r.trace.sites.get(open.site) as never)).toBe(where);
      // Stuck since ~5 ms into the request (after authenticate) until the exit ~1.3 s later.
      expect(r.model.endTime - open.start).toBeGreaterThanOrEqual(1000);
    }
    const snap = r.model.finalSnapshot!;
    expect(snap).toMatchObject({ reason: 'exit', exitCode: 0 });
    expect(snap.frames).toHaveLength(3);
    expect(new Set(snap.frames.map((f) => f.task))).toEqual(new Set([root.task]));
    expect([...r.model.frames.values()].filter((f) => f.outcome === 'pending')).toHaveLength(3);
  });
});
