/**
 * A small service, recorded by hand: successful, failing (grouped), caught, stuck, polling,
 * slow and unfinished tasks. Times in ms; comments give the expected analysis.
 */

import { TraceBuilder } from './trace-builder';

export const DB_SRC = [
  "import { delay } from './delay';",
  '',
  'export async function dbQuery(sql: string, down: boolean) {',
  '  await delay(30);',
  "  if (down) throw new Error('connection timeout');",
  '  return { id: 1 };',
  '}',
  '',
].join('\n');

export const MAIN_SRC = [
  "import { fetchUserData } from './users';",
  '',
  'async function authenticate(token: string) {',
  '  await verify(token);',
  '}',
  'export async function handleRequest(req: Request) {',
  '  await authenticate(req.token);',
  '  return await fetchUserData(req.id);',
  '}',
  'export async function worker() {',
  '  try { await handleRequest(job); } catch {}',
  '}',
  '',
].join('\n');

export const APPROVALS_SRC = [
  '// approvals',
  'export async function waitForApproval(changeId: string) {',
  '  const approved = await new Promise((resolve) => pending.set(changeId, resolve));',
  '  return approved;',
  '}',
  '',
].join('\n');

export const POLL_SRC = ['export async function pollReady() {', '  while (!ready) {', '    await sleep(2);', '  }', '}', ''].join('\n');

export const CHECKOUT_SRC = [
  'export async function checkout(cart: Cart) {',
  '  await validateCart(cart);',
  '  await chargePayment(cart);',
  '  await sendConfirmation(cart);',
  '}',
  'async function validateCart(cart: Cart) { await check(cart); }',
  'async function chargePayment(cart: Cart) { await externalApi(cart); }',
  'async function externalApi(cart: Cart) { await fetch(url); }',
  'async function sendConfirmation(cart: Cart) { await mail(cart); }',
  '',
].join('\n');

export interface ServiceScenario {
  builder: TraceBuilder;
  /** Task ids by role. */
  tasks: { ok: number; failedA: number; failedB: number; caught: number; stuck: number; poll: number; slow: number; unfinished: number };
}

