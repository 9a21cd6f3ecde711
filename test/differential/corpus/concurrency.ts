// Typical concurrent code: a mutex, a queue, recursion, callbacks, getters calling async code.
export {};
let step = 0;
const log = (...a: unknown[]) => console.log(String(++step).padStart(3), ...a);

class Mutex {
  #last: Promise<void> = Promise.resolve();
  async lock<T>(fn: () => Promise<T>): Promise<T> {
    const prev = this.#last;
    let release!: () => void;
    this.#last = new Promise<void>((r) => (release = r));
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

async function fib(n: number): Promise<number> {
  if (n < 2) return n;
  const [a, b] = await Promise.all([fib(n - 1), fib(n - 2)]);
  return a + b;
}

async function sequentialDepth(n: number): Promise<number> {
  return n === 0 ? 0 : 1 + (await sequentialDepth(n - 1));
}

class Store {
  #data = new Map<string, number>();
  get size() { return this.#data.size; }
  get pending() { return this.load('via getter'); }
  async load(key: string) {
    await null;
    this.#data.set(key, this.#data.size);
    return this.#data.get(key);
  }
}

async function main() {
  const m = new Mutex();
  const jobs = ['a', 'b', 'c'].map((name, i) =>
    m.lock(async () => {
      log('job start', name);
      for (let k = 0; k < 3 - i; k++) await null;
      log('job end', name);
      return name;
    }),
  );
  log('mutex results', (await Promise.all(jobs)).join(''));
  log('fib', await fib(12));
  log('depth', await sequentialDepth(2000));
  const store = new Store();
  log('getter', await store.pending, store.size);
  const mapped = await Promise.all([3, 1, 2].map(async (x, i, arr) => { await null; return x * arr.length + i; }));
  log('map callback', mapped.join(','));
  const reduced = await [1, 2, 3].reduce(async (acc, x) => (await acc) + x, Promise.resolve(0));
  log('reduce', reduced);
  const sorted = [3, 1, 2].sort((a, b) => a - b);
  log('sort', sorted.join(','));
  const events: string[] = [];
  const emitter = new (await import('node:events')).EventEmitter();
  emitter.on('x', async (v) => { events.push(`h1 ${v}`); await null; events.push(`h1 after ${v}`); });
  emitter.on('x', (v) => events.push(`h2 ${v}`));
  emitter.emit('x', 1);
  emitter.emit('x', 2);
  await null;
  await null;
  log('events', events.join(' / '));
}
main().then(() => log('main done'));
const interleave = (async () => { for (let i = 0; i < 20; i++) { await null; if (i % 5 === 0) log('interleave', i); } })();
interleave.then(() => log('interleave done'));
