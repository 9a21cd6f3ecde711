// queueMicrotask, process.nextTick and then-chains interleaved with awaits. (No mix of
// setTimeout and setImmediate here: their relative order is not deterministic in Node.)
export {};
let step = 0;
const log = (...a: unknown[]) => console.log(String(++step).padStart(3), ...a);

async function worker(name: string) {
  log(name, 'start');
  process.nextTick(() => log(name, 'nextTick 1'));
  queueMicrotask(() => log(name, 'microtask 1'));
  await null;
  log(name, 'after await 1');
  process.nextTick(() => log(name, 'nextTick 2'));
  Promise.resolve().then(() => log(name, 'then A')).then(() => log(name, 'then B'));
  await Promise.resolve();
  log(name, 'after await 2');
  queueMicrotask(() => log(name, 'microtask 2'));
  await new Promise<void>((r) => process.nextTick(r));
  log(name, 'after nextTick-resolved await');
  await new Promise<void>((r) => setTimeout(r, 0));
  log(name, 'after timeout await');
  process.nextTick(() => log(name, 'nextTick 3'));
  await new Promise<void>((r) => setTimeout(r, 0));
  log(name, 'after second timeout await');
}

async function returnsPromise() { return Promise.resolve('rp'); }
async function returnsAwait() { return await Promise.resolve('ra'); }
async function returnsPlain() { return 'plain'; }

async function returnKinds() {
  const ps = [returnsPromise(), returnsAwait(), returnsPlain()];
  ps.forEach((p, i) => p.then((v) => log('return kind', i, v)));
}

worker('w1');
worker('w2');
returnKinds();
(async () => {
  for (let i = 0; i < 5; i++) {
    queueMicrotask(() => log('loop microtask', i));
    await i;
    log('loop after await', i);
  }
})();
log('sync end');
