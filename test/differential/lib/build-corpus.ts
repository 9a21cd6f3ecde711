import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, REPO_ROOT, TSC, TSPC } from './paths.js';
import { runNode, type RunResult } from './run-node.js';

export type ModuleKind = 'cjs' | 'esm';
export type Target = 'es2017' | 'es2022';

export interface Variant {
  module: ModuleKind;
  target: Target;
}

export interface Build {
  /** Project dir: package.json, tsconfig.json, src/ (corpus copy), out/ (emitted JS). */
  dir: string;
  /** The output of the one compiler run that built this project (with its siblings). */
  compile: RunResult;
}

/**
 * Corpus file naming: `*.esm.ts` uses top-level await or `import.meta` and is built only
 * as ESM; `_*.ts` is a helper module imported by a program and never run on its own.
 */
export function corpusSources(module: ModuleKind): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.ts'))
    .filter((f) => module === 'esm' || !f.endsWith('.esm.ts'))
    .sort();
}

/** The corpus programs (helpers excluded) run in a build of kind `module`. */
export function corpusPrograms(module: ModuleKind): string[] {
  return corpusSources(module).filter((f) => !f.startsWith('_'));
}

export function variantName(v: Variant): string {
  return `${v.module}-${v.target}`;
}

/** Writes the mini-project for one variant into `dir`: package.json, tsconfig.json, src/. */
export function writeCorpusProject(dir: string, variant: Variant, instrumented: boolean): void {
  const files = corpusSources(variant.module);
  mkdirSync(join(dir, 'src'), { recursive: true });
  for (const f of files) cpSync(join(CORPUS_DIR, f), join(dir, 'src', f));
  const type = variant.module === 'esm' ? 'module' : 'commonjs';
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'corpus', private: true, type }, null, 2));
  const compilerOptions: Record<string, unknown> = {
    target: variant.target,
    module: variant.module === 'esm' ? 'nodenext' : 'commonjs',
    lib: ['es2022', 'esnext.disposable'],
    types: ['node'],
    typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
    strict: true,
    // Lets `script-sloppy.ts` stay a sloppy-mode script in CommonJS builds.
    alwaysStrict: false,
    skipLibCheck: true,
    esModuleInterop: true,
    rootDir: 'src',
    outDir: 'out',
  };
  if (instrumented) compilerOptions.plugins = [{ transform: 'async-inspect/transformer' }];
  const tsconfig = { compilerOptions, files: files.map((f) => `src/${f}`) };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
}

/**
 * Builds the projects in `dirs` with one `tsc -b` (plain) or `tspc -b` (instrumented) run:
 * build mode compiles several projects in one process, sharing the parsed lib files.
 */
export async function compileProjects(cwd: string, dirs: string[], instrumented: boolean): Promise<Build[]> {
  const compiler = instrumented ? TSPC : TSC;
  const args = [compiler, '-b', ...dirs.map((d) => join(d, 'tsconfig.json'))];
  const compile = await runNode(args, { cwd, timeoutMs: 120_000 });
  return dirs.map((dir) => ({ dir, compile }));
}
