import * as ts from 'typescript';
import * as util from 'node:util';
import createTransformer from '../../transformer/index';
import type { FileSiteTable } from '../../format/sites';
import { HOOKS_ABI } from '../../runtime/injected-names';

export { ts };

export interface TranspileOptions {
  fileName?: string;
  compilerOptions?: ts.CompilerOptions;
  config?: Record<string, unknown>;
  plugin?: boolean;
}

export const BASE_OPTIONS: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS };

/** Emits `source` through ts.transpileModule with (or without) the transformer. */
export function transpile(source: string, options: TranspileOptions = {}): ts.TranspileOutput {
  const { fileName = 'src/file.ts', compilerOptions = BASE_OPTIONS, config = {}, plugin = true } = options;
  return ts.transpileModule(source, {
    fileName,
    compilerOptions,
    reportDiagnostics: true,
    transformers: plugin ? { before: [createTransformer(undefined, config, { ts })] } : undefined,
  });
}

/** Output text with runs of white space collapsed, for `toContain` checks on shape. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** A file's global hooks binding, `__aiH_` + 12 hex digits (transformer/local-names.ts), without the suffix a collision adds. */
const BINDING = '__aiH_[0-9a-f]{12}';
export const HOOKS_BINDING = new RegExp(`\\b${BINDING}\\b`, 'g');

/** `flat` with every file's hooks binding spelled `__aiH`, for checks on the shape around it. */
export function shape(text: string): string {
  return flat(text).replace(HOOKS_BINDING, '__aiH');
}

export type HookEvent = [string, ...unknown[]];

/**
 * Hooks that record every call and hand values through, as the real ones must. With
 * `recording: false` their `o` says they do not record, as the runtime's no-op hooks do,
 * so emitted code calls only what it calls unguarded.
 */
export function createRecordingHooks({ recording = true } = {}) {
  const events: HookEvent[] = [];
  const tables: FileSiteTable[] = [];
  let next = 1;
  const hooks = {
    o: recording,
    e(fn: number, args?: unknown[]) {
      const frame = next++;
      events.push(args ? ['e', fn, frame, args] : ['e', fn, frame]);
      return frame;
    },
    // An async generator's entry: recorded like `e`, after checking the keep-alive token.
    g(fn: number, token: unknown, args?: unknown[]) {
      if (typeof token !== 'object' || token === null) throw new Error('g without a token object');
      return hooks.e(fn, args);
    },
    s(frame: number, site: number, value?: unknown) {
      events.push(['s', frame, site]);
      return value;
    },
    r(frame: number, value?: unknown) {
      events.push(['r', frame]);
      return value;
    },
    l(frame: number, site: number, iterable: unknown) {
      events.push(['l', frame, site]);
      return iterable;
    },
    t(frame: number, error: unknown) {
      events.push(['t', frame, error instanceof Error ? error.message : error]);
    },
    x(frame: number) {
      events.push(['x', frame]);
    },
  };
  const module = {
    attach(abi: number, table: FileSiteTable) {
      if (abi !== HOOKS_ABI) throw new Error(`unexpected ABI ${abi}`);
      tables.push(table);
      return hooks;
    },
  };
  return { events, tables, module };
}

let runs = 0;

/**
 * The emitted code with its global hooks binding (`__aiH_<key>`, docs/internals.md
 * section 1) renamed for this run only. That binding is defined once per realm and never
 * changes, so a test that ran a file with one set of hooks would otherwise hand those
 * same hooks to every later run of the same source; each run gets the fresh binding a new
 * process would.
 */
export function withOwnHooksBinding(code: string): string {
  const run = ++runs;
  return code.replace(new RegExp(`\\b${BINDING}\\d*\\b`, 'g'), (name) => `${name}_${run}`);
}

/**
 * Runs CommonJS output in this realm with a `require` that serves `async-inspect/hooks`
 * from `hooksModule` (or throws, like a missing runtime), and returns `module.exports`.
 * The file gets its own hooks binding (`withOwnHooksBinding`).
 */
export function runCommonJs(code: string, hooksModule: unknown, extra: Record<string, unknown> = {}): Record<string, any> {
  const module = { exports: {} as Record<string, any> };
  const req = (id: string) => {
    if (id === 'async-inspect/hooks') {
      if (!hooksModule) throw Object.assign(new Error(`Cannot find module '${id}'\nRequire stack: …`), { code: 'MODULE_NOT_FOUND' });
      return hooksModule;
    }
    if (id in extra) return extra[id];
    throw new Error(`unexpected require(${id})`);
  };
  new Function('require', 'module', 'exports', withOwnHooksBinding(code))(req, module, module.exports);
  return module.exports;
}

/** The site table passed to `attach` when the emitted file runs. */
export function tableOf(source: string, options: TranspileOptions = {}): FileSiteTable {
  const out = transpile(source, options).outputText;
  const rec = createRecordingHooks();
  try {
    runCommonJs(out, rec.module);
  } catch (error) {
    // The preamble runs first, so the table is attached before the file's own imports fail.
    if (rec.tables.length !== 1) throw error;
  }
  if (rec.tables.length !== 1) throw new Error('no table attached');
  return rec.tables[0];
}

export const isAsyncFunction = util.types.isAsyncFunction;

/** Resolves after every pending microtask and a macrotask turn. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The site table literal in emitted code of any module format, read back by parsing the output. */
export function tableInText(js: string): FileSiteTable {
  const sf = ts.createSourceFile('out.js', js, ts.ScriptTarget.Latest, true);
  let literal: string | undefined;
  const find = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'attach') {
      literal ??= node.arguments[1].getText(sf);
    }
    ts.forEachChild(node, find);
  };
  find(sf);
  if (!literal) throw new Error('no attach call');
  return new Function(`return (${literal});`)();
}
