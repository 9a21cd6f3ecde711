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
  // Warm-up: 50,000 calls, in five loops so that the loop's own exit path runs too. Code
  // optimized before its return ever ran is thrown away at that first return (V8 had no
  // feedback for it) and re-optimized while the first timed slices run; the instrumented
  // loop's exit (its `finally`) is where that bit, so one long warm-up loop charged the
  // recording build for a re-optimization the plain build does not need.
  for (let warm = 0; warm < 5; warm++) await loop(10000);
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
