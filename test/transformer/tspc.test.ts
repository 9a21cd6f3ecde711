import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SourceMapConsumer, type RawSourceMap } from 'source-map';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTrace, EVENT_FIELDS, EventKind, KIND_BITS } from '../../format';

/**
 * Builds real mini-projects with `tspc`, the way a user does: the tsconfig names the
 * plugin as `async-inspect/transformer`, resolved through node_modules/async-inspect → this
 * repository (its `exports` point at dist/, so the plugin must be built first).
 */
const REPO = resolve(__dirname, '../..');
const COMPILERS = [
  { label: 'TypeScript 5.9 + ts-patch 3', tspc: join(REPO, 'node_modules/ts-patch/bin/tspc.js'), env: {} },
  {
    label: 'TypeScript 6 + ts-patch 4',
    tspc: join(REPO, 'node_modules/ts-patch4/bin/tspc.js'),
    env: { TSP_COMPILER_TS_PATH: join(REPO, 'node_modules/typescript6') },
  },
];

const MAIN_TS = `import { double } from './lib';

export async function main(): Promise<number> {
  const a = await double(1);
  let total = a;
  try {
    await fail();
  } catch (e) {
    total += 10;
  }
  for await (const v of double.many(2)) total += v;
  console.log('total', total);
  return total;
}

async function fail(): Promise<never> {
  await null;
  throw new Error('expected');
}

main().then((t) => console.log('done', t));
`;

const LIB_TS = `export const double = Object.assign(async (n: number) => (await n) * 2, {
  async *many(n: number) {
    yield n;
    yield await double(n);
  },
});
`;

const ESM_MTS = `const value = await Promise.resolve(41);
export const answer = async () => value + (await 1);
console.log('esm', await answer());
`;

const GLOBALS_D_TS = `declare const console: { log(...args: unknown[]): void };\n`;

function ensurePluginBuilt(): void {
  const entry = join(REPO, 'dist/transformer/index.js');
  const sources = readdirSync(join(REPO, 'transformer')).map((f) => statSync(join(REPO, 'transformer', f)).mtimeMs);
  if (existsSync(entry) && statSync(entry).mtimeMs >= Math.max(...sources)) return;
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(__dirname, 'tsconfig.plugin.json')], { stdio: 'pipe' });
}

/**
 * One module of a pair that imports each other (`ext`: '.mjs' for ESM, '' for CommonJS).
 * Its body calls the other module's hoisted functions: with `node <x>.js` the other module's
 * body runs first, so it calls this module's functions before this body (and, in ESM, the
 * preamble) ran. Also covers arrows, methods and async generators made by a hoisted
 * function, the default export and its runtime `name`.
 */
function cycleModule(self: string, other: string, ext: string, topLevelAwait: boolean): string {
  return `import ${other}Default, { ${other}Fn, ${other}Tools } from './cycle-${other}${ext}';

export async function ${self}Fn(n: number): Promise<number> {
  const v = await Promise.resolve(n);
  return v + 1;
}
export function ${self}Tools() {
  return {
    arrow: async (n: number) => (await n) * 2,
    async method() { await null; return '${self}.method'; },
    gen: async function* () { yield '${self}.g1'; yield await Promise.resolve('${self}.g2'); },
  };
}
export default async function (): Promise<string> { await null; return '${self}.default'; }

console.log('${self}: body starts');
async function useOther(): Promise<void> {
  const t = ${other}Tools();
  const got: unknown[] = [await ${other}Fn(1), await t.arrow(2), await t.method()];
  for await (const g of t.gen()) got.push(g);
  got.push(await ${other}Default(), ${other}Default.name);
  console.log('${self}: used ${other}', JSON.stringify(got));
}
const done = useOther();
done.then(() => console.log('${self}: done'));
${topLevelAwait ? `await done;
console.log('${self}: after top-level await');
` : ''}`;
}

const CYCLE_FILES: Record<string, string> = {
  'cycle-a.mts': cycleModule('a', 'b', '.mjs', true),
  'cycle-b.mts': cycleModule('b', 'a', '.mjs', false),
  'cycle-a.ts': cycleModule('a', 'b', '', false),
  'cycle-b.ts': cycleModule('b', 'a', '', false),
  'globals.d.ts': GLOBALS_D_TS,
};

