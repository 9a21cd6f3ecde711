import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import createTransformer from '../../transformer/index';
import { createRecordingHooks, isAsyncFunction, runCommonJs, settle, transpile, ts } from './helpers';

/** A program that interleaves many kinds of suspension and logs the order things happen in. */
const PROGRAM = `
const log: unknown[] = [];
export { log };
const thenable = { then(r: (v: number) => void) { log.push('thenable.then'); r(7); } };
async function leaf(n: number) { log.push('leaf ' + n); const v = await n; log.push('leaf resumed ' + v); return v * 2; }
async function fails() { await null; throw new Error('boom'); }
async function* gen() { try { yield 1; log.push('gen after 1'); yield* [2, 3]; } finally { log.push('gen finally'); } }
export async function main() {
  const a = leaf(1);
  const b = (async () => leaf(2))();
  log.push('sync end');
  log.push('a ' + await a);
  log.push('b ' + await b);
  log.push('thenable ' + await thenable);
  try { await fails(); } catch (e) { log.push('caught ' + (e as Error).message); } finally { log.push('finally'); }
  for await (const v of gen()) { log.push('v ' + v); if (v === 3) break; }
  const r = await Promise.all([leaf(3), Promise.resolve().then(() => log.push('plain then'))]);
  log.push('all ' + r[0]);
  return 'done';
}
export class Svc {
  base = 10;
  async add(x: number, y = 0) { return this.base + x + y + arguments.length; }
  static async make(this: typeof Svc) { return new this(); }
}
export const arrow = async (p: number, q: number) => p + q;
export const obj = { async m(a: number) { return await a; } };
export async function* agen(a: number, b: number) { yield a; }
`;

async function runProgram(hooksModule: unknown) {
  const exports = runCommonJs(transpile(PROGRAM, { plugin: hooksModule !== 'plain' }).outputText, hooksModule === 'plain' ? undefined : hooksModule);
  const result = await exports.main();
  return { exports, result, log: exports.log as unknown[] };
}

async function tickTrace(hooksModule: unknown) {
  const exports = runCommonJs(transpile(PROGRAM, { plugin: hooksModule !== 'plain' }).outputText, hooksModule === 'plain' ? undefined : hooksModule);
  const log = exports.log as unknown[];
  // A parallel chain of plain microtasks interleaves with the program: an extra tick shifts it.
  let tick = 0;
  let running = true;
  const ticker = async () => {
    while (running) {
      await null;
      log.push(`tick ${++tick}`);
      if (tick > 200) break;
    }
  };
  void ticker();
  await exports.main();
  running = false;
  await settle();
  return log;
}

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('async-inspect.missing')];
  vi.restoreAllMocks();
});

