// Async generators: return()/throw() while suspended, yield*, for await, finally.
export {};
let step = 0;
const log = (...a: unknown[]) => console.log(String(++step).padStart(3), ...a);

async function* counter(name: string, n: number): AsyncGenerator<number, string, any> {
  try {
    for (let i = 0; i < n; i++) {
      const sent = yield i;
      log(name, 'yielded', i, 'got', sent);
      await null;
    }
    return `${name} finished`;
  } finally {
    log(name, 'finally');
    await Promise.resolve();
    log(name, 'finally after await');
  }
}

async function* delegating(): AsyncGenerator<any, void, any> {
  const inner = yield* counter('inner', 2);
  log('delegate got return value', inner);
  yield* [Promise.resolve('sync-iter-promise'), 'sync-iter-plain'];
  const r = yield await Promise.resolve('awaited then yielded');
  log('delegate resumed with', r);
}

async function* yieldsRejection() {
  yield 'first';
  yield Promise.reject(new Error('yielded rejection'));
  yield 'never';
}

async function* catchesThrow() {
  while (true) {
    try {
      yield 'waiting';
    } catch (e) {
      log('generator caught', e);
      yield `recovered from ${e}`;
      return 'done after throw';
    }
  }
}

async function main() {
  const g = counter('g1', 5);
  log('next', JSON.stringify(await g.next('ignored')));
  log('next', JSON.stringify(await g.next('a')));
  log('return', JSON.stringify(await g.return('early')));
  log('next after return', JSON.stringify(await g.next()));

  const g2 = counter('g2', 5);
  await g2.next();
  try { await g2.throw(new Error('thrown in')); } catch (e) { log('throw propagated', (e as Error).message); }

  const g3 = catchesThrow();
  log(JSON.stringify(await g3.next()));
  log(JSON.stringify(await g3.throw('boom')));
  log(JSON.stringify(await g3.next()));

  // Queued requests while suspended.
  const g4 = counter('g4', 3);
  const queued = [g4.next(), g4.next('q1'), g4.return('q-ret'), g4.next()];
  log('queued', JSON.stringify(await Promise.all(queued)));

  for await (const v of delegating()) log('delegating value', v);

  for await (const v of counter('broken', 10)) {
    log('loop', v);
    if (v === 2) break;
  }

  try {
    for await (const v of yieldsRejection()) log('rej loop', v);
  } catch (e) {
    log('for await caught', (e as Error).message);
  }

  const promises = [Promise.resolve('p1'), 'plain', new Promise((r) => setTimeout(r, 0, 'p3'))];
  for await (const v of promises) log('sync iterable of promises', v);

  const iterable = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        next: async (...args: unknown[]) => { log('custom next args', args.length); return { value: i, done: i++ >= 2 }; },
        return: async () => { log('custom return called'); return { value: undefined, done: true }; },
      };
    },
  };
  for await (const v of iterable) log('custom', v);
  for await (const v of iterable) { log('custom break', v); break; }
  try {
    for await (const v of iterable) { log('custom throw', v); throw new Error('body threw'); }
  } catch (e) { log('body error', (e as Error).message); }

  const gen = counter('proto', 1);
  log('generator object', Object.prototype.toString.call(gen), typeof gen[Symbol.asyncIterator]);
}

main().then(() => log('main done'));
Promise.resolve().then(() => log('tick 1')).then(() => log('tick 2')).then(() => log('tick 3'));