const DEFAULT_FILES: Record<string, string> = { 'main.ts': MAIN_TS, 'lib.ts': LIB_TS, 'esm.mts': ESM_MTS, 'globals.d.ts': GLOBALS_D_TS };

function writeProject(dir: string, pluginEntry: Record<string, unknown>, files = DEFAULT_FILES): void {
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(REPO, join(dir, 'node_modules/async-inspect'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'mini', private: true, type: 'commonjs' }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: [],
        strict: true, outDir: 'dist', rootDir: 'src', sourceMap: true,
        plugins: [{ transform: 'async-inspect/transformer', ...pluginEntry }],
      },
      include: ['src'],
    }),
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'src', name), text);
}

function tspc(compiler: (typeof COMPILERS)[number], dir: string) {
  return spawnSync(process.execPath, [compiler.tspc, '-p', dir], { env: { ...process.env, ...compiler.env }, encoding: 'utf8', timeout: 120_000 });
}

/** [line, column] (1-based) of every `needle` in `text`. */
function positionsOf(text: string, needle: RegExp): [number, number][] {
  const out: [number, number][] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(needle)) out.push([i + 1, m.index! + 1]);
  });
  return out;
}

const tmpRoot = mkdtempSync(join(tmpdir(), 'async-inspect-tspc-'));
beforeAll(() => ensurePluginBuilt(), 120_000);
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

