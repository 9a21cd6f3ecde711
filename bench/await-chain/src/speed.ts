// Times N calls of `top` (7 frames and 6 awaits each, plus the loop's own await of it: 7
// awaits per call) after a warm-up, in SLICES equal slices timed one by one; prints JSON
// with the whole time and each slice's time.
import { top } from './chain.js';

const SLICES = 10;

async function loop(n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await top(i);
  return sum;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300000);
  // Warm-up: 400,000 calls, in loops of 10,000. Long, because the plain build keeps getting
  // faster for a while: after 50,000 calls it runs ~12 ms per 30,000-call slice, after
  // 400,000 mostly ~11 ms (V8 re-optimizes with more feedback; the recording build does
  // not change: ~18 ms either way), and a short warm-up compared the recording build
  // against a plain build that was not done yet. In loops, so that the loop's own exit path
  // has run too: code optimized before its return ever ran is thrown away at that first
  // return and re-optimized while the first timed slices run.
  for (let warm = 0; warm < 40; warm++) await loop(10000);
  const slices: number[] = [];
  let sum = 0;
  const started = performance.now();
  for (let s = 0; s < SLICES; s++) {
    const sliceStarted = performance.now();
    sum += await loop(n / SLICES);
    slices.push(performance.now() - sliceStarted);
  }
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ms, slices, sum, awaitsPerCall: 7 }));
}

main();
