// One process, two builds: loads the plain and the instrumented build of the await chain
// side by side and times them in alternating slices, so that both see the same machine at
// (nearly) the same moment. Separate processes, as `speed` runs them, read the machine's
// swings (a whole run slower by half) as differences between builds; slices a few
// milliseconds apart mostly do not.
//
// usage: node --expose-gc paired.mjs PLAIN_DIR INSTRUMENTED_DIR [PAIRS] [CALLS_PER_SLICE]
// prints JSON: { plain: [ms...], instrumented: [ms...] }, one entry per slice, in pairs.
//
// Each build has its own functions, so V8 optimizes each on its own feedback; what they
// share is the heap. A minor collection before every slice starts each one with an empty
// young generation, so that a slice pays for its own garbage, not for the other build's.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [plainDir, instrumentedDir] = process.argv.slice(2, 4);
const pairs = Number(process.argv[4] ?? 60);
const calls = Number(process.argv[5] ?? 20000);
if (!plainDir || !instrumentedDir || typeof globalThis.gc !== 'function') {
  console.error('usage: node --expose-gc paired.mjs PLAIN_DIR INSTRUMENTED_DIR [PAIRS] [CALLS_PER_SLICE]');
  process.exit(2);
}

const load = async (dir) => (await import(pathToFileURL(resolve(dir, 'loop.js')).href)).loop;
const builds = { plain: await load(plainDir), instrumented: await load(instrumentedDir) };

async function timeSlice(loop) {
  globalThis.gc({ type: 'minor' });
  const started = performance.now();
  await loop(calls);
  return performance.now() - started;
}

// The same warm-up as speed.js (800,000 calls in loops of 10,000), for each build.
for (let warm = 0; warm < 80; warm++) {
  await builds.plain(10000);
  await builds.instrumented(10000);
}

const times = { plain: [], instrumented: [] };
for (let pair = 0; pair < pairs; pair++) {
  // Alternate which build goes first, so neither always follows the other's garbage.
  const order = pair % 2 === 0 ? ['plain', 'instrumented'] : ['instrumented', 'plain'];
  for (const name of order) times[name].push(await timeSlice(builds[name]));
}
console.log(JSON.stringify(times));
