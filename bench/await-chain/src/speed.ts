// Times N calls of `top` (7 frames and 6 awaits each, plus the loop's own await of it: 7
// awaits per call) after a warm-up, in SLICES equal slices timed one by one; prints JSON
// with the whole time and each slice's time.
import { top } from './chain';

const SLICES = 10;

async function loop(n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await top(i);
  return sum;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300000);
  await loop(50000);
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
