/**
 * Compiles a batch of generated programs with `ts.transpileModule`, once plain and once
 * with the transformer's factory in `before`, runs each compiled batch in one node process
 * (the instrumented one twice: recording on and off) and compares the programs' logs one by one.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TS from 'typescript';
import { REPO_ROOT, TRANSFORMER_JS } from './paths.js';
import type { Program } from './program-model.js';
import { renderBatch } from './render-program.js';
import { runNode, type RunResult } from './run-node.js';

const require = createRequire(import.meta.url);
const ts: typeof TS = require(join(REPO_ROOT, 'node_modules/typescript'));
const DRIVER = join(REPO_ROOT, 'test/differential/lib/batch-driver.cjs');

/** Language target of the output; `es2022-esm` is ES2022 as an ES module (`.mjs`), the others CommonJS. */
export type BatchTarget = 'es2017' | 'es2022' | 'es2022-esm';

const isModule = (target: BatchTarget) => target === 'es2022-esm';

export interface BatchRun {
  js: string;
  result: RunResult;
  /** One log per program; shorter than the batch when the process died. */
  logs: string[][];
}

export interface BatchComparison {
  plain: BatchRun;
  instrumented: BatchRun;
  /** The instrumented batch run again with recording off (ASYNC_INSPECT=0). */
  off: BatchRun;
  /** Indexes of programs whose logs differ. */
  mismatches: number[];
  /** Trace files the instrumented run left behind. */
  traceFiles: string[];
}

function transpile(source: string, fileName: string, target: BatchTarget, instrumented: boolean): string {
  const before: TS.TransformerFactory<TS.SourceFile>[] = [];
  if (instrumented) {
    const plugin = require(TRANSFORMER_JS).default;
    before.push(plugin(undefined, {}, { ts }));
  }
  const out = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      target: target === 'es2017' ? ts.ScriptTarget.ES2017 : ts.ScriptTarget.ES2022,
      module: isModule(target) ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
    },
    transformers: { before },
  });
  const errors = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (errors.length > 0) throw new Error(`generated batch does not compile:\n${errors.join('\n')}`);
  return out.outputText;
}

function compileBatch(dir: string, name: string, source: string, target: BatchTarget, instrumented: boolean): string {
  const js = transpile(source, join(dir, `${name}.ts`), target, instrumented);
  const file = join(dir, `${name}.${isModule(target) ? 'mjs' : 'js'}`);
  writeFileSync(file, js);
  return file;
}

async function runBatch(file: string, js: string, env: Record<string, string>): Promise<BatchRun> {
  const result = await runNode([DRIVER, file], { cwd: dirname(file), env, timeoutMs: 120_000 });
  const logs = result.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
  return { js, result, logs };
}

/** Compiles and runs `programs` both ways in `dir` (which must resolve `async-inspect`). */
export async function compareBatch(dir: string, name: string, programs: Program[], target: BatchTarget): Promise<BatchComparison> {
  mkdirSync(dir, { recursive: true });
  const source = renderBatch(programs);
  writeFileSync(join(dir, `${name}.ts`), source);
  const traces = join(dir, `traces-${name}`);
  const plainFile = compileBatch(dir, `${name}-plain`, source, target, false);
  const instrumentedFile = compileBatch(dir, `${name}-instrumented`, source, target, true);
  const read = (file: string) => readFileSync(file, 'utf8');
  const [plain, instrumented, off] = await Promise.all([
    runBatch(plainFile, read(plainFile), { ASYNC_INSPECT: '1', ASYNC_INSPECT_DIR: traces }),
    runBatch(instrumentedFile, read(instrumentedFile), { ASYNC_INSPECT: '1', ASYNC_INSPECT_DIR: traces }),
    runBatch(instrumentedFile, read(instrumentedFile), { ASYNC_INSPECT: '0', ASYNC_INSPECT_DIR: `${traces}-off` }),
  ]);
  const same = (x: BatchRun, i: number) => JSON.stringify(plain.logs[i]) === JSON.stringify(x.logs[i]);
  const mismatches: number[] = [];
  for (let i = 0; i < programs.length; i++) {
    if (!same(instrumented, i) || !same(off, i)) mismatches.push(i);
  }
  const traceFiles = existsSync(traces) ? readdirSync(traces) : [];
  return { plain, instrumented, off, mismatches, traceFiles };
}
