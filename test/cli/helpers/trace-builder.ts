/**
 * Hand-made traces for CLI tests, written with the real format writer: declare source
 * files (written to a temp project so code context can find them), then play events.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import {
  EventKind,
  RecordType,
  TRACE_FORMAT_VERSION,
  encodeEventCode,
  encodeEventRows,
  encodeJsonRecord,
  encodeMagic,
  type AwaitSiteTuple,
  type ErrorInfo,
  type FunctionSiteTuple,
  type SnapshotRecord,
} from '../../../format';

export interface SourceFile {
  /** Global site id of the i-th function of the file. */
  fn(i: number): number;
  /** Global site id of the i-th await of the file. */
  at(i: number): number;
}

export class TraceBuilder {
  readonly root: string;
  private nextSite = 1;
  private nextFrame = 1;
  private readonly records: Buffer[] = [];
  private events: number[] = [];
  private readonly frameTask = new Map<number, number>();

  constructor(root = mkdtempSync(join(tmpdir(), 'ai-cli-'))) {
    this.root = root;
    this.records.push(
      encodeJsonRecord(RecordType.header, {
        format: TRACE_FORMAT_VERSION,
        runtime: '0.1.0',
        pid: 4242,
        argv: ['/usr/bin/node', join(root, 'dist/main.js')],
        cwd: root,
        startTime: Date.UTC(2025, 0, 1),
        node: 'v20.0.0',
        mode: 'development',
      }),
    );
  }

  /**
   * Writes `source` to the project (unless the path leaves it) and registers its site table. `hashOf` overrides the
   * recorded text (to simulate a changed file); null records an empty hash.
   */
  file(path: string, source: string, functions: FunctionSiteTuple[], awaits: AwaitSiteTuple[], hashOf: string | null = source): SourceFile {
    const abs = join(this.root, path);
    if (!isAbsolute(path) && !path.startsWith('..')) {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, source);
    }
    const hash = hashOf === null ? '' : createHash('sha256').update(hashOf).digest('hex').slice(0, 16);
    const base = this.nextSite;
    this.nextSite += functions.length + awaits.length;
    this.records.push(encodeJsonRecord(RecordType.sites, { base, table: { v: 1, file: path, root: this.root, hash, functions, awaits } }));
    return { fn: (i) => base + i, at: (i) => base + functions.length + i };
  }

  /** A new task's root frame; returns its frame id. */
  spawn(time: number, fn: number, task: number): number {
    const id = this.nextFrame++;
    this.frameTask.set(id, task);
    this.push(encodeEventCode(EventKind.enter, fn), id, -task, time);
    return id;
  }

  call(time: number, parent: number, fn: number): number {
    const id = this.nextFrame++;
    this.frameTask.set(id, this.frameTask.get(parent) ?? 0);
    this.push(encodeEventCode(EventKind.enter, fn), id, parent, time);
    return id;
  }

  suspend(time: number, frame: number, site: number): this {
    this.push(encodeEventCode(EventKind.suspend, site), frame, 0, time);
    return this;
  }

  resume(time: number, frame: number): this {
    this.push(EventKind.resume, frame, 0, time);
    return this;
  }

  /** suspend at `site` from `time` for `wait` ms, then resume. */
  wait(time: number, frame: number, site: number, wait: number): this {
    return this.suspend(time, frame, site).resume(time + wait, frame);
  }

  ret(time: number, frame: number): this {
    this.push(EventKind.return, frame, 0, time);
    return this;
  }

  throw(time: number, frame: number, error: number): this {
    this.push(EventKind.throw, frame, error, time);
    return this;
  }

  errors(errors: ErrorInfo[]): this {
    this.flush();
    this.records.push(encodeJsonRecord(RecordType.errors, { errors }));
    return this;
  }

  snapshot(snapshot: Omit<SnapshotRecord, 'omittedFrames'> & { omittedFrames?: number }): this {
    this.flush();
    this.records.push(encodeJsonRecord(RecordType.snapshot, { omittedFrames: 0, ...snapshot }));
    return this;
  }

  taskOf(frame: number): number {
    return this.frameTask.get(frame) ?? 0;
  }

  /** Writes buffered events as one `events` record. */
  flush(): this {
    if (this.events.length === 0) return this;
    this.records.push(encodeEventRows(this.events));
    this.events = [];
    return this;
  }

  bytes(): Buffer {
    this.flush();
    return Buffer.concat([encodeMagic(), ...this.records]);
  }

  /** Writes the trace to `<root>/.async-inspect/<name>` and returns its path. */
  save(name = 'run-1.aitrace', bytes = this.bytes()): string {
    const dir = join(this.root, '.async-inspect');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  private push(code: number, frame: number, arg: number, time: number): void {
    this.events.push(code, frame, arg, time);
  }
}
