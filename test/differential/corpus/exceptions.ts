// Exceptions through try/catch/finally with awaits everywhere.
export {};
let step = 0;
const log = (...a: unknown[]) => console.log(String(++step).padStart(3), ...a);
const fail = (v: unknown) => Promise.reject(v);
const show = (e: unknown) => (e instanceof Error ? `${e.constructor.name}(${e.message})` : JSON.stringify(e));

async function rethrow() {
  try {
    await fail(new TypeError('t1'));
  } catch (e) {
    log('rethrow caught', show(e));
    throw e;
  }
}

async function finallyOverridesReturn() {
  try {
    return await Promise.resolve('from try');
  } finally {
    log('finally runs');
    // eslint-disable-next-line no-unsafe-finally
    return 'from finally';
  }
}

async function finallyOverridesThrow() {
  try {
    await fail('thrown in try');
  } finally {
    await null;
    // eslint-disable-next-line no-unsafe-finally
    return 'finally swallowed the throw';
  }
}

async function returnAwaitInTry() {
  try {
    return await fail('rejected value');
  } catch (e) {
    return `caught ${e}`;
  }
}

async function returnWithoutAwaitInTry() {
  try {
    return fail('escapes the catch');
  } catch (e) {
    return `never ${e}`;
  }
}

async function awaitInCatchAndFinally() {
  const order: string[] = [];
  try {
    order.push('try');
    await fail(1);
  } catch (e) {
    order.push(`catch ${e}`);
    order.push(`catch awaited ${await Promise.resolve(2)}`);
  } finally {
    order.push(`finally awaited ${await 3}`);
  }
  return order.join(' | ');
}

async function nested() {
  try {
    try {
      try {
        await fail(new RangeError('deep'));
      } finally {
        log('inner finally');
        await null;
      }
    } catch (e) {
      log('middle catch', show(e));
      await null;
      throw new Error('from middle', { cause: e });
    } finally {
      log('middle finally');
    }
  } catch (e) {
    log('outer catch', show(e), show((e as Error).cause));
  }
  return 'nested done';
}

async function throwInFinallyReplaces() {
  try {
    throw new Error('first');
  } finally {
    await null;
    // eslint-disable-next-line no-unsafe-finally
    throw new Error('second');
  }
}

async function syncThrowBeforeAwait(flag: boolean) {
  if (flag) throw new SyntaxError('before any await');
  await null;
  return 'no throw';
}

// A throwing parameter default rejects the promise instead of throwing synchronously.
async function paramThrows(a: number = (() => { throw new EvalError('param default'); })()) {
  await null;
  return a;
}

async function loopWithBreakInFinally() {
  const seen: number[] = [];
  for (let i = 0; i < 5; i++) {
    try {
      if (i === 1) continue;
      await fail(i);
    } catch (e) {
      seen.push(e as number);
      if (i === 3) break;
    } finally {
      seen.push(100 + i);
    }
  }
  return seen.join(',');
}

async function main() {
  const cases: Array<[string, () => Promise<unknown>]> = [
    ['rethrow', rethrow],
    ['finallyOverridesReturn', finallyOverridesReturn],
    ['finallyOverridesThrow', finallyOverridesThrow],
    ['returnAwaitInTry', returnAwaitInTry],
    ['returnWithoutAwaitInTry', returnWithoutAwaitInTry],
    ['awaitInCatchAndFinally', awaitInCatchAndFinally],
    ['nested', nested],
    ['throwInFinallyReplaces', throwInFinallyReplaces],
    ['syncThrowBeforeAwait', () => syncThrowBeforeAwait(true)],
    ['syncThrowBeforeAwait false', () => syncThrowBeforeAwait(false)],
    ['loopWithBreakInFinally', loopWithBreakInFinally],
    ['paramThrows', () => paramThrows()],
  ];
  for (const [name, fn] of cases) {
    const p = fn();
    log(name, 'returned a promise', p instanceof Promise);
    try {
      log(name, 'resolved', show(await p));
    } catch (e) {
      log(name, 'rejected', show(e));
    }
  }
  // All at once, to expose relative timing of settlements.
  const all = await Promise.allSettled(cases.map(([, fn]) => fn()));
  all.forEach((r, i) => log('concurrent', cases[i][0], r.status));
}

main().then(() => log('main done'));
Promise.resolve().then(() => log('tick 1')).then(() => log('tick 2')).then(() => log('tick 3'));
