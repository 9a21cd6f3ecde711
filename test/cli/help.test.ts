/**
 * `--help` output is kept in golden files (test/cli/golden/), which double as documentation.
 * After an intended change, regenerate them with UPDATE_GOLDEN=1 npx vitest run test/cli/help.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { commands } from '../../cli/main';
import { runCli } from './helpers/run-cli';

const GOLDEN = join(__dirname, 'golden');

function golden(name: string, actual: string): void {
  const path = join(GOLDEN, `${name}.help.txt`);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  expect(existsSync(path), `missing golden file ${path} (UPDATE_GOLDEN=1 writes it)`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('--help', () => {
  test('async-inspect --help', async () => {
    const r = await runCli(['--help'], { cwd: GOLDEN });
    expect(r.code).toBe(0);
    golden('main', r.stdout);
  });

  test.each(Object.keys(commands))('async-inspect %s --help', async (name) => {
    const r = await runCli([name, '--help'], { cwd: GOLDEN });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`async-inspect ${name} — `);
    golden(name, r.stdout);
  });

  test('every flag a command accepts is in its help', async () => {
    for (const [name, entry] of Object.entries(commands)) {
      const { spec } = await entry.load();
      const help = readFileSync(join(GOLDEN, `${name}.help.txt`), 'utf8');
      for (const flag of Object.keys(spec.flags)) expect(help).toContain(`--${flag}`);
    }
  });

  test('no command prints the usage on stderr with exit 2', async () => {
    const r = await runCli([], { cwd: GOLDEN });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage:');
  });
});