describe('instrumented code behaves like the original', () => {
  it('produces the same values and the same order of events, microtask for microtask', async () => {
    const plain = await tickTrace('plain');
    const recorded = await tickTrace(createRecordingHooks().module);
    expect(plain).toContain('caught boom');
    expect(plain).toContain('gen finally');
    expect(recorded).toEqual(plain);
  });

  it('calls only the unguarded hooks when they say they do not record (o false), and behaves the same', async () => {
    const plain = await tickTrace('plain');
    const off = createRecordingHooks({ recording: false });
    expect(await tickTrace(off.module)).toEqual(plain);
    // The resume after an await or yield, and the for-await and yield* wrapper, with the
    // frame handle of a frame that was never entered.
    expect(new Set(off.events.map(([hook]) => hook))).toEqual(new Set(['r', 'l']));
    expect(off.events.every(([, frame]) => frame === -1)).toBe(true);
  });

  it('also with the no-op fallback hooks of a missing runtime, which warns once on stderr', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const plain = await tickTrace('plain');
    const fallback = await tickTrace(undefined);
    await tickTrace(undefined);
    expect(fallback).toEqual(plain);
    const lines = write.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith('async-inspect:'));
    expect(lines).toEqual(["async-inspect: runtime not available, running uninstrumented (Cannot find module 'async-inspect/hooks')\n"]);
  });

  it('keeps name, length, async-ness, this and arguments', async () => {
    const { exports } = await runProgram(createRecordingHooks().module);
    expect([exports.main.name, exports.main.length, isAsyncFunction(exports.main)]).toEqual(['main', 0, true]);
    expect([exports.arrow.name, exports.arrow.length, isAsyncFunction(exports.arrow)]).toEqual(['arrow', 2, true]);
    expect([exports.obj.m.name, exports.obj.m.length, isAsyncFunction(exports.obj.m)]).toEqual(['m', 1, true]);
    expect([exports.agen.name, exports.agen.length, isAsyncFunction(exports.agen)]).toEqual(['agen', 2, true]);
    expect(Object.prototype.toString.call(exports.agen(1, 2))).toBe('[object AsyncGenerator]');
    expect([exports.Svc.prototype.add.length, isAsyncFunction(exports.Svc.prototype.add)]).toEqual([1, true]);
    const svc = await exports.Svc.make();
    expect(svc).toBeInstanceOf(exports.Svc);
    expect(await svc.add(1, 2)).toBe(15);
    expect(await exports.arrow(2, 3)).toBe(5);
  });

  it('does not keep an awaited value alive while the frame waits at a later await', async () => {
    // The awaited value passes through the frame's `__aiV` on its way to the resume hook;
    // were it left there, the object below would live as long as the frame waits at `gate`.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (const hooks of ['plain', createRecordingHooks().module, createRecordingHooks({ recording: false }).module]) {
      const exports = runCommonJs(
        transpile(`
          export let weak: WeakRef<object> | undefined;
          export let open: () => void = () => {};
          const gate = new Promise<void>((resolve) => { open = resolve; });
          export async function main() {
            weak = new WeakRef(await Promise.resolve({ big: new Array(1000).fill(1) }));
            await gate;
            return 'done';
          }
        `, { plugin: hooks !== 'plain' }).outputText,
        hooks === 'plain' ? undefined : hooks,
      );
      const done = exports.main();
      await settle(); // past the first await; a WeakRef keeps its target only until the job that made it ends
      gc();
      expect(exports.weak.deref()).toBeUndefined();
      exports.open();
      expect(await done).toBe('done');
    }
  });

  it('keeps the TypeErrors that quote an awaited expression as V8 words them for the original (ES2020 and later)', async () => {
    const source = `
      const five = async (): Promise<any> => 5;
      const none = async (): Promise<any> => null;
      export const cases: Record<string, () => Promise<unknown>> = {
        call: async () => (await five())(),
        construct: async () => new (await five())(),
        spread: async () => [...await five()],
        method: async () => (await five()).foo(),
        destructure: async () => { const { a } = await none(); return a; },
        property: async () => (await none()).x,
      };`;
    const messages = async (hooks: unknown) => {
      const { cases } = runCommonJs(transpile(source, { plugin: hooks !== 'plain' }).outputText, hooks === 'plain' ? undefined : hooks);
      const out: Record<string, string> = {};
      for (const [name, run] of Object.entries(cases as Record<string, () => Promise<unknown>>)) out[name] = await run().then(() => 'no error', (e: Error) => `${e.name}: ${e.message}`);
      return out;
    };
    const plain = await messages('plain');
    expect(plain.call).toBe('TypeError: (intermediate value) is not a function');
    expect(plain.destructure).toBe("TypeError: Cannot destructure property 'a' of '(intermediate value)' as it is null.");
    expect(await messages(createRecordingHooks().module)).toEqual(plain);
    expect(await messages(createRecordingHooks({ recording: false }).module)).toEqual(plain);
  });

  it('ends a frame after everything that runs on the way out of it, in either body shape', async () => {
    const rec = createRecordingHooks();
    const exports = runCommonJs(
      transpile(`
        async function child(tag: string) { return tag; }
        function* items() { try { yield 1; } finally { void child('closing'); } }
        // Exits at its return: the child started in the return expression is its child.
        export async function direct() { return [await child('a'), child('b')]; }
        // Keep the finally: a user finally that awaits, and a for-of whose iterator is closed.
        export async function guarded() { try { return 1; } finally { await child('cleanup'); } }
        export async function looped() { for (const x of items()) return x; }
      `).outputText,
      rec.module,
    );
    /** The events of one call, and the frame handle of the called function (its `e` comes first). */
    const eventsOf = async (fn: () => Promise<unknown>) => {
      rec.events.length = 0;
      await fn();
      const events = rec.events.map((e) => e.join(' '));
      return { events, exit: events.indexOf(`x ${rec.events[0][2]}`), self: rec.events[0][2] };
    };
    const childEnters = (events: string[]) => events.flatMap((e, i) => (e.startsWith('e 0 ') ? [i] : []));
    // Function sites: child 0, direct 1, guarded 2, looped 3.
    const direct = await eventsOf(exports.direct);
    expect(childEnters(direct.events)).toHaveLength(2);
    expect(Math.max(...childEnters(direct.events))).toBeLessThan(direct.exit); // 'b' entered inside the frame
    expect(direct.exit).toBe(direct.events.length - 1);
    const guarded = await eventsOf(exports.guarded);
    expect(guarded.events.findIndex((e) => e.startsWith(`s ${guarded.self} `))).toBeLessThan(guarded.exit); // the finally's await
    expect(guarded.exit).toBe(guarded.events.length - 1);
    const looped = await eventsOf(exports.looped);
    expect(childEnters(looped.events)).toHaveLength(1); // started while the iterator is closed
    expect(childEnters(looped.events)[0]).toBeLessThan(looped.exit);
  });

  it('reports enter, suspend, resume, throw and exit with the right frames', async () => {
    const rec = createRecordingHooks();
    const exports = runCommonJs(
      transpile(`
        export async function outer() { const v = await inner(); return v; }
        async function inner() { await null; throw new Error('no'); }
      `).outputText,
      rec.module,
    );
    const error = await exports.outer().catch((e: Error) => e);
    expect(error.message).toBe('no');
    // outer enters, inner enters under it, both suspend; inner resumes, throws, exits; outer rethrows.
    expect(rec.events).toEqual([
      ['e', 0, 1],
      ['e', 1, 2],
      ['s', 2, 1],
      ['s', 1, 0],
      ['r', 2],
      ['t', 2, 'no'],
      ['x', 2],
      ['t', 1, 'no'],
      ['x', 1],
    ]);
  });
});

