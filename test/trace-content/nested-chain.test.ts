/**
 * nested-chain, from the real trace of a real run: the site table the header comment of
 * fixtures/nested-chain/src/main.ts lists, one task rooted at main, the call chains
 * main → handleRequest → authenticate and handleRequest → fetchUserData → dbQuery for both
 * requests, every frame completed, and the waits the timers imply.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import {
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
  taskRoots,
  waited,
  type Recorded,
} from './helpers';

let r: Recorded;
beforeAll(async () => {
  r = await record('nested-chain');
}, 180_000);

describe('nested-chain', () => {
  test('the program ran as the fixture says', () => {
    expect(r.run.code).toBe(0);
    expect(r.run.stdout).toBe('GET /users/123 -> 200 Alice (pro)\nGET /users/7 -> 200 Bob (free)\ndone\n');
  });

  test('site table: every await of the header comment, with function, kind and text', () => {
    expect(awaitTable(r.trace)).toEqual([
      'src/auth.ts:9:3 | authenticate | await | delay(5)',
      'src/db.ts:15:3 | dbQuery | await | delay(8)',
      'src/main.ts:21:17 | main | await | handleRequest(req)',
      'src/server.ts:15:18 | handleRequest | await | authenticate(req.token)',
      'src/server.ts:16:16 | handleRequest | await | fetchUserData(userId)',
      "src/users.ts:5:15 | fetchUserData | await | dbQuery('SELECT id, name, plan FROM users WHERE id = $1', id)",
      'src/users.ts:7:3 | fetchUserData | await | delay(2)',
    ]);
    expect(functionTable(r.trace)).toEqual([
      'authenticate src/auth.ts:8:23 (token) function',
      'dbQuery src/db.ts:14:23 (sql, id) function',
      'fetchUserData src/users.ts:4:23 (id) function',
      'handleRequest src/server.ts:14:23 (req) function',
      'main src/main.ts:15:16 () function',
    ]);
    // Site tables carry the project root and a source hash.
    for (const site of r.trace.sites.values()) {
      expect(site.source.root).toMatch(/fixtures[/\\]nested-chain$/);
      expect(site.source.hash).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  test('one task rooted at main, completed, holding every frame', () => {
    expect(taskRoots(r.model)).toEqual(['main completed']);
    const task = [...r.model.tasks.values()][0];
    expect(task.frames).toHaveLength(r.model.frames.size);
    expect(r.model.frames.size).toBe(9); // main + 2 × (handleRequest, authenticate, fetchUserData, dbQuery)
    for (const frame of r.model.frames.values()) expect(frame.outcome, nameOf(r.model, frame)).toBe('completed');
    expect(r.model.finalSnapshot).toMatchObject({ reason: 'exit', exitCode: 0, frames: [] });
  });

  test('parent/child links: main → handleRequest → authenticate, handleRequest → fetchUserData → dbQuery', () => {
    const main = only(framesOf(r.model, 'main'), 'main frames');
    expect(main.parent).toBe(0);
    const requests = childrenOf(r.model, main);
    expect(requests.map((f) => nameOf(r.model, f))).toEqual(['handleRequest', 'handleRequest']);
    for (const req of requests) {
      expect(childrenOf(r.model, req).map((f) => nameOf(r.model, f))).toEqual(['authenticate', 'fetchUserData']);
      const fetch = childrenOf(r.model, req)[1];
      const db = only(childrenOf(r.model, fetch), 'fetchUserData children');
      expect(chainOf(r.model, db)).toEqual(['main', 'handleRequest', 'fetchUserData', 'dbQuery']);
      expect(db.depth).toBe(3);
      // Sequential: authenticate ends before fetchUserData starts.
      const auth = childrenOf(r.model, req)[0];
      expect(auth.end!).toBeLessThanOrEqual(fetch.start);
    }
    // The second request starts after the first one ended (main awaits them one by one).
    expect(requests[1].start).toBeGreaterThanOrEqual(requests[0].end!);
  });

  test('which frames suspended at which site, in order', () => {
    expect(suspendedAt(r.model)).toEqual({
      'src/auth.ts:9:3': 'authenticate ×2',
      'src/db.ts:15:3': 'dbQuery ×2',
      'src/main.ts:21:17': 'main ×2',
      'src/server.ts:15:18': 'handleRequest ×2',
      'src/server.ts:16:16': 'handleRequest ×2',
      'src/users.ts:5:15': 'fetchUserData ×2',
      'src/users.ts:7:3': 'fetchUserData ×2',
    });
    for (const req of framesOf(r.model, 'handleRequest')) {
      expect(suspensionSites(r.model, req)).toEqual(['src/server.ts:15:18', 'src/server.ts:16:16']);
    }
    for (const f of framesOf(r.model, 'fetchUserData')) {
      expect(suspensionSites(r.model, f)).toEqual(['src/users.ts:5:15', 'src/users.ts:7:3']);
    }
    for (const frame of r.model.frames.values()) {
      for (const s of frame.suspensions) expect(s.rejected, nameOf(r.model, frame)).toBe(false);
    }
  });

  test('durations follow the timers (5 ms auth, 8 ms query)', () => {
    for (const db of framesOf(r.model, 'dbQuery')) {
      expectAbout(waited(only(suspensionsAt(r.model, db, 'src/db.ts:15:3'), 'dbQuery waits')), 8, 'dbQuery at db.ts:15:3');
    }
    for (const auth of framesOf(r.model, 'authenticate')) {
      expectAbout(waited(only(suspensionsAt(r.model, auth, 'src/auth.ts:9:3'), 'auth waits')), 5, 'authenticate at auth.ts:9:3');
    }
    // fetchUserData waits at 5:15 at least as long as its dbQuery child.
    for (const f of framesOf(r.model, 'fetchUserData')) {
      const db = childrenOf(r.model, f)[0];
      const s = suspensionsAt(r.model, f, 'src/users.ts:5:15')[0];
      expect(s.start).toBeGreaterThanOrEqual(db.start);
      expect(s.end!).toBeGreaterThanOrEqual(db.end! - 0.001);
    }
    const main = framesOf(r.model, 'main')[0];
    expectAbout(main.end! - main.start, 2 * (5 + 8 + 2), 'main overall');
  });
});
