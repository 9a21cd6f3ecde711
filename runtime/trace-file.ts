/**
 * The trace file of this process: created owner-only in the trace directory, written
 * with synchronous appends (so that a crash or `process.exit()` loses nothing already
 * handed over), capped in size, with old traces of the directory pruned.
 *
 * Any file-system trouble turns into one warning and a "not writable" state; the caller
 * counts what could not be written.
 */

import { closeSync, fchmodSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TRACE_EXTENSION } from '../format/records';
import { encodeMagic } from '../format/writer';
import { warnOnce } from './warn';

const PREFIX = 'trace-';

export class TraceFile {
  private fd = -1;
  private bytes = 0;
  private failed = false;
  path?: string;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
    private readonly maxFiles: number,
  ) {}

  /** Opens the file lazily; false when it cannot be written (already warned). */
  private ensureOpen(): boolean {
    if (this.fd >= 0) return true;
    if (this.failed) return false;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      if (!statSync(this.dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
      this.prune();
      const path = join(this.dir, fileName());
      this.fd = openSync(path, 'wx', 0o600);
      fchmodSync(this.fd, 0o600);
      this.path = path;
      this.write(encodeMagic());
      return this.fd >= 0;
    } catch (error) {
      this.fail(`cannot write traces to ${this.dir} (${describeFsError(error)}); the program runs on without a trace`);
      return false;
    }
  }

  /**
   * Opens the file (if not yet) for the helper thread, which appends event records
   * through the descriptor; returns it, or -1 when the file cannot be written.
   */
  openForHelper(): number {
    return this.ensureOpen() ? this.fd : -1;
  }

  /** Counts bytes the helper thread appends, for the cap. */
  countWrittenElsewhere(bytes: number): void {
    this.bytes += bytes;
  }

  /** The helper thread's write failed with `code` (e.g. ENOSPC): the same warning and state as a failed write here. */
  failedElsewhere(code: string): void {
    if (this.failed) return;
    // The descriptor stays open: a stalled helper may still be inside a write through it,
    // and a closed number could be reused by the program for a file of its own.
    this.fail(`writing the trace ${this.path} failed (${describeFsError({ code })}); later events are dropped and counted`, false);
  }

  /** Room left before the cap, keeping `reserve` bytes back for the final records. */
  room(reserve: number): number {
    return this.maxBytes - reserve - this.bytes;
  }

  /** Appends the parts one after the other; false when they were not (all) written. */
  append(...parts: Uint8Array[]): boolean {
    if (!this.ensureOpen()) return false;
    for (const part of parts) if (!this.write(part)) return false;
    return true;
  }

  get writable(): boolean {
    return !this.failed;
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      closeSync(this.fd);
    } catch {
      // Already closed: nothing to do.
    }
    this.fd = -1;
  }

  private write(data: Uint8Array): boolean {
    try {
      let off = 0;
      while (off < data.length) off += writeSync(this.fd, data, off, data.length - off);
      this.bytes += data.length;
      return true;
    } catch (error) {
      this.fail(`writing the trace ${this.path} failed (${describeFsError(error)}); later events are dropped and counted`);
      return false;
    }
  }

  private fail(message: string, close = true): void {
    this.failed = true;
    warnOnce('trace-file', message);
    if (close) this.close();
  }

  /** Deletes the oldest trace files so that, with the new one, at most `maxFiles` remain. */
  private prune(): void {
    const traces = readdirSync(this.dir)
      .filter((name) => name.startsWith(PREFIX) && name.endsWith(TRACE_EXTENSION))
      .sort();
    for (const name of traces.slice(0, Math.max(0, traces.length - (this.maxFiles - 1)))) {
      try {
        unlinkSync(join(this.dir, name));
      } catch {
        // Another process may have removed it first.
      }
    }
  }
}

/** trace-20261126T145501123-4242.aitrace: sorts by start time. */
function fileName(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '').replace('Z', '');
  return `${PREFIX}${stamp}-${process.pid}${TRACE_EXTENSION}`;
}

function describeFsError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e && e.code === 'ENOTDIR') return 'it is not a directory';
  if (e && e.code === 'EEXIST') return 'a file is in the way';
  if (e && e.code === 'EACCES') return 'permission denied';
  if (e && e.code === 'ENOSPC') return 'no space left on the device';
  return (e && (e.code ?? e.message)) || String(error);
}
