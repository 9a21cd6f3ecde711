import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SourceMapConsumer, type RawSourceMap } from 'source-map';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

function writeProject(dir: string, pluginEntry: Record<string, unknown>): void {
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
  writeFileSync(join(dir, 'src/main.ts'), MAIN_TS);
  writeFileSync(join(dir, 'src/lib.ts'), LIB_TS);
  writeFileSync(join(dir, 'src/esm.mts'), ESM_MTS);
  writeFileSync(join(dir, 'src/globals.d.ts'), GLOBALS_D_TS);
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
  }, 120_000);

  it('compiles cleanly and emits instrumented CommonJS and ESM', () => {
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
    const main = readFileSync(join(dir, 'dist/main.js'), 'utf8');
    expect(main).toContain('require("async-inspect/hooks").attach(1, {');
    expect(main).toContain(`file: "src/main.ts",`);
    expect(main).toContain(`root: ${JSON.stringify(dir)},`);
    expect(main).toContain('["main", 3, 23, [], "function"]');
    const esm = readFileSync(join(dir, 'dist/esm.mjs'), 'utf8');
    expect(esm).toMatch(/^import \{ createRequire as __aiReq \} from "node:module";/);
    expect(esm).toContain('const __aiF = __aiH.e(0);');
    expect(existsSync(join(dir, 'dist/globals.d.js'))).toBe(false);
  });

  it('keeps source maps pointing at the original awaits and statements', async () => {
    const js = readFileSync(join(dir, 'dist/main.js'), 'utf8');
    const map = JSON.parse(readFileSync(join(dir, 'dist/main.js.map'), 'utf8')) as RawSourceMap;
    const originalAwaits = positionsOf(MAIN_TS, /\bawait\b/g);
    const emittedAwaits = positionsOf(js, /\bawait __aiH\.s\(/g);
    const emittedResumes = positionsOf(js, /__aiH\.r\(__aiF, await\b/g);
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
    // Plain tsc ignores "plugins": the same project, uninstrumented.
    execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir, '--outDir', join(dir, 'plain')]);
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

  it('stops the build with a one-paragraph message naming an unknown option', () => {
    const bad = join(tmpRoot, `${compiler.label.replace(/\W+/g, '-')}-bad`);
    writeProject(bad, { recordArgs: true });
    const r = tspc(compiler, bad);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('error TS990001: async-inspect: unknown plugin option "recordArgs" in tsconfig.json "plugins".');
    expect(r.stdout).not.toMatch(/\n\s+at /); // no stack trace
  });
});
