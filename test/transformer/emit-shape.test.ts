import { describe, expect, it } from 'vitest';
import { chooseLocalNames } from '../../transformer/local-names';
import { HOOKS_BINDING, shape, transpile, ts } from './helpers';

const emit = (src: string, config = {}) => shape(transpile(src, { config }).outputText);
/** The entry of frame `fn`, through `hooks` (the guarded lookup in ES module output). */
const entered = (fn: number, { hooks = '__aiH', args = '' } = {}) => `const __aiF = ${hooks}.o ? __aiH.e(${fn}${args}) : -1;`;
/** The end of a body that keeps its `finally` (frame-shape.ts). */
const WRAP_END = 'catch (__aiE) { __aiH.o && __aiH.t(__aiF, __aiE); throw __aiE; } finally { __aiH.o && __aiH.x(__aiF); }';
/** The end of a body that exits at its returns instead. */
const EXIT_END = 'catch (__aiE) { __aiH.o && __aiH.t(__aiF, __aiE); __aiH.o && __aiH.x(__aiF); throw __aiE; }';
/** `return X` in a frame that exits at its returns. */
const exiting = (value: string) => `return (__aiV = ${value}, __aiH.o && __aiH.x(__aiF), __aiV);`;
/**
 * The emitted form of `await X` (or `yield X`, `yield* X`) at `site`, for ES2020 and later:
 * the suspension hook only when the hooks record, the resume through an optional call.
 */
const resumed = (site: number, operand: string, { keyword = 'await', hook = 's' } = {}) =>
  `((__aiV = ${operand}, __aiV = ${keyword} (__aiH.o ? __aiH.${hook}(__aiF, ${site}, __aiV) : __aiV), __aiH)?.r(__aiF, __aiV, __aiV = void 0))`;

describe('function bodies', () => {
  it('wraps an async function declaration in enter / try / catch, with an exit at each return', () => {
    const out = emit('async function load(id: string) { const u = await get(id); return u; }');
    expect(out).toContain(`async function load(id) { ${entered(0)} try { let __aiV; const u = ${resumed(0, 'get(id)')}; ${exiting('u')} } ${EXIT_END} }`);
  });

  it('exits at the end of a body that can complete, and exits a bare return with void', () => {
    const out = emit('async function f(a) { if (a) return; await a; }');
    expect(out).toContain(`try { let __aiV; if (a) return void (__aiH.o && __aiH.x(__aiF)); ${resumed(0, 'a')}; __aiH.o && __aiH.x(__aiF); } ${EXIT_END}`);
  });

  it('keeps the finally where something runs after a return: user finally, for-of and for-await loops, using, async generators', () => {
    const keeps = [
      'async function f() { try { return 1; } finally { await g(); } }',
      'async function f() { try { return 1; } catch { } finally { } }',
      'async function f(xs) { for (const x of xs) { if (x) return x; } }',
      'async function f(xs) { for await (const x of xs) return x; }',
      'async function f() { using r = open(); return 1; }',
      'async function f() { { await using r = open(); } return 1; }',
      'async function* f() { yield 1; return 2; }',
    ];
    const options = { compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.CommonJS } };
    for (const src of keeps) expect(shape(transpile(src, options).outputText), src).toMatch(/finally \{ __aiH\.o && __aiH\.x\(__aiF(, __aiK)?\); \} \}\s*$/);
    // A try/finally without a return in it, a for-of without one, returns in a nested
    // function, and a try/catch around a return do not need it.
    const exits = [
      'async function f(xs) { try { await g(); } finally { h(); } for (const x of xs) h(x); return 1; }',
      'async function f(xs) { for (const x of xs) { xs.map(function (y) { return y; }); } return 2; }',
      'async function f() { try { return await g(); } catch (e) { return 0; } }',
    ];
    for (const src of exits) expect(shape(transpile(src, options).outputText), src).toMatch(/__aiH\.o && __aiH\.x\(__aiF\); throw __aiE; \} \}\s*$/);
  });

  it('keeps the directive prologue first', () => {
    const out = emit('async function f() { "use strict"; \'use client\'; await x; }');
    expect(out).toContain(`async function f() { "use strict"; 'use client'; ${entered(0)} try {`);
  });

  it('gives an arrow with an expression body a block body returning it', () => {
    const out = emit('const h = async (a) => a + (await b);');
    expect(out).toContain(`const h = async (a) => { ${entered(0)} try { let __aiV; ${exiting(`a + (${resumed(0, 'b')})`)} } ${EXIT_END} };`);
  });

  it('instruments methods of every kind and leaves sync functions alone', () => {
    const out = emit(`class C {
      async a() { await 1; }
      static async b() { await 2; }
      async #c() { await 3; }
      async [Symbol.for('d')]() { await 4; }
      f = async () => { await 5; };
      sync() { try { g(); } catch { h(); } }
      get v() { return 1; }
    }
    const o = { async m() { await 6; }, n: async function () { await 7; } };`);
    for (let i = 0; i <= 6; i++) expect(out).toContain(entered(i));
    expect(out).not.toContain('.e(7)');
    expect(out).toContain('sync() { try { g(); } catch { h(); } }');
    expect(out).toContain('get v() { return 1; }');
    expect(out).toContain(`async [Symbol.for('d')]() { ${entered(3)}`);
  });

  it('records plain-identifier parameters with recordArguments', () => {
    const out = emit('async function f(this: any, a, { b }, [c], d = 1, ...rest) { await a; }', { recordArguments: true });
    expect(out).toContain(entered(0, { args: ', [a, void 0, void 0, d, rest]' }));
    expect(emit('async function f(a) { await a; }')).toContain(entered(0));
  });

  it('instruments async functions without any await (frames still exist)', () => {
    expect(emit('export async function f() { return 1; }')).toContain(`${entered(0)} try { let __aiV; ${exiting('1')} } ${EXIT_END}`);
  });
});

