/**
 * methods, from the real trace: each way of writing an async function gets the display name
 * a reader expects (static, instance, #private, field arrow, override calling super, object
 * method, arrow passed as callback, nested object method, const arrow, anonymous default
 * export), at the exact positions, and the frames chain up as the calls do.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import {
  awaitTable,
  chainOf,
  childrenOf,
  expectSuspendedTogether,
  framesOf,
  functionTable,
  nameOf,
  only,
  record,
  suspendedAt,
  suspensionSites,
  taskRoots,
  type Recorded,
} from './helpers';

let r: Recorded;
beforeAll(async () => {
  r = await record('methods');
}, 180_000);

describe('methods', () => {
  test('the program ran as the fixture says (names, lengths, isAsyncFunction kept)', () => {
    expect(r.run.code).toBe(0);
    const lines = r.run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('bootstrap: 2 steps');
    expect(lines[7]).toBe('names: default_1 create load (empty) get handler #refresh.name=_UserService_refresh');
    expect(lines[9]).toBe('isAsyncFunction: true true true true true true true');
  });

  test('function sites: display names, positions, params and kinds', () => {
    expect(functionTable(r.trace)).toEqual([
      'AdminService.load src/user-service.ts:40:9 (id) method',
      'UserService.#refresh src/user-service.ts:24:9 (id) method',
      'UserService.create src/user-service.ts:12:16 (region) method',
      'UserService.load src/user-service.ts:19:9 (id) method',
      'UserService.loadAll src/user-service.ts:29:13 (ids) arrow', // class field: at its `async`
      'app.dispatch src/router.ts:15:9 (req) method',
      'app.get callback src/router.ts:22:20 (req) arrow',
      'default src/bootstrap.ts:3:16 (steps) function', // anonymous default export
      'handler src/router.ts:36:24 () arrow',
      'main src/main.ts:22:16 () function',
      'router.handlers.get src/router.ts:29:11 (path) method',
    ]);
  });

  test('await sites of the header comment, each in its function', () => {
    expect(awaitTable(r.trace)).toEqual([
      'src/bootstrap.ts:5:5 | default | await | delay(1)',
      "src/main.ts:23:17 | main | await | bootstrap(['config', 'cache'])",
      "src/main.ts:25:17 | main | await | UserService.create('eu')",
      'src/main.ts:26:39 | main | await | users.load(1)',
      'src/main.ts:27:28 | main | await | users.loadAll([2, 3])',
      "src/main.ts:28:18 | main | await | AdminService.create('us')",
      'src/main.ts:29:40 | main | await | admins.load(4)',
      "src/main.ts:30:39 | main | await | router.handlers.get('/users')",
      'src/main.ts:31:27 | main | await | handler()',
      "src/main.ts:32:32 | main | await | app.dispatch({ path: '/health' })",
      'src/router.ts:18:12 | app.dispatch | await | handler(req)',
      'src/router.ts:23:3 | app.get callback | await | delay(1)',
      'src/router.ts:30:7 | router.handlers.get | await | delay(2)',
      'src/router.ts:37:3 | handler | await | delay(1)',
      'src/user-service.ts:13:5 | UserService.create | await | delay(2)',
      'src/user-service.ts:20:5 | UserService.load | await | delay(1)',
      'src/user-service.ts:25:5 | UserService.#refresh | await | delay(3)',
      'src/user-service.ts:30:19 | UserService.loadAll | await | Promise.all(ids.map((id) => this.load(id)))',
      'src/user-service.ts:41:18 | AdminService.load | await | super.load(id)',
    ]);
  });

  test('one task; main awaits each call in order, one suspension per await', () => {
    expect(taskRoots(r.model)).toEqual(['main completed']);
    const main = only(framesOf(r.model, 'main'), 'main');
    expect(suspensionSites(r.model, main)).toEqual([
      'src/main.ts:23:17',
      'src/main.ts:25:17',
      'src/main.ts:26:39',
      'src/main.ts:27:28',
      'src/main.ts:28:18',
      'src/main.ts:29:40',
      'src/main.ts:30:39',
      'src/main.ts:31:27',
      'src/main.ts:32:32',
    ]);
    expect(childrenOf(r.model, main).map((f) => nameOf(r.model, f))).toEqual([
      'default',
      'UserService.create',
      'UserService.load',
      'UserService.loadAll',
      'UserService.create', // AdminService.create is the inherited static
      'AdminService.load',
      'router.handlers.get',
      'handler',
      'app.dispatch',
    ]);
    for (const f of r.model.frames.values()) expect(f.outcome, nameOf(r.model, f)).toBe('completed');
  });

  test('chains through methods: #refresh under load, load under loadAll and under super.load, the callback under dispatch', () => {
    const chains = framesOf(r.model, 'UserService.#refresh').map((f) => chainOf(r.model, f).join(' → '));
    expect(chains).toEqual([
      'main → UserService.load → UserService.#refresh',
      'main → UserService.loadAll → UserService.load → UserService.#refresh',
      'main → UserService.loadAll → UserService.load → UserService.#refresh',
      'main → AdminService.load → UserService.load → UserService.#refresh',
    ]);
    const loadAll = only(framesOf(r.model, 'UserService.loadAll'), 'loadAll');
    const loads = childrenOf(r.model, loadAll);
    expect(loads.map((f) => nameOf(r.model, f))).toEqual(['UserService.load', 'UserService.load']);
    // Promise.all: both loads suspended at 20:5 at the same time.
    expectSuspendedTogether(loads);
    const callback = only(framesOf(r.model, 'app.get callback'), 'callback');
    expect(chainOf(r.model, callback)).toEqual(['main', 'app.dispatch', 'app.get callback']);
    // bootstrap's loop awaited once per step.
    expect(suspensionSites(r.model, framesOf(r.model, 'default')[0])).toEqual(['src/bootstrap.ts:5:5', 'src/bootstrap.ts:5:5']);
    expect(suspendedAt(r.model)).toMatchObject({
      'src/user-service.ts:20:5': 'UserService.load ×4',
      'src/user-service.ts:25:5': 'UserService.#refresh ×4',
      'src/user-service.ts:13:5': 'UserService.create ×2',
      'src/user-service.ts:41:18': 'AdminService.load ×1',
      'src/router.ts:18:12': 'app.dispatch ×1',
      'src/router.ts:23:3': 'app.get callback ×1',
      'src/router.ts:30:7': 'router.handlers.get ×1',
      'src/router.ts:37:3': 'handler ×1',
    });
  });
});
