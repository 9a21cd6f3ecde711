import { describe, expect, it } from 'vitest';
import createTransformer, { DIAGNOSTIC_CODE } from '../../transformer/index';
import { compileGlob, createPathFilter } from '../../transformer/glob';
import { transpile, ts } from './helpers';

const SRC = 'export async function f() { await 1; }\n';

describe('option validation', () => {
  const message = (config: unknown) => {
    try {
      createTransformer(undefined, config, { ts });
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };

  it('names an unknown option', () => {
    expect(message({ recordArgs: true })).toBe(
      'async-inspect: unknown plugin option "recordArgs" in tsconfig.json "plugins". Known options: include, exclude, recordArguments (plus ts-patch\'s own keys such as "transform"). Remove it or fix its spelling.',
    );
  });

  it('names an ill-typed option and what it must be', () => {
    expect(message({ include: 'src/**' })).toBe(
      'async-inspect: plugin option "include" must be an array of glob strings (e.g. ["src/**/*.ts"]), got "src/**".',
    );
    expect(message({ exclude: [1] })).toBe('async-inspect: plugin option "exclude" must be an array of glob strings (e.g. ["src/**/*.ts"]), got [1].');
    expect(message({ recordArguments: 'yes' })).toBe('async-inspect: plugin option "recordArguments" must be true or false, got "yes".');
  });

  it("accepts ts-patch's own keys", () => {
    const config = {
      transform: 'async-inspect/transformer', import: 'default', type: 'program', after: false, afterDeclarations: false,
      tsConfig: './tsconfig.json', transformProgram: false, isEsm: false, resolvePathAliases: false, name: 'x',
      include: ['src/**'], exclude: [], recordArguments: true,
    };
    expect(message(config)).toBe('no error');
  });

  it('reports through addDiagnostic when ts-patch offers it, and then leaves files alone', () => {
    const diagnostics: ts.Diagnostic[] = [];
    const factory = createTransformer(undefined, { bogus: 1 }, { ts, addDiagnostic: (d) => diagnostics.push(d) });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ category: ts.DiagnosticCategory.Error, code: DIAGNOSTIC_CODE });
    expect(String(diagnostics[0].messageText)).toMatch(/^async-inspect: unknown plugin option "bogus"/);
    const out = ts.transpileModule(SRC, { fileName: 'a.ts', compilerOptions: { module: ts.ModuleKind.CommonJS }, transformers: { before: [factory] } });
    expect(out.outputText).not.toContain('__aiH');
  });
});

describe('include / exclude', () => {
  const instrumented = (fileName: string, config: Record<string, unknown>) => /__aiH_[0-9a-f]{12}\.e\(0\)/.test(transpile(SRC, { fileName, config }).outputText);

  it('instruments everything but node_modules by default', () => {
    expect(instrumented('src/a.ts', {})).toBe(true);
    expect(instrumented('node_modules/pkg/a.ts', {})).toBe(false);
  });

  it('matches root-relative paths', () => {
    const config = { include: ['src/**/*.ts'], exclude: ['**/*.test.ts', 'src/gen/**'] };
    expect(instrumented('src/a.ts', config)).toBe(true);
    expect(instrumented('src/deep/er/a.ts', config)).toBe(true);
    expect(instrumented('lib/a.ts', config)).toBe(false);
    expect(instrumented('src/a.test.ts', config)).toBe(false);
    expect(instrumented('src/gen/x.ts', config)).toBe(false);
  });
});

describe('glob', () => {
  it.each([
    ['**/*.ts', 'a.ts', true],
    ['**/*.ts', 'a/b/c.ts', true],
    ['**/*.ts', 'a/b/c.tsx', false],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/a/b.ts', false],
    ['src/**', 'src/a/b.ts', true],
    ['src/**', 'srcx/a.ts', false],
    ['src/**/x.ts', 'src/x.ts', true],
    ['./src/a?.ts', 'src/ab.ts', true],
    ['src/a?.ts', 'src/a/.ts', false],
    ['src/a.b+(c).ts', 'src/a.b+(c).ts', true],
    ['src/a.b.ts', 'src/aXb.ts', false],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(compileGlob(pattern).test(path)).toBe(expected);
  });

  it('combines include and exclude', () => {
    const filter = createPathFilter(['a/**'], ['a/skip/**']);
    expect([filter('a/x.ts'), filter('a/skip/x.ts'), filter('b/x.ts')]).toEqual([true, false, false]);
    expect(createPathFilter(undefined, [])('anything/at/all.ts')).toBe(true);
  });
});
