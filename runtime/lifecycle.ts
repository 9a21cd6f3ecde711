/**
 * The final snapshot: at normal exit, on an uncaught exception or unhandled rejection,
 * and on SIGINT/SIGTERM/SIGHUP — without changing how the process ends. Only listeners
 * that change nothing are used ('exit', 'uncaughtExceptionMonitor'); a signal listener
 * does change the default (Node would no longer exit), so when ours is the only one it
 * removes itself after writing and raises the signal again.
 */

import type { SnapshotReason } from '../format';
import { preciseNow } from './clock';
import { describeError } from './describe-value';
import { pendingFrames } from './live-state';
import { stopTimer, writeEnd, writeSnapshot } from './recorder';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;
let ended = false;

export function installLifecycle(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  process.on('uncaughtExceptionMonitor', onCrash);
  // Loaded here, not at the top: a program with recording off never pays for it.
  const { isMainThread } = require('node:worker_threads') as typeof import('node:worker_threads');
  if (!isMainThread) return;
  for (const signal of SIGNALS) {
    const listener = () => {
      snapshot('signal', { signal });
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, listener);
        endTrace();
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, listener);
  }
}

/** Writes a snapshot of every pending frame now. */
export function snapshot(reason: SnapshotReason, extra: { exitCode?: number; signal?: string; error?: unknown } = {}): void {
  try {
    const { frames, omitted } = pendingFrames();
    writeSnapshot({
      reason,
      time: preciseNow(),
      exitCode: extra.exitCode,
      signal: extra.signal,
      error: 'error' in extra ? describeError(extra.error) : undefined,
      frames,
      omittedFrames: omitted,
    });
  } catch {
    // Never let the inspector change how the process ends.
  }
}

function onCrash(error: unknown, origin: string): void {
  snapshot(origin === 'unhandledRejection' ? 'unhandled-rejection' : 'uncaught-exception', { error });
}

function onExit(code: number): void {
  snapshot('exit', { exitCode: code });
  endTrace();
}

function endTrace(): void {
  if (ended) return;
  ended = true;
  try {
    stopTimer();
    writeEnd(preciseNow());
  } catch {
    // As above: the process ends the way it would have.
  }
}
