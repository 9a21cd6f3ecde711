// Helper of cycle-entry.ts: evaluated first, calls into _cycle-a before _cycle-a ran.
import { a } from './_cycle-a.js';

export function b() {
  return 'b() called';
}
console.log('b evaluating');
a('from b at top level').then(
  (v) => console.log(v),
  (e) => console.log('a failed', e),
);
