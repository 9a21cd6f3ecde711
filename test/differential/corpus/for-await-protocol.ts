// The iteration protocol as for await and yield* observe it: which methods are read, when,
// how often, with which `this` and arguments, and what is forwarded on break/throw/return.
export {};
let step = 0;
const log = (...a: unknown[]) => console.log(String(++step).padStart(3), ...a);

function spyIterable(name: string, n: number, sync = false) {
  const iterator = {
    i: 0,
    get next() {
      log(name, 'read next');
      return function (this: unknown, ...args: unknown[]) {
        log(name, 'next called', this === iterator, args.length);
        const done = iterator.i >= n;
        const result = { value: iterator.i++, done };
        return sync ? result : Promise.resolve(result);
      };
    },
    get return() {
      log(name, 'read return');
      return function (this: unknown, ...args: unknown[]) {
        log(name, 'return called', this === iterator, args.length);
        return sync ? { value: 'r', done: true } : Promise.resolve({ value: 'r', done: true });
      };
    },
    get throw() {
      log(name, 'read throw');
      return function (this: unknown, e: unknown) {
        log(name, 'throw called', this === iterator, String(e));
        return sync ? { value: 't', done: true } : Promise.resolve({ value: 't', done: true });
      };
    },
  };
  return {
    get [Symbol.asyncIterator]() {
      log(name, 'read asyncIterator');
      return sync ? undefined : () => iterator;
    },
    get [Symbol.iterator]() {
      log(name, 'read iterator');
      return () => iterator;
    },
  } as any;
}

async function* delegate(inner: any) {
  const r = yield* inner;
  log('yield* returned', r);
}

async function main() {
  for await (const v of spyIterable('full', 2)) log('value', v);
  for await (const v of spyIterable('break', 5)) { log('value', v); break; }
  try {
    for await (const v of spyIterable('throw', 5)) { log('value', v); throw new Error('body'); }
  } catch (e) { log('caught', (e as Error).message); }
  for await (const v of spyIterable('sync fallback', 2, true)) log('value', v);
  outer: for (const round of [1, 2]) {
    for await (const v of spyIterable(`labelled ${round}`, 3)) {
      if (v === 1) continue outer;
      log('labelled value', round, v);
    }
  }
  const target: { v?: unknown } = {};
  for await (target.v of [Promise.resolve('assign target')]) log('target', target.v);
  for await (const [a, { b }] of [[1, { b: 2 }], Promise.resolve([3, { b: 4 }])] as any[]) log('destructured', a, b);
  try {
    for await (const v of { [Symbol.asyncIterator]: () => 42 } as any) log('never', v);
  } catch (e) { log('bad iterator', (e as Error).constructor.name, (e as Error).message); }
  // Not covered: a `next()` result that is not an object. TypeScript's es2017 helper
  // (__asyncValues) then loops forever instead of throwing, with or without the transformer.

  const g = delegate(spyIterable('delegated', 5));
  log(JSON.stringify(await g.next('first')));
  log(JSON.stringify(await g.next('second')));
  log(JSON.stringify(await g.throw('thrown')));
  const g2 = delegate(spyIterable('delegated2', 5));
  await g2.next();
  log(JSON.stringify(await g2.return('ret' as any)));
}

main().then(() => log('main done'), (e) => log('main failed', e));
Promise.resolve().then(() => log('tick 1')).then(() => log('tick 2')).then(() => log('tick 3')).then(() => log('tick 4'));
