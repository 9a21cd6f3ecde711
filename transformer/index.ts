import type * as TS from 'typescript';
import { analyzeFile } from './analyze-file';
import { createPathFilter } from './glob';
import { chooseLocalNames, hooksBindingKey } from './local-names';
import { getHooksAccess } from './module-format';
import { MESSAGE_PREFIX, OptionsError, parseOptions, type TransformerOptions } from './options';
import { hashSourceText } from '../format/source-hash';
import { getProjectRoot, relativeFileName } from './project';
import { rewriteSourceFile } from './rewrite-file';

export type { TransformerOptions } from './options';

/** What ts-patch passes as the third argument (`TransformerExtras`); only `ts` is needed. */
export interface TransformerExtras {
  ts?: typeof TS;
  addDiagnostic?: (diagnostic: TS.Diagnostic) => number;
  [key: string]: unknown;
}

/** Diagnostic code of async-inspect's own messages (`error TS990001: async-inspect: …`). */
export const DIAGNOSTIC_CODE = 990001;

/**
 * The ts-patch plugin: `"plugins": [{ "transform": "async-inspect/transformer" }]`.
 * Also usable directly, with or without a program:
 *
 *   ts.transpileModule(src, { transformers: { before: [createTransformer(undefined, {}, { ts })] } })
 *
 * Invalid options become an error diagnostic when ts-patch offers `addDiagnostic` (tspc
 * prints it and exits non-zero; files are emitted uninstrumented), and a thrown Error
 * otherwise.
 */
export default function createTransformer(
  program: TS.Program | undefined,
  config: unknown,
  extras?: TransformerExtras,
): TS.TransformerFactory<TS.SourceFile> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts: typeof TS = extras?.ts ?? require('typescript');
  let options: TransformerOptions;
  try {
    options = parseOptions(config);
  } catch (error) {
    if (!(error instanceof OptionsError) || typeof extras?.addDiagnostic !== 'function') throw error;
    extras.addDiagnostic({
      category: ts.DiagnosticCategory.Error,
      code: DIAGNOSTIC_CODE,
      messageText: error.message,
      file: undefined,
      start: undefined,
      length: undefined,
    });
    return () => (sf) => sf;
  }
  const included = createPathFilter(options.include, options.exclude);

  return (context) => {
    const compilerOptions = context.getCompilerOptions();
    const root = getProjectRoot(program?.getCompilerOptions() ?? compilerOptions);
    return (sf) => {
      if (sf.isDeclarationFile || /\.json$/i.test(sf.fileName) || hasParseErrors(sf)) return sf;
      const file = relativeFileName(root, sf.fileName);
      if (!included(file)) return sf;
      try {
        const hash = hashSourceText(sf.text);
        const analysis = analyzeFile(ts, sf, { file, root, hash });
        if ('skip' in analysis || analysis.functions.length === 0) return sf;
        const access = getHooksAccess(ts, sf, compilerOptions);
        const names = chooseLocalNames(analysis.identifiers, hooksBindingKey(root, file, hash));
        return rewriteSourceFile(ts, context, sf, analysis, { access, names, recordArguments: options.recordArguments });
      } catch (error) {
        // One line in the user's build output; the stack only when asked for.
        const detail = process.env.ASYNC_INSPECT_DEBUG ? ((error as Error)?.stack ?? String(error)) : String(error).split('\n')[0];
        warn(`${MESSAGE_PREFIX} could not instrument ${file}, emitted it unchanged (${detail}); please report this`);
        return sf;
      }
    };
  };
}

/** Syntax errors (TypeScript keeps them on the internal `parseDiagnostics`). */
function hasParseErrors(sf: TS.SourceFile): boolean {
  const diagnostics = (sf as unknown as { parseDiagnostics?: unknown }).parseDiagnostics;
  return Array.isArray(diagnostics) && diagnostics.length > 0;
}

/**
 * Internal problems go to stderr, not into the diagnostics: tsc exits non-zero on any
 * diagnostic, even a warning, and a file we could not instrument is not the user's error.
 */
function warn(message: string): void {
  try {
    process.stderr.write(`${message}\n`);
  } catch {
    // nothing left to tell
  }
}