describe('downlevel targets and odd corners', () => {
  const SRC = `
    class A { async m() { return 1; } }
    export class B extends A {
      async n(x: number) { const v = await super.m(); return (async () => (arguments[0] as number) + v + (await super.m()))(); }
    }
    // (super in object-literal methods needs ES2015: TypeScript itself cannot emit it for ES5)
    export const o = { async q() { return (await Promise.resolve(2)) + 1; } };
    export const o2 = { __proto__: { async p() { return 2; } }, async q() { return (await super.p()) + 1; } };
    export async function bad() { await 0; throw new Error('bad'); }
    export default async (...xs: number[]) => { let s = 0; for (const x of xs) s += await x; return s; };
  `;
  for (const target of [ts.ScriptTarget.ES5, ts.ScriptTarget.ES2015, ts.ScriptTarget.ES2017, ts.ScriptTarget.ESNext]) {
    it(`keeps super, arguments and results when TypeScript downlevels to ${ts.ScriptTarget[target]}`, async () => {
      const compilerOptions = { target, module: ts.ModuleKind.CommonJS, lib: ['lib.esnext.d.ts'] };
      const rec = createRecordingHooks();
      const out = transpile(SRC, { compilerOptions }).outputText;
      const m = runCommonJs(out, rec.module);
      expect(out).toMatch(/__aiH_[0-9a-f]{12}\.e\(/);
      expect(await new m.B().n(5)).toBe(7);
      expect(await m.o.q()).toBe(3);
      if (target >= ts.ScriptTarget.ES2015) expect(await m.o2.q()).toBe(3);
      expect(await m.default(1, 2, 3)).toBe(6);
      await expect(m.bad()).rejects.toThrow('bad');
      expect(rec.events.filter((e) => e[0] === 't')).toEqual([['t', expect.any(Number), 'bad']]);
      expect(rec.events.filter((e) => e[0] === 'e')).toHaveLength(target >= ts.ScriptTarget.ES2015 ? 9 : 7); // B.n, A.m, arrow, A.m, o.q, (o2.q, p,) default, bad
    });
  }
});

describe('internal errors', () => {
  it('leave the file unchanged and say so on stderr', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const broken = new Proxy(ts, {
      get: (target, key) => (key === 'isAwaitExpression' ? () => { throw new Error('simulated'); } : Reflect.get(target, key)),
    });
    const src = 'export async function f() { await 1; }\n';
    const out = ts.transpileModule(src, {
      fileName: 'src/x.ts',
      compilerOptions: { module: ts.ModuleKind.CommonJS },
      transformers: { before: [createTransformer(undefined, {}, { ts: broken })] },
    }).outputText;
    expect(out).toBe(transpile(src, { compilerOptions: { module: ts.ModuleKind.CommonJS }, plugin: false }).outputText);
    expect(String(write.mock.calls[0]?.[0])).toMatch(/^async-inspect: could not instrument src\/x\.ts, emitted it unchanged \(Error: simulated/);
  });
});
