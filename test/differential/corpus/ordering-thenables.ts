// await on thenables, non-promises, promises with a patched `then` or `constructor`.
export {};
let step = 0;
const log = (...a: unknown[]) => console.log(String(++step).padStart(3), ...a);

const syncThenable = { then(res: (v: unknown) => void) { log('syncThenable.then called'); res('st'); } };
const lateThenable = {
  then(res: (v: unknown) => void) {
    log('lateThenable.then called');
    queueMicrotask(() => res('lt'));
  },
};
const throwingThenable = { then() { log('throwingThenable.then called'); throw new Error('thenable threw'); } };
const rejectingThenable = { then(_: unknown, rej: (e: unknown) => void) { rej('rejected by thenable'); } };
let thenReads = 0;
const getterThenable = {
  get then() {
    thenReads++;
    log('then getter read', thenReads);
    return (res: (v: unknown) => void) => res('gt');
  },
};
const nestedThenable = { then(res: (v: unknown) => void) { res(syncThenable); } };

const patched = Promise.resolve('patched');
let ctorReads = 0;
Object.defineProperty(patched, 'constructor', {
  get() { ctorReads++; log('constructor read', ctorReads); return Promise; },
});
const custom = Promise.resolve('custom-then');
(custom as any).then = function (this: Promise<unknown>, ...args: any[]) {
  log('own then on promise called');
  return Promise.prototype.then.apply(this, args as any);
};
class MyPromise<T> extends Promise<T> {}
const sub = MyPromise.resolve('subclass');

async function main(tag: string) {
  log(tag, 'plain', await 42, await 'str', await null, await undefined, typeof (await Symbol.iterator));
  const fn = () => 1;
  log(tag, 'function is not a thenable', (await fn) === fn);
  log(tag, 'syncThenable', await syncThenable);
  log(tag, 'lateThenable', await lateThenable);
  try { await (throwingThenable as any); } catch (e) { log(tag, 'caught', (e as Error).message); }
  try { await (rejectingThenable as any); } catch (e) { log(tag, 'caught', e); }
  log(tag, 'getterThenable', await getterThenable);
  log(tag, 'nestedThenable', await nestedThenable);
  log(tag, 'patched', await patched);
  log(tag, 'custom', await custom);
  log(tag, 'subclass', await sub);
  const objWithThenValue = { then: 5 };
  log(tag, 'then not callable', (await objWithThenValue) === objWithThenValue);
}

main('m1');
main('m2');
Promise.resolve().then(() => log('tick 1')).then(() => log('tick 2')).then(() => log('tick 3'))
  .then(() => log('tick 4')).then(() => log('tick 5')).then(() => log('tick 6'));
log('sync end');
