import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this package), resolved from this file. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const CORPUS_DIR = join(REPO_ROOT, 'test/differential/corpus');
export const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
export const TSPC = join(REPO_ROOT, 'node_modules/ts-patch/bin/tspc.js');
export const TRANSFORMER_JS = join(REPO_ROOT, 'dist/transformer/index.js');
export const HOOKS_JS = join(REPO_ROOT, 'dist/runtime/hooks.js');

/**
 * A fresh temp dir in which `async-inspect` resolves exactly as in a user's project:
 * `<tmp>/node_modules/async-inspect` is a symlink to the repository root.
 */
export function createTempProject(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `ai-diff-${prefix}-`));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'async-inspect'), 'dir');
  return dir;
}
