// await using: disposal order and timing relative to other microtasks.
export {};
let step = 0;
const log = (...a: unknown[]) => console.log(String(++step).padStart(3), ...a);

function resource(name: string, failOnDispose = false) {
  return {
    name,
    async [Symbol.asyncDispose]() {
      log('disposing', name);
      await null;
      if (failOnDispose) throw new Error(`dispose ${name} failed`);
      log('disposed', name);
    },
  };
}

async function useResources() {
  await using a = resource('a');
  log('after a');
  await using b = resource('b');
  using c = { [Symbol.dispose]() { log('sync dispose c'); } };
  log('body', a.name, b.name, typeof c);
  await null;
  return 'use done';
}

async function failingDispose() {
  await using r = resource('bad', true);
  log('in failingDispose', r.name);
  throw new Error('body failed');
}

async function nullResource() {
  await using n = null;
  log('null resource', n);
}

async function main() {
  log(await useResources());
  try {
    await failingDispose();
  } catch (e) {
    const err = e as any;
    log('caught', err.constructor.name, err.message, err.error?.message, err.suppressed?.message);
  }
  await nullResource();
  log('main end');
}
main();
Promise.resolve().then(() => log('tick 1')).then(() => log('tick 2')).then(() => log('tick 3')).then(() => log('tick 4'));
