/**
 * Async generators dropped while they wait for their consumer. A generator suspended at a
 * `yield` whose consumer stops calling `next()` (and never calls `return()`) is garbage to
 * the program, and V8 collects it; its frame would stay in the frame table for the rest of
 * the process. Each async generator's frame therefore hands the runtime a token object
 * that the generator's own code keeps alive until the frame ends; when the token is
 * collected, so was the generator, and the frame ends as abandoned (frames.ts).
 *
 * Only async generators pay for this (one object and one registration per generator run);
 * async functions cannot be dropped half-way except at an await that can no longer settle,
 * which is a stuck await and stays on record.
 */

import { abandonFrame } from './frames';
import { isYieldSite } from './site-registry';

interface Watched {
  slot: number;
  id: number;
}

let registry: FinalizationRegistry<Watched> | undefined;
let unavailable = false;

/** Watches `token`, which lives as long as the generator whose frame is `id` in `slot`. */
export function watchGenerator(token: object, slot: number, id: number): void {
  if (unavailable) return;
  try {
    registry ??= new FinalizationRegistry(collected);
    registry.register(token, { slot, id });
  } catch {
    // No FinalizationRegistry (an unusual embedder), or an odd token from foreign code:
    // the frame then just stays pending, as every frame did before.
    unavailable = registry === undefined;
  }
}

function collected(watched: Watched): void {
  try {
    abandonFrame(watched.slot, watched.id, isYieldSite);
  } catch {
    // The runtime's own trouble must never reach the program.
  }
}