export function buildServiceScenario(builder = new TraceBuilder()): ServiceScenario {
  const b = builder;
  const db = b.file('src/db.ts', DB_SRC, [['dbQuery', 3, 8, ['sql', 'down'], 'function']], [[0, 4, 3, 'delay(30)', 'await']]);
  const users = b.file(
    'src/users.ts',
    'export async function fetchUserData(id: number) {\n  return await dbQuery(sql, id === 123);\n}\n',
    [['fetchUserData', 1, 8, ['id'], 'function']],
    [[0, 2, 16, 'dbQuery(sql, id === 123)', 'await']],
  );
  const main = b.file(
    'src/main.ts',
    MAIN_SRC,
    [
      ['authenticate', 3, 1, ['token'], 'function'],
      ['handleRequest', 6, 8, ['req'], 'function'],
      ['worker', 10, 8, [], 'function'],
    ],
    [
      [0, 4, 3, 'verify(token)', 'await'],
      [1, 7, 3, 'authenticate(req.token)', 'await'],
      [1, 8, 16, 'fetchUserData(req.id)', 'await'],
      [2, 11, 9, 'handleRequest(job)', 'await'],
    ],
  );
  const approvals = b.file('src/approvals.ts', APPROVALS_SRC, [['waitForApproval', 2, 8, ['changeId'], 'function']], [[0, 3, 20, 'new Promise((resolve) => pending.set(changeId, resolve))', 'await']]);
  const poll = b.file('src/poll.ts', POLL_SRC, [['pollReady', 1, 8, [], 'function']], [[0, 3, 5, 'sleep(2)', 'await']]);
  const co = b.file(
    'src/checkout.ts',
    CHECKOUT_SRC,
    [
      ['checkout', 1, 8, ['cart'], 'function'],
      ['validateCart', 6, 1, ['cart'], 'function'],
      ['chargePayment', 7, 1, ['cart'], 'function'],
      ['externalApi', 8, 1, ['cart'], 'function'],
      ['sendConfirmation', 9, 1, ['cart'], 'function'],
    ],
    [
      [0, 2, 3, 'validateCart(cart)', 'await'],
      [0, 3, 3, 'chargePayment(cart)', 'await'],
      [0, 4, 3, 'sendConfirmation(cart)', 'await'],
      [1, 6, 44, 'check(cart)', 'await'],
      [2, 7, 45, 'externalApi(cart)', 'await'],
      [3, 8, 43, 'fetch(url)', 'await'],
      [4, 9, 48, 'mail(cart)', 'await'],
    ],
  );

  /** handleRequest → authenticate, then fetchUserData → dbQuery, failing with `error` when given. */
  const request = (t0: number, parent: number | { task: number }, error?: number) => {
    const h = typeof parent === 'number' ? b.call(t0, parent, main.fn(1)) : b.spawn(t0, main.fn(1), parent.task);
    const auth = b.call(t0, h, main.fn(0));
    b.suspend(t0 + 1, auth, main.at(0)).suspend(t0 + 1, h, main.at(1));
    b.resume(t0 + 45, auth).ret(t0 + 50, auth).resume(t0 + 50, h);
    const f = b.call(t0 + 55, h, users.fn(0));
    const q = b.call(t0 + 55, f, db.fn(0));
    b.suspend(t0 + 56, q, db.at(0)).suspend(t0 + 56, f, users.at(0)).suspend(t0 + 56, h, main.at(2));
    if (error === undefined) {
      b.resume(t0 + 86, q).ret(t0 + 86, q).resume(t0 + 87, f).ret(t0 + 87, f).resume(t0 + 88, h).ret(t0 + 88, h);
    } else {
      b.throw(t0 + 86, q, error).throw(t0 + 86, f, error).throw(t0 + 87, h, error);
    }
    return h;
  };

  request(0, { task: 1 }); // #1 ok, 88ms
  request(100, { task: 2 }, 1); // #2 fails after 87ms at src/db.ts:4
  request(200, { task: 3 }, 2); // #3 the same failure again (another error object, same message)
  const w = b.spawn(300, main.fn(2), 4); // #4 worker catches the failure
  request(300, w, 3);
  b.suspend(300, w, main.at(3)).resume(387, w).ret(390, w);

  const a = b.spawn(400, approvals.fn(0), 5); // #5 never settles: stuck 5.1s at src/approvals.ts:3
  b.suspend(402, a, approvals.at(0));

  const p = b.spawn(500, poll.fn(0), 6); // #6 polls 30 times, 2ms each
  for (let i = 0; i < 30; i++) b.wait(500 + i * 2, p, poll.at(0), 2);
  b.ret(561, p);

  const c = b.spawn(1000, co.fn(0), 7); // #7 slow: 2.3s, chargePayment → externalApi dominant
  const v = b.call(1000, c, co.fn(1));
  b.wait(1000, v, co.at(3), 50).ret(1050, v);
  b.suspend(1000, c, co.at(0)).resume(1050, c);
  const ch = b.call(1050, c, co.fn(2));
  const x = b.call(1050, ch, co.fn(3));
  b.suspend(1050, x, co.at(5)).suspend(1050, ch, co.at(4)).suspend(1050, c, co.at(1));
  b.resume(3050, x).ret(3050, x).resume(3150, ch).ret(3150, ch).resume(3150, c);
  const s = b.call(3150, c, co.fn(4));
  b.suspend(3150, s, co.at(6)).suspend(3150, c, co.at(2)).resume(3250, s).ret(3250, s).resume(3250, c).ret(3300, c);

  const u = b.spawn(3400, poll.fn(0), 8); // #8 never ends, missing from the snapshot: unfinished
  b.suspend(3401, u, poll.at(0));

  b.errors([
    { id: 1, name: 'Error', message: 'connection timeout' },
    { id: 2, name: 'Error', message: 'connection timeout' },
    { id: 3, name: 'Error', message: 'connection timeout' },
  ]);
  b.snapshot({
    reason: 'exit',
    time: 5500,
    exitCode: 0,
    frames: [{ frame: a, task: 5, parent: 0, fn: approvals.fn(0), site: approvals.at(0), state: 'suspended', start: 400, since: 402, suspends: 1 }],
  });
  return { builder: b, tasks: { ok: 1, failedA: 2, failedB: 3, caught: 4, stuck: 5, poll: 6, slow: 7, unfinished: 8 } };
}

/**
 * Two tasks waiting at the same `await lock` at exit (5000 ms): task #1 since 1 ms, task #2
 * since 4901 ms — one stuck for long, one only briefly.
 */
export function buildLockWaiters(builder = new TraceBuilder()): TraceBuilder {
  const f = builder.file('src/lock.ts', 'export async function take() {\n  await lock;\n}\n', [['take', 1, 8, [], 'function']], [[0, 2, 3, 'lock', 'await']]);
  const early = builder.spawn(0, f.fn(0), 1);
  const late = builder.spawn(4900, f.fn(0), 2);
  builder.suspend(1, early, f.at(0)).suspend(4901, late, f.at(0));
  const pending = (frame: number, task: number, start: number) => ({ frame, task, parent: 0, fn: f.fn(0), site: f.at(0), state: 'suspended' as const, start, since: start + 1, suspends: 1 });
  builder.snapshot({ reason: 'exit', time: 5000, frames: [pending(early, 1, 0), pending(late, 2, 4900)] });
  return builder;
}
