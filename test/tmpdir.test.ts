/**
 * test/global-setup.ts points TMPDIR at one temporary root per run and removes it at the
 * end; that only stops the tests from filling /tmp if the workers, and the programs they
 * start, really see it.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { expect, inject, test } from 'vitest';
import type {} from './global-setup'; // the type of inject('testTmpRoot')

test('temporary files of the tests and their child processes go under the run\'s own root', () => {
  const root = inject('testTmpRoot');
  expect(root).toMatch(/async-inspect-test-[^/]+$/);
  expect(statSync(root).mode & 0o777).toBe(0o700);
  expect(tmpdir()).toBe(root);
  const child = spawnSync(process.execPath, ['-p', "require('node:os').tmpdir()"], { env: { ...process.env }, encoding: 'utf8' });
  expect(child.stdout.trim()).toBe(root);
});
