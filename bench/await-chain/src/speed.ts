// Times N calls of `top` (7 frames and 8 awaits each) after a warm-up; prints JSON.
import { top } from './chain';

async function loop(n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await top(i);
  return sum;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300000);
  await loop(50000);
  const started = performance.now();
  const sum = await loop(n);
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ms, sum, awaitsPerCall: 8 }));
}

main();
