import { describe, expect, it } from 'vitest';
import { createRecordingHooks, flat, HOOKS_BINDING, settle, shape, transpile, ts, withOwnHooksBinding } from './helpers';

const ASYNC = 'async function f() { await 1; }\n';
const es = (extra: ts.CompilerOptions = {}) => ({ target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, ...extra });
const cjs = (extra: ts.CompilerOptions = {}) => ({ target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, ...extra });

/** Import/export statements and `import.meta` in emitted JavaScript. */
function moduleSyntax(js: string): string[] {
  const sf = ts.createSourceFile('out.js', js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: string[] = [];
  const walk = (n: ts.Node) => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n) || ts.isExportAssignment(n)) found.push(n.getText(sf));
    if (ts.isMetaProperty(n)) found.push(n.getText(sf));
    ts.forEachChild(n, walk);
  };
  walk(sf);
  return found;
}

describe('scripts stay scripts', () => {
  it('adds no import, no export and no strictness to a script with ESM output', () => {
    const plain = transpile(ASYNC, { compilerOptions: es(), plugin: false }).outputText;
    const out = transpile(ASYNC, { compilerOptions: es() }).outputText;
    expect(moduleSyntax(out)).toEqual([]);
    expect(out).not.toContain('use strict');
    expect(plain).not.toContain('use strict');
    // The loader runs in place: a script's function declaration would be a global.
    expect(flat(out)).toMatch(
      /^\(function \(\) \{ if \(typeof (__aiH_[0-9a-f]{12}) !== "undefined"\) return \1; var h; try \{ h = globalThis\[Symbol\.for\("async-inspect\.hooks"\)\]\.attach\(3, /,
    );
    expect(shape(out)).toContain('async function f() { const __aiF = __aiH.o ? __aiH.e(0) : -1;');
    expect(out).not.toContain('__aiI');
    expect(out).not.toMatch(/^var /m);
  });

  it('runs with the hooks a loaded runtime published on globalThis', async () => {
    const out = transpile(`${ASYNC}globalThis.__scriptResult = f();`, { compilerOptions: es() }).outputText;
    const rec = createRecordingHooks();
    const key = Symbol.for('async-inspect.hooks');
    (globalThis as Record<symbol, unknown>)[key] = rec.module;
    try {
      new Function(withOwnHooksBinding(out))();
      await (globalThis as any).__scriptResult;
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key];
      delete (globalThis as any).__scriptResult;
    }
    await settle();
    expect(rec.tables[0].functions).toEqual([['f', 1, 16, [], 'function']]);
    expect(rec.events).toEqual([['e', 0, 1], ['s', 1, 0], ['r', 1], ['x', 1]]);
  });

  it('uses require directly for CommonJS output, even in a script', () => {
    const out = transpile(ASYNC, { compilerOptions: cjs() }).outputText;
    expect(moduleSyntax(out)).toEqual([]);
    expect(out).not.toContain('use strict');
    expect(shape(out)).toContain('__aiI(); function __aiI() { if (typeof __aiH !== "undefined") return __aiH; var h; try { h = require("async-inspect/hooks").attach(3, ');
  });
});

describe('ES modules', () => {
  for (const [label, options] of [
    ['module esnext', es()],
    ['isolatedModules', es({ isolatedModules: true })],
    ['verbatimModuleSyntax', es({ verbatimModuleSyntax: true })],
    ['module preserve', es({ module: ts.ModuleKind.Preserve })],
  ] as const) {
    it(`imports createRequire and loads the hooks through it (${label})`, () => {
      const out = transpile(`import { a } from './a';\nexport ${ASYNC}a();`, { compilerOptions: options }).outputText;
      expect(moduleSyntax(out)).toEqual([
        'import { createRequire as __aiReq } from "node:module";',
        "import { a } from './a';",
        'import.meta', // attach
        'import.meta', // publish, for a frozen global object
      ]);
      expect(shape(out)).toContain('var h; try { h = __aiReq(import.meta.url)("async-inspect/hooks").attach(3, ');
    });
  }

  it('follows the file extension under node16/nodenext (.mts → ESM, .cts → CommonJS)', () => {
    const node = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext };
    const mts = transpile(`export ${ASYNC}`, { fileName: 'src/a.mts', compilerOptions: node }).outputText;
    const cts = transpile(`export ${ASYNC}`, { fileName: 'src/a.cts', compilerOptions: node }).outputText;
    expect(mts).toContain('import { createRequire as __aiReq } from "node:module";');
    expect(cts).not.toContain('createRequire');
    expect(cts).toContain('require("async-inspect/hooks")');
  });

  it('puts the CommonJS preamble before the requires of imports', () => {
    const out = flat(transpile(`import { a } from './a';\nexport ${ASYNC}a();`, { compilerOptions: cjs() }).outputText);
    expect(out.indexOf('__aiI(); function __aiI()')).toBeGreaterThan(-1);
    expect(out.indexOf('__aiI(); function __aiI()')).toBeLessThan(out.indexOf('require("./a")'));
  });
});

describe('other inputs', () => {
  it('renames injected identifiers the file already uses', () => {
    const out = flat(transpile('const __aiH = 1, __aiI = 2; let __aiF, __aiV; function __aiE() {}\nasync function g() { await __aiF; }').outputText);
    const hooks = out.match(HOOKS_BINDING)![0];
    expect(out).toContain(`__aiI1(); function __aiI1() { if (typeof ${hooks} !== "undefined") return ${hooks};`);
    expect(out).toContain('const __aiH = 1, __aiI = 2;');
    expect(out).toContain(
      `const __aiF1 = ${hooks}.o ? ${hooks}.e(0) : -1; try { let __aiV1; ((__aiV1 = __aiF, __aiV1 = await (${hooks}.o ? ${hooks}.s(__aiF1, 0, __aiV1) : __aiV1), ${hooks})?.r(__aiF1, __aiV1, __aiV1 = void 0)); ` +
        `${hooks}.o && ${hooks}.x(__aiF1); } catch (__aiE1) { ${hooks}.o && ${hooks}.t(__aiF1, __aiE1); ${hooks}.o && ${hooks}.x(__aiF1); throw __aiE1; }`,
    );
  });

  it('leaves a file with syntax errors exactly as TypeScript emits it without the plugin', () => {
    const src = 'async function f() { await x; \nconst = ;\n';
    expect(transpile(src).outputText).toBe(transpile(src, { plugin: false }).outputText);
  });

  it('leaves a script that uses `await` as an identifier exactly as without the plugin', () => {
    const src = 'var await = function (x) { return x; };\nasync function g() { return 1; }\nawait(1);\n';
    expect(transpile(src, { compilerOptions: es() }).outputText).toBe(transpile(src, { compilerOptions: es(), plugin: false }).outputText);
    const topLevel = 'async function g() { return 1; }\nawait g();\n'; // top-level await in a script is an error
    expect(transpile(topLevel, { compilerOptions: es() }).outputText).toBe(transpile(topLevel, { compilerOptions: es(), plugin: false }).outputText);
  });

  it('instruments .tsx and .js (allowJs) files', () => {
    const tsx = transpile('export const C = async () => <div>{await load()}</div>;', {
      fileName: 'src/c.tsx',
      compilerOptions: cjs({ jsx: ts.JsxEmit.ReactJSX }),
    }).outputText;
    expect(shape(tsx)).toContain(
      '(0, jsx_runtime_1.jsx)("div", { children: ((__aiV = load(), __aiV = await (__aiH.o ? __aiH.s(__aiF, 0, __aiV) : __aiV), __aiH)?.r(__aiF, __aiV, __aiV = void 0)) })',
    );
    const js = transpile('exports.run = async function run() { await 1; };', { fileName: 'src/r.js', compilerOptions: cjs({ allowJs: true }) }).outputText;
    expect(shape(js)).toContain('const __aiF = __aiH.o ? __aiH.e(0) : -1;');
  });
});

describe('functions called before the file body ran', () => {
  /**
   * System.register output, loaded by a minimal loader: like an ES module in a cycle, the
   * exported function declarations exist (and are exported) before `execute` runs the body.
   */
  function loadSystem(code: string) {
    let registered: { declare: (exp: unknown, ctx: unknown) => { setters: unknown[]; execute: () => void } } | undefined;
    new Function('System', withOwnHooksBinding(code))({ register: (_deps: string[], declare: never) => (registered = { declare }) });
    const exports: Record<string, any> = {};
    const exportFn = (name: string | Record<string, unknown>, value?: unknown) => {
      if (typeof name === 'string') exports[name] = value;
      else Object.assign(exports, name);
      return value;
    };
    const { execute } = registered!.declare(exportFn, { id: 'file:///x.js', meta: { url: 'file:///x.js' } });
    return { exports, execute };
  }

  const SRC = `export async function early(n: number) { return (await n) + 1; }
export function tools() { return { async m() { return (await 2) * 3; }, arrow: async () => await 'a' }; }
export const after = 'body ran';
`;
  const system = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.System };

  async function run(code: string) {
    const { exports, execute } = loadSystem(code);
    const early = await exports.early(1);
    const t = exports.tools();
    const beforeBody = [early, await t.m(), await t.arrow(), exports.after];
    execute();
    return { beforeBody, afterBody: [await exports.early(10), exports.after] };
  }

  it('loads the hooks once, at the first frame, and behaves as without the plugin', async () => {
    const plain = await run(transpile(SRC, { compilerOptions: system, plugin: false }).outputText);
    expect(plain).toEqual({ beforeBody: [2, 6, 'a', undefined], afterBody: [11, 'body ran'] });

    const rec = createRecordingHooks();
    const key = Symbol.for('async-inspect.hooks');
    (globalThis as Record<symbol, unknown>)[key] = rec.module;
    try {
      const out = transpile(SRC, { compilerOptions: system }).outputText;
      expect(shape(out)).toContain('const __aiF = (typeof __aiH !== "undefined" ? __aiH : __aiI()).o ? __aiH.e(0) : -1;');
      expect(await run(out)).toEqual(plain);
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key];
    }
    await settle();
    expect(rec.tables).toHaveLength(1); // the preamble found the hooks already loaded
    expect(rec.tables[0].functions.map((fn) => fn[0])).toEqual(['early', 'm', 'arrow']);
    // early(1), m(), arrow() before the body; early(10) after it: all frames on the same hooks.
    expect(rec.events.filter((e) => e[0] === 'e')).toEqual([['e', 0, 1], ['e', 1, 2], ['e', 2, 3], ['e', 0, 4]]);
    expect(rec.events.filter((e) => e[0] === 'x')).toHaveLength(4);
  });
});
