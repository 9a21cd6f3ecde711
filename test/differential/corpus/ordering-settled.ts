// Many async functions racing on settled values; a global step counter exposes any extra tick.
export {};
let step = 0;
const log = (...a: unknown[]) => console.log(String(++step).padStart(3), ...a);

async function a(n: number) {
  log('a start', n);
  const x = await n;
  log('a after plain', x);
  const y = await Promise.resolve(x + 1);
  log('a after resolved', y);
  const z = await Promise.resolve(Promise.resolve(y + 1));
  log('a after nested resolved', z);
  return z;
}

async function b(n: number) {
  log('b start', n);
  try {
    await Promise.reject(n);
  } catch (e) {
    log('b caught', e);
  }
  await undefined;
  log('b end');
  return n * 10;
}

async function c() {
  log('c start');
  const [x, y] = await Promise.all([a(1), b(2)]);
  log('c all', x, y);
  const r = await Promise.race([a(10), b(20)]);
  log('c race', r);
  const s = await Promise.allSettled([Promise.reject(new Error('no')), a(5)]);
  log('c settled', s.map((e) => e.status).join(','));
  const any = await Promise.any([Promise.reject(1), b(7)]);
  log('c any', any);
  return 'c done';
}

async function ticker(name: string, n: number) {
  for (let i = 0; i < n; i++) {
    log(name, i);
    await null;
  }
}

const pa = a(100);
const pb = b(200);
const pc = c();
const t1 = ticker('t1', 6);
const t2 = ticker('t2', 4);
Promise.resolve().then(() => log('then 1')).then(() => log('then 2')).then(() => log('then 3'));
log('sync end');
Promise.all([pa, pb, pc, t1, t2]).then((v) => log('all done', JSON.stringify(v)));
