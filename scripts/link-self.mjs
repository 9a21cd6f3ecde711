// Makes `async-inspect` resolvable from fixtures/ (and the demo there) and bench/ exactly
// as it is from a user's project: <dir>/node_modules/async-inspect -> the repository root.
import { mkdirSync, symlinkSync, readlinkSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const dir of ['fixtures', 'bench']) {
  const link = join(root, dir, 'node_modules', 'async-inspect');
  const target = relative(dirname(link), root);
  mkdirSync(dirname(link), { recursive: true });
  let current;
  try { current = readlinkSync(link); } catch { current = undefined; }
  if (current !== target) {
    rmSync(link, { force: true, recursive: true });
    symlinkSync(target, link, 'dir');
  }
}
