// Import cycle: _cycle-b calls an async function of _cycle-a while _cycle-a has not run
// its own top-level code yet (so not its injected preamble either).
import { a } from './_cycle-a.js';

console.log('entry evaluated');
a('from entry').then((v) => console.log(v));
