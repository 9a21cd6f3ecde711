import * as path from 'node:path';
import type * as TS from 'typescript';

/**
 * The project root: the directory of the tsconfig (`configFilePath`), else `rootDir`,
 * else the working directory. Site tables name files relative to it.
 */
export function getProjectRoot(options: TS.CompilerOptions): string {
  const configFilePath = options.configFilePath;
  if (typeof configFilePath === 'string' && configFilePath) return path.dirname(path.resolve(configFilePath));
  if (typeof options.rootDir === 'string' && options.rootDir) return path.resolve(options.rootDir);
  return process.cwd();
}

/** `src/a.ts` for `<root>/src/a.ts`, always with '/' separators. */
export function relativeFileName(root: string, fileName: string): string {
  return path.relative(root, path.resolve(root, fileName)).split(path.sep).join('/');
}
