// The timed loop, in the build itself: its own await of `top` is instrumented too, and the
// paired measurement (bench/paired.mjs) can load the plain and the instrumented loop into
// one process.
import { top } from './chain.js';

export async function loop(n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await top(i);
  return sum;
}
