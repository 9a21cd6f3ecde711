// Times N calls of `top` (7 frames and 6 awaits each, plus the loop's own await of it: 7
// awaits per call) after a warm-up, in SLICES equal slices timed one by one; prints JSON
// with the whole time and each slice's time.
import { loop } from './loop.js';

const SLICES = 10;

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300000);
  // Warm-up: 800,000 calls, in loops of 10,000. Long, because the plain build gets ~10%
  // faster part-way: V8 grows its young generation from 1 to 2 MB after some 350,000 to
  // 550,000 calls (fewer scavenges), while the instrumented builds start with 2 MB (the
  // runtime's own start-up allocations make V8 grow it early). A shorter warm-up compared
  // them against a plain build that had not reached its steady state yet. In loops, so that
  // the loop's own exit path has run too: code optimized before its return ever ran is
  // thrown away at that first return and re-optimized while the first timed slices run.
  for (let warm = 0; warm < 80; warm++) await loop(10000);
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
