// Import cycle: _cycle-b calls an async function of _cycle-a while _cycle-a has not run
// its own top-level code yet (so not its injected preamble either).
import { a, arrowA } from './_cycle-a.js';

console.log('entry evaluated');
const main = async () => console.log(await a('from entry'), await arrowA(21));
main();
