/**
 * Reads a trace file through the format reader. Incremental: `readMore()` feeds only the
 * bytes appended since the last read, so a viewer can follow a trace that is still growing.
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { TraceDecoder, TraceFormatError, type ParsedTrace } from '../../format';
import { CliError, ExitCode } from '../errors';

const CHUNK_BYTES = 8 * 1024 * 1024;

export class TraceFile {
  private readonly decoder = new TraceDecoder();
  private offset = 0;

  constructor(readonly path: string) {}

  /** Reads what was appended since the last call; returns the number of new bytes. */
  readMore(): number {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (error) {
      throw new CliError(`cannot read trace ${this.path}: ${describeIoError(error)}`, ExitCode.noTrace);
    }
    const start = this.offset;
    try {
      const size = fstatSync(fd).size;
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(0, size - this.offset)));
      while (this.offset < size) {
        const n = readSync(fd, buffer, 0, Math.min(buffer.length, size - this.offset), this.offset);
        if (n <= 0) break;
        this.offset += n;
        this.push(buffer.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
    return this.offset - start;
  }

  /** The trace as read so far. */
  result(): ParsedTrace {
    try {
      return this.decoder.result();
    } catch (error) {
      throw asCliError(error, this.path);
    }
  }

  private push(bytes: Buffer): void {
    try {
      this.decoder.push(bytes);
    } catch (error) {
      throw asCliError(error, this.path);
    }
  }
}

/** Reads a whole trace file. */
export function loadTraceFile(path: string): ParsedTrace {
  const file = new TraceFile(path);
  file.readMore();
  return file.result();
}

function asCliError(error: unknown, path: string): unknown {
  if (error instanceof TraceFormatError) return new CliError(`cannot read ${path}: ${error.message}`, ExitCode.noTrace);
  return error;
}

function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return (error as Error)?.message ?? String(error);
}
