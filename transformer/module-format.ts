import type * as TS from 'typescript';

/**
 * How the emitted JavaScript of one file loads the hooks (docs/internals.md, section 1):
 * - `cjs`: the output is CommonJS, `require` is at hand;
 * - `esm`: the output is an ES module, so an `import { createRequire }` may be added;
 * - `global`: AMD/UMD/System output of a module: no import may be added, the hooks are
 *   looked up on `globalThis`;
 * - `script`: a file without import/export whose output is not CommonJS: the same lookup,
 *   and nothing of it can run before its first statement.
 */
export type HooksAccess = 'cjs' | 'esm' | 'global' | 'script';

/** ts.ModuleKind values (stable numbers, spelled out so that no TypeScript value is imported). */
const Kind = { CommonJS: 1, ES2015: 5, ES2020: 6, ES2022: 7, ESNext: 99, Node16: 100, NodeNext: 199, Preserve: 200 } as const;

/**
 * Decides per file. Examples: `module: commonjs` → cjs; `module: esnext` and a file with
 * `import` → esm; `module: nodenext` → the file's `impliedNodeFormat` (`.mts` → esm,
 * `.cts` → cjs, `.ts` → nearest package.json "type"); a file without import/export under
 * `module: esnext` → script (adding an import would turn the script into a module).
 */
export function getHooksAccess(ts: typeof TS, sourceFile: TS.SourceFile, options: TS.CompilerOptions): HooksAccess {
  const format = getEmitModuleFormat(ts, sourceFile, options);
  if (format === Kind.CommonJS) return 'cjs';
  const esm = format === Kind.ES2015 || format === Kind.ES2020 || format === Kind.ES2022 || format === Kind.ESNext || format === Kind.Preserve;
  if (!ts.isExternalModule(sourceFile)) return 'script';
  return esm ? 'esm' : 'global';
}

function getEmitModuleFormat(ts: typeof TS, sourceFile: TS.SourceFile, options: TS.CompilerOptions): number {
  // TypeScript's own answer (internal, present in 5.x and 6.x); our approximation otherwise.
  const worker = (ts as unknown as { getEmitModuleFormatOfFileWorker?: (sf: TS.SourceFile, o: TS.CompilerOptions) => number })
    .getEmitModuleFormatOfFileWorker;
  if (typeof worker === 'function') {
    try {
      const kind = worker(sourceFile, options);
      if (typeof kind === 'number') return kind;
    } catch {
      // fall through to the approximation
    }
  }
  const kind: number = options.module ?? ((options.target ?? 0) >= 2 /* ES2015 */ ? Kind.ES2015 : Kind.CommonJS);
  const name = sourceFile.fileName;
  if (/\.[cm][tj]s$/.test(name) || (kind >= Kind.Node16 && kind <= Kind.NodeNext)) {
    if (/\.m[tj]s$/.test(name)) return Kind.ESNext;
    if (/\.c[tj]s$/.test(name)) return Kind.CommonJS;
    if (kind >= Kind.Node16 && kind <= Kind.NodeNext) return sourceFile.impliedNodeFormat === Kind.ESNext ? Kind.ESNext : Kind.CommonJS;
  }
  return kind;
}