describe.each(COMPILERS)('tspc with $label', (compiler) => {
  const dir = join(tmpRoot, compiler.label.replace(/\W+/g, '-'));
  let result: ReturnType<typeof tspc>;
  beforeAll(() => {
    writeProject(dir, {});
    result = tspc(compiler, dir);
    // Plain tsc ignores "plugins": the same project, uninstrumented.
    execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir, '--outDir', join(dir, 'plain')]);
  }, 120_000);

  it('compiles cleanly and emits instrumented CommonJS and ESM', () => {
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
    const main = readFileSync(join(dir, 'dist/main.js'), 'utf8');
    expect(main).toContain('require("async-inspect/hooks").attach(3, {');
    expect(main).toContain(`file: "src/main.ts",`);
    expect(main).toContain(`root: ${JSON.stringify(dir)},`);
    expect(main).toContain('["main", 3, 23, [], "function"]');
    const esm = readFileSync(join(dir, 'dist/esm.mjs'), 'utf8');
    expect(esm).toMatch(/^import \{ createRequire as __aiReq \} from "node:module";/);
    expect(esm).toMatch(/const __aiF = (__aiH_[0-9a-f]{12})\.o \? \1\.e\(0\) : -1;/);
    expect(existsSync(join(dir, 'dist/globals.d.js'))).toBe(false);
  });

  it('keeps source maps pointing at the original awaits and statements', async () => {
    const js = readFileSync(join(dir, 'dist/main.js'), 'utf8');
    const map = JSON.parse(readFileSync(join(dir, 'dist/main.js.map'), 'utf8')) as RawSourceMap;
    const originalAwaits = positionsOf(MAIN_TS, /\bawait\b/g);
    const emittedAwaits = positionsOf(js, /\bawait \(__aiH_[0-9a-f]{12}\.o \? __aiH_[0-9a-f]{12}\.s\(/g);
    const emittedResumes = positionsOf(js, /\(\(__aiV = /g);
    expect(emittedAwaits).toHaveLength(3); // `for await` is the fourth original await
    await SourceMapConsumer.with(map, null, (consumer) => {
      const original = (line: number, column: number) => {
        const p = consumer.originalPositionFor({ line, column: column - 1 });
        return [p.line, p.column === null ? null : p.column + 1];
      };
      const expected = originalAwaits.filter(([l]) => !MAIN_TS.split('\n')[l - 1].includes('for await'));
      expect(emittedAwaits.map(([l, c]) => original(l, c))).toEqual(expected);
      expect(emittedResumes.map(([l, c]) => original(l, c))).toEqual(expected);
      const [logLine, logCol] = positionsOf(js, /console\.log\('total'/g)[0];
      expect(original(logLine, logCol)).toEqual(positionsOf(MAIN_TS, /console\.log\('total'/g)[0]);
      const [forLine, forCol] = positionsOf(js, /for await/g)[0];
      expect(original(forLine, forCol)).toEqual(positionsOf(MAIN_TS, /for await/g)[0]);
    });
  });

  it('runs with the real runtime (async-inspect/hooks) and gives the same output as an uninstrumented build', () => {
    const env = { ...process.env, ASYNC_INSPECT_DIR: join(dir, '.trace'), NODE_ENV: 'development' };
    expect(readFileSync(join(dir, 'plain/main.js'), 'utf8')).not.toContain('__aiH');
    for (const [file, expected] of [['main.js', 'total 18\ndone 18\n'], ['esm.mjs', 'esm 42\n']]) {
      const plain = spawnSync(process.execPath, [join(dir, 'plain', file)], { cwd: dir, env, encoding: 'utf8' });
      const run = spawnSync(process.execPath, [join(dir, 'dist', file)], { cwd: dir, env, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe(expected);
      expect(run.stdout).toBe(plain.stdout);
    }
    const traces = readdirSync(join(dir, '.trace'));
    expect(traces.length).toBeGreaterThan(0);
    const trace = traces.map((f) => readFileSync(join(dir, '.trace', f), 'utf8')).join('\n');
    expect(trace).toContain('src/main.ts');
  });

  it('keeps the hooks of each file in one hidden global binding, reused when the module is evaluated again', () => {
    const env = { ...process.env, ASYNC_INSPECT_DIR: join(dir, '.trace-twice'), NODE_ENV: 'development' };
    const driver = join(dir, 'twice.cjs');
    writeFileSync(
      driver,
      `const keys = Object.keys(globalThis).length;
const bindings = () => Object.getOwnPropertyNames(globalThis).filter((n) => n.startsWith('__aiH_'));
const main = require.resolve('./dist/main.js');
require(main);
setTimeout(() => {
  const first = bindings();
  delete require.cache[main];
  require(main);
  setTimeout(() => {
    const d = Object.getOwnPropertyDescriptor(globalThis, first[0]);
    console.log(JSON.stringify({ first, again: bindings(), keysAdded: Object.keys(globalThis).length - keys, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable }));
  }, 50);
}, 50);
`,
    );
    const run = spawnSync(process.execPath, [driver], { cwd: dir, env, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual(['total 18', 'done 18', 'total 18', 'done 18']);
    const report = JSON.parse(lines[4]);
    expect(report.first).toHaveLength(2); // main.ts and lib.ts
    expect(report.again).toEqual(report.first);
    expect(report).toMatchObject({ keysAdded: 0, writable: false, enumerable: false, configurable: false });
    // The file attached its site table once, and both evaluations entered `main` through it.
    const [file] = readdirSync(join(dir, '.trace-twice'));
    const trace = decodeTrace(readFileSync(join(dir, '.trace-twice', file)));
    const mainSites = [...trace.sites].filter(([, site]) => site.type === 'function' && site.name === 'main');
    expect(mainSites.map(([, site]) => site.source.file)).toEqual(['src/main.ts']);
    const enterMain = EventKind.enter + KIND_BITS * mainSites[0][0];
    let entered = 0;
    for (let i = 0; i < trace.eventCount; i++) if (trace.events[i * EVENT_FIELDS] === enterMain) entered++;
    expect(entered).toBe(2);
  });

  it('runs with a frozen global object: the hooks become a global let instead', () => {
    const env = { ...process.env, ASYNC_INSPECT_DIR: join(dir, '.trace-frozen'), NODE_ENV: 'development' };
    const freeze = join(dir, 'freeze.cjs');
    writeFileSync(freeze, 'Object.freeze(globalThis);\n');
    for (const file of ['main.js', 'esm.mjs']) {
      const plain = spawnSync(process.execPath, ['--require', freeze, join(dir, 'plain', file)], { cwd: dir, env, encoding: 'utf8' });
      const run = spawnSync(process.execPath, ['--require', freeze, join(dir, 'dist', file)], { cwd: dir, env, encoding: 'utf8' });
      expect(plain.stderr).toBe('');
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(plain.stdout);
    }
    const trace = readdirSync(join(dir, '.trace-frozen')).map((f) => readFileSync(join(dir, '.trace-frozen', f), 'utf8')).join('\n');
    expect(trace).toContain('src/main.ts');
    expect(trace).toContain('src/esm.mts');
  });

  it('stops the build with a one-paragraph message naming an unknown option', () => {
    const bad = join(tmpRoot, `${compiler.label.replace(/\W+/g, '-')}-bad`);
    writeProject(bad, { recordArgs: true });
    const r = tspc(compiler, bad);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('error TS990001: async-inspect: unknown plugin option "recordArgs" in tsconfig.json "plugins".');
    expect(r.stdout).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe.each(COMPILERS)('modules that import each other, built with $label', (compiler) => {
  const dir = join(tmpRoot, `cycle-${compiler.label.replace(/\W+/g, '-')}`);
  const env = { ...process.env, ASYNC_INSPECT_DIR: join(dir, '.trace'), NODE_ENV: 'development' };
  beforeAll(() => {
    writeProject(dir, {}, CYCLE_FILES);
    const r = tspc(compiler, dir);
    expect(r.stdout + r.stderr).toBe('');
    execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir, '--outDir', join(dir, 'plain')]);
  }, 120_000);

  it('emits the guarded frame entry in ES modules, the plain one in CommonJS (its preamble always runs first)', () => {
    for (const file of ['cycle-a.mjs', 'cycle-b.mjs']) {
      const js = readFileSync(join(dir, 'dist', file), 'utf8');
      expect(js).toMatch(/^__aiI\(\);$/m);
      expect(js).toMatch(/const __aiF = \(typeof (__aiH_[0-9a-f]{12}) !== "undefined" \? \1 : __aiI\(\)\)\.o \? \1\.e\(/);
      expect(readFileSync(join(dir, 'plain', file), 'utf8')).not.toContain('__aiH');
    }
    for (const file of ['cycle-a.js', 'cycle-b.js']) {
      const js = readFileSync(join(dir, 'dist', file), 'utf8');
      expect(js).toMatch(/^__aiI\(\);$/m);
      expect(js).toMatch(/const __aiF = (__aiH_[0-9a-f]{12})\.o \? \1\.e\(/);
      expect(js.match(/typeof __aiH_/g)).toHaveLength(1); // the loader's, no entry guard
      expect(readFileSync(join(dir, 'plain', file), 'utf8')).not.toContain('__aiH');
    }
  });

  // ES modules: the module whose body runs first calls the other's hoisted async functions
  // before the other's preamble ran. CommonJS: the preamble runs before the requires, so
  // the callback finds the hooks (and TypeScript assigns exported functions before that).
  for (const entry of ['cycle-a.mjs', 'cycle-b.mjs', 'cycle-a.js', 'cycle-b.js']) {
    it(`runs ${entry} exactly like the uninstrumented build`, () => {
      const plain = spawnSync(process.execPath, [join(dir, 'plain', entry)], { cwd: dir, env, encoding: 'utf8' });
      const run = spawnSync(process.execPath, [join(dir, 'dist', entry)], { cwd: dir, env, encoding: 'utf8' });
      expect(plain.stderr).toBe('');
      expect(plain.status).toBe(0);
      const [first, second] = entry.startsWith('cycle-a') ? ['b', 'a'] : ['a', 'b'];
      expect(plain.stdout).toContain(`${first}: body starts\n`);
      expect(plain.stdout.indexOf(`${first}: body starts`)).toBeLessThan(plain.stdout.indexOf(`${second}: body starts`));
      expect(plain.stdout).toContain(
        `${first}: used ${second} [2,4,"${second}.method","${second}.g1","${second}.g2","${second}.default","${entry.endsWith('.mjs') ? 'default' : 'default_1'}"]`,
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(plain.stdout);
    });
  }
});