describe('suspension points', () => {
  it('resumes through an optional call from ES2020 on, through a plain call below (where TypeScript would rewrite ?.)', () => {
    const src = 'async function f(g) { return (await g())(); }';
    const at = (target: ts.ScriptTarget) => shape(transpile(src, { compilerOptions: { target, module: ts.ModuleKind.CommonJS } }).outputText);
    expect(at(ts.ScriptTarget.ES2020)).toContain(`(${resumed(0, 'g()')})()`);
    for (const target of [ts.ScriptTarget.ES2017, ts.ScriptTarget.ES2019]) {
      const out = at(target);
      expect(out).toContain('((__aiV = g(), __aiV = await (__aiH.o ? __aiH.s(__aiF, 0, __aiV) : __aiV), __aiH.r(__aiF, __aiV, __aiV = void 0)))()');
      expect(out).not.toContain('?.');
    }
  });

  it('rewrites await in expressions of every kind', () => {
    const out = emit('async function f(o) { return `${await a}` + (await o?.p?.q) + (c ? await d : await e) + (await g)?.h; }');
    expect(out).toContain(`\`\${${resumed(0, 'a')}}\``);
    expect(out).toContain(`(${resumed(1, 'o?.p?.q')})`);
    expect(out).toContain(`(c ? ${resumed(2, 'd')} : ${resumed(3, 'e')})`);
    expect(out).toContain(`(${resumed(4, 'g')})?.h`);
  });

  it('rewrites yield and yield* in async generators, not in sync generators', () => {
    const out = emit('async function* g() { const x = yield 1; yield; yield* other(); await x; } function* s() { yield 2; }');
    expect(out).toContain(`const x = ${resumed(0, '1', { keyword: 'yield' })};`);
    // A bare `yield` passes `void 0` itself, without the temporary.
    expect(out).toContain('((__aiV = yield (__aiH.o ? __aiH.s(__aiF, 1, void 0) : void 0), __aiH)?.r(__aiF, __aiV, __aiV = void 0));');
    expect(out).toContain(`${resumed(2, 'other()', { keyword: 'yield*', hook: 'l' })};`);
    expect(out).toContain('function* s() { yield 2; }');
  });

  it('wraps for await, keeping labels on the loop', () => {
    const out = emit('async function f(xs) { outer: for await (const x of xs) { if (x) continue outer; use(x); } }');
    expect(out).toContain(
      'try { outer: for await (const x of __aiH.l(__aiF, 0, xs)) { __aiH.o && __aiH.r(__aiF); if (x) continue outer; use(x); } } finally { __aiH.o && __aiH.r(__aiF); }',
    );
  });

  it('marks the disposal of await using in blocks, function bodies and for-of heads', () => {
    const opts = { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.CommonJS };
    const out = shape(
      transpile(
        `async function f() { a(); { await using x = open(); b(x); await using y = open(); c(y); } await using z = open(); d(z); for (await using w of ws) e(w); }`,
        { compilerOptions: opts },
      ).outputText,
    );
    // A sync `using` marker after each `await using`, in the same scope (a nested scope
    // would add a disposal await: an extra tick).
    expect(out).toContain(
      'a(); { try { await using x = open(); using __aiFU0 = __aiH.u(__aiF, 0); b(x); await using y = open(); using __aiFU1 = __aiH.u(__aiF, 1); c(y); } finally { __aiH.o && __aiH.r(__aiF); } }',
    );
    expect(out).toContain(
      'await using z = open(); using __aiFU2 = __aiH.u(__aiF, 2); d(z); try { for (await using w of ws) { __aiH.o && __aiH.r(__aiF); try { e(w); } finally { __aiH.o && __aiH.s(__aiF, 3); } } } finally { __aiH.o && __aiH.r(__aiF); }',
    );
  });

  it('resumes at the start of catch and finally blocks of the frame only', () => {
    const out = emit('async function f() { try { await a; } catch (e) { b(e); } finally { c(); } function sync() { try { d(); } finally { e(); } } }');
    expect(out).toContain('catch (e) { __aiH.o && __aiH.r(__aiF); b(e); } finally { __aiH.o && __aiH.r(__aiF); c(); }');
    expect(out).toContain('function sync() { try { d(); } finally { e(); } }');
  });

  it('instruments top-level await as the module frame (function 0)', () => {
    const out = shape(
      transpile('import { a } from "./a";\nconst v = await a;\nexport { v };', { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText,
    );
    expect(out).toMatch(/^import \{ createRequire as __aiReq \} from "node:module"; import \{ a \} from "\.\/a"; __aiI\(\); function __aiI\(\) /);
    expect(out).toContain(`let __aiV; ${entered(0)} const v = ${resumed(0, 'a')}; export { v }; __aiH.o && __aiH.x(__aiF);`);
  });

  it('gives nested async functions their own frame', () => {
    const out = emit('async function outer() { const inner = async () => await x; return await inner(); }');
    expect(out).toContain(`const inner = async () => { ${entered(1)} try { let __aiV; ${exiting(resumed(0, 'x'))} }`);
    expect(out).toContain(exiting(resumed(1, 'inner()')));
  });
});

describe('files without async code', () => {
  it('leaves a file without async functions byte-identical', () => {
    const src = 'export function f() { return 1; }\nconst g = () => 2;\n';
    expect(transpile(src).outputText).toBe(transpile(src, { plugin: false }).outputText);
  });
});

describe('hooks loaded on first use', () => {
  const GUARD = '(typeof __aiH !== "undefined" ? __aiH : __aiI())';
  const esm = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext };

  it('loads the hooks in a hoisted function that the preamble calls, into a global binding', () => {
    const out = emit('async function f() { await 1; }');
    expect(out).toMatch(/^__aiI\(\); function __aiI\(\) \{ if \(typeof __aiH !== "undefined"\) return __aiH; var h; try \{ h = require\("async-inspect\/hooks"\)\.attach\(3, \{/);
    expect(out).toContain('"await"] ] }); } catch (e) { h = (function (e) { var k = Symbol.for("async-inspect.missing");');
    expect(out).toContain(
      '} try { Object.defineProperty(globalThis, "__aiH", { value: h }); } catch (e) { try { require("async-inspect/hooks").publish("__aiH", h, globalThis); } catch (_) { } } return h; }',
    );
    const module = shape(transpile('import { g } from "./g";\nexport async function f() { await g(); }', { compilerOptions: esm }).outputText);
    expect(module).toMatch(
      /^import \{ createRequire as __aiReq \} from "node:module"; import \{ g \} from "\.\/g"; __aiI\(\); function __aiI\(\) \{ if \(typeof __aiH !== "undefined"\) return __aiH; var h; try \{ h = __aiReq\(import\.meta\.url\)\("async-inspect\/hooks"\)\.attach\(3, \{/,
    );
    expect(module).toContain('try { __aiReq(import.meta.url)("async-inspect/hooks").publish("__aiH", h, globalThis); } catch (_) { }');
  });

  it('names the binding after the build of the file: its root, path and content', () => {
    const name = (src: string, fileName = 'src/file.ts') => transpile(src, { fileName }).outputText.match(HOOKS_BINDING)?.[0];
    const src = 'async function f() { await 1; }';
    expect(name(src)).toMatch(/^__aiH_[0-9a-f]{12}$/);
    expect(name(src)).toBe(name(src));
    expect(name(src, 'src/other.ts')).not.toBe(name(src));
    expect(name(`${src}\n`)).not.toBe(name(src));
    // A file that already spells the name gets a suffixed one (the other names work alike).
    expect(chooseLocalNames(new Set(['__aiH_0123456789ab']), '0123456789ab').hooks).toBe('__aiH_0123456789ab1');
  });

  it('guards the entry of every kind of frame, and nothing else', () => {
    const src = `import { h } from './h';
export async function decl() { await h; }
export default async function () { for await (const x of h) { try { await x; } catch { } } }
export const arrow = async () => await h;
export const expr = async function () { await h; };
export class C { async m() { await h; } static async s() { await h; } async #p() { await h; } }
export const o = { async m() { await h; }, f: async (a: number) => { await a; } };
export async function* gen() { yield 1; yield* h; }
export function makeArrow() { return async () => await h; }
const top = await h;`;
    const out = shape(transpile(src, { compilerOptions: esm }).outputText);
    const functions = 11; // 0 is the module frame
    const generator = 10; // gen: enters through `g` with its keep-alive token, which its finally hands to `x`
    // ES module output: the entry guards, the frame's other hook calls read the binding,
    // which the entry has made sure exists.
    for (let i = 1; i <= functions; i++) if (i !== generator) expect(out).toContain(entered(i, { hooks: GUARD }));
    expect(out).toContain(`const __aiK = {}; const __aiF = ${GUARD}.o ? __aiH.g(${generator}, __aiK) : -1; try { let __aiV; ((__aiV = 1, __aiV = yield (__aiH.o ? __aiH.s(__aiF, `);
    expect(out).toContain('finally { __aiH.o && __aiH.x(__aiF, __aiK); } } export function makeArrow()');
    expect(out.split(GUARD)).toHaveLength(functions + 1);
    expect(out.match(/__aiI\(\)/g)).toHaveLength(functions + 2); // + the preamble call and the declaration
    expect(out).not.toMatch(/__aiI\(\)\)\.[^o]/);
    expect(out).not.toContain('(__aiH || __aiI())');
    // The module frame starts after the preamble ran.
    expect(out).toContain(`${entered(0)} export async function decl()`);
    expect(out).toContain(`const top = ${resumed(13, 'h')};`);
  });

  it('keeps the guard when TypeScript downlevels async functions', () => {
    for (const target of [ts.ScriptTarget.ES5, ts.ScriptTarget.ES2015]) {
      const out = shape(transpile('export async function f() { await 1; }', { compilerOptions: { target, module: ts.ModuleKind.ESNext, lib: ['lib.esnext.d.ts'] } }).outputText);
      expect(out).toContain('__aiI(); function __aiI() { if (typeof __aiH !== "undefined") return __aiH;');
      expect(out).toContain(`__aiF = ${GUARD}.o ? __aiH.e(0) : -1;`);
    }
  });

  it('picks a loader name the file does not use', () => {
    const out = emit('var __aiI = 1; function __aiI1() {}\nasync function g() { await __aiI; }');
    expect(out).toContain('__aiI2(); function __aiI2() { if (typeof __aiH !== "undefined") return __aiH; var h; try { h = require(');
    expect(out).toContain(entered(0));
    expect(out).toContain('var __aiI = 1; function __aiI1() { }');
  });
});
