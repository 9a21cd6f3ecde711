/**
 * The event ring's hand-over protocol with the real helper thread, in this process:
 * segments queued out of ring order are written in queue order, whole, through the
 * descriptor the recorder gives; a failing write comes back as an errno and the events it
 * lost, and later segments are not written after it; a helper stuck in a write is given
 * up on instead of blocking the program.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getSystemErrorName } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { clockMs } from '../../runtime/clock';
import {
  CONTROL,
  HEAD_WORDS,
  SEGMENT_WORDS,
  STALLED,
  control,
  drainRing,
  helperWrites,
  queueSegment,
  ring,
  takeHelperFailure,
} from '../../runtime/event-ring';
import { startHelperThread } from '../../runtime/helper-thread';

const bytes = new Uint8Array(ring.buffer);

/** Fills `words` words of `segment` after its head with `value` and queues them; returns the bytes queued. */
function queueFilled(segment: number, words: number, value: number, events = words): Buffer {
  const first = segment * SEGMENT_WORDS + HEAD_WORDS;
  ring.fill(value, first, first + words);
  queueSegment(segment, first * 4, words * 4, events);
  return Buffer.from(bytes.subarray(first * 4, (first + words) * 4));
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  startHelperThread();
  await until(() => helperWrites() && clockMs[1] === 1, 'the helper thread');
});

describe('helper thread', () => {
  it('ticks the shared clock', async () => {
    const before = clockMs[0];
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clockMs[1]).toBe(1);
    expect(clockMs[0] - before).toBeGreaterThanOrEqual(10);
  });

  it('writes queued segments whole and in the order they were queued, not ring order', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'async-inspect-ring-')), 'out');
    writeFileSync(path, 'start:');
    const fd = openSync(path, 'a');
    control[CONTROL.fd] = fd;
    const third = queueFilled(2, 40_000, 0x33333333);
    const first = queueFilled(0, 30_000, 0x11111111);
    const second = queueFilled(1, 50_000, 0x22222222);
    expect(drainRing()).toBe(true);
    closeSync(fd);
    expect(readFileSync(path).equals(Buffer.concat([Buffer.from('start:'), third, first, second]))).toBe(true);
    expect(takeHelperFailure()).toBeUndefined();
  });

  it('reports a failed write as its errno and the events lost, and writes nothing after it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'async-inspect-ring-')), 'read-only');
    writeFileSync(path, 'x');
    const fd = openSync(path, 'r');
    control[CONTROL.fd] = fd;
    queueFilled(3, 1000, 7, 400);
    queueFilled(0, 1000, 8, 300);
    expect(drainRing()).toBe(true);
    closeSync(fd);
    const failure = takeHelperFailure();
    expect(failure?.events).toBe(700);
    expect(getSystemErrorName(failure!.errno)).toBe('EBADF');
    expect(readFileSync(path, 'utf8')).toBe('x');
    Atomics.store(control, CONTROL.failedErrno, 0); // as in a fresh process, for the next test
  });

  // Last: the helper writes nothing after being given up on. A FIFO nobody reads takes
  // 64 KiB and then blocks the helper inside its write, as a hung disk would.
  it('gives up on a helper stuck in a write after 10 s, counting what it held', () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'async-inspect-ring-')), 'fifo');
    execFileSync('mkfifo', [fifo]);
    const writeEnd = openSync(fifo, 'r+'); // read-write: opening does not wait for a reader
    control[CONTROL.fd] = writeEnd;
    queueFilled(1, 60_000, 1, 111);
    queueFilled(2, 60_000, 2, 222);
    const started = Date.now();
    expect(drainRing()).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_900);
    expect(helperWrites()).toBe(false);
    expect(takeHelperFailure()).toEqual({ errno: STALLED, events: 333 });
    // Let the helper finish its write, so that this process can exit.
    const readEnd = openSync(fifo, 'r');
    const buffer = Buffer.alloc(65536);
    for (let read = 0; read < 60_000 * 4; ) read += readSync(readEnd, buffer);
    closeSync(readEnd);
    closeSync(writeEnd);
  }, 30_000);
});
