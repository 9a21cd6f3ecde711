// Completes a million separate tasks (each a root frame started from plain, uninstrumented
// code, like a request handler) and samples memory along the way: what the runtime keeps
// must not grow with the number of completed tasks.
import { top } from './chain.js';

const total = Number(process.argv[2] ?? 1000000);
const batch = 10000;
const samples: { tasks: number; rssMB: number; heapMB: number }[] = [];
let done = 0;

function sample(): void {
  const m = process.memoryUsage();
  samples.push({ tasks: done, rssMB: Math.round(m.rss / 1048576), heapMB: Math.round(m.heapUsed / 1048576) });
}

function runBatch(): void {
  const pending: Promise<number>[] = [];
  for (let i = 0; i < batch; i++) pending.push(top(done + i));
  Promise.all(pending).then(() => {
    done += batch;
    if (done % 100000 === 0) {
      (globalThis as { gc?: () => void }).gc?.();
      sample();
    }
    if (done < total) setImmediate(runBatch);
    else finish();
  });
}

function finish(): void {
  let stats: unknown;
  try {
    stats = require('async-inspect').getRecorderStats();
  } catch {
    stats = null;
  }
  console.log(JSON.stringify({ tasks: done, samples, recorder: stats }));
}

sample();
runBatch();
