/**
 * One temporary root for the whole test run, removed at the end.
 *
 * The tests make many temporary directories (trace directories, fixture projects, fake
 * traces for the CLI) with `mkdtempSync(join(tmpdir(), ...))`, and the programs they start
 * may make more. Rather than have every test clean up after itself (and leak whenever a test
 * fails or a worker is killed), this puts them all under one fresh owner-only directory,
 * e.g. /tmp/async-inspect-test-XXXXXX, and deletes that directory when the run ends.
 *
 * It works by pointing TMPDIR at the root, which `os.tmpdir()` reads on every call. This
 * runs in Vitest's main process before any worker starts, and Vitest starts each worker with
 * a copy of the main process's `process.env` taken at that moment, so the workers (and the
 * child processes they start with `{ ...process.env }`) see the root as their tmpdir;
 * test/tmpdir.test.ts checks that, against the root handed over with `provide`. (Programs
 * started with a minimal env, e.g. `{ PATH, ASYNC_INSPECT_DIR }`, fall back to /tmp, but they
 * write nothing there: the runtime keeps its files in ASYNC_INSPECT_DIR.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's temporary root (what TMPDIR points at in the workers). */
    testTmpRoot: string;
  }
}

export default function setup(project: TestProject): () => void {
  const previous = process.env.TMPDIR;
  // mkdtemp makes the directory 0700; it goes wherever the user's own TMPDIR points.
  const root = mkdtempSync(join(tmpdir(), 'async-inspect-test-'));
  process.env.TMPDIR = root;
  project.provide('testTmpRoot', root);

  const remove = () => {
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  };
  // Vitest calls the returned teardown when the run ends, failed tests included; but on
  // Ctrl-C it exits without it, so also remove the root at process exit.
  const onExit = () => {
    try {
      remove();
    } catch {
      // best effort: a child still writing into the root at exit
    }
  };
  process.once('exit', onExit);
  return () => {
    process.off('exit', onExit);
    remove();
  };
}
