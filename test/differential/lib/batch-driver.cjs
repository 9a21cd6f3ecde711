'use strict';
// Runs every program of a compiled batch, one after the other, in this one process; prints
// one JSON line (the program's log) per program. A program is finished when its `run`
// promise settled and none of its `later` callbacks is pending.
const { pathToFileURL } = require('node:url');
const file = process.argv[2];
// An ES module batch (.mjs) is imported; a CommonJS one required.
const load = () => (file.endsWith('.mjs') ? import(pathToFileURL(file).href) : Promise.resolve(require(file)));

function fmt(v) {
  if (v instanceof Error) {
    const errors = v instanceof AggregateError ? `[${v.errors.map(fmt).join(',')}]` : '';
    return `${v.constructor.name}(${v.message})${errors}`;
  }
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return `fn ${v.name}`;
  if (v && typeof v === 'object') return JSON.stringify(v, (_, x) => (x instanceof Error ? fmt(x) : x));
  return typeof v === 'string' ? v : String(v);
}

let current = [];
let pending = 0;
process.on('unhandledRejection', (reason) => current.push(`UNHANDLED ${fmt(reason)}`));
process.on('rejectionHandled', () => current.push('HANDLED'));
const turn = () => new Promise((r) => setImmediate(r));

async function main() {
  const batch = await load();
  for (const { macro, run } of batch.programs) {
    const log = (label, ...values) => current.push([label, ...values.map(fmt)].join(' '));
    const later = (fn) => {
      pending++;
      const cb = () => { pending--; fn(); };
      if (macro === 'timeout') setTimeout(cb, 0);
      else setImmediate(cb);
    };
    current = [];
    let settled = false;
    run({ log, later }).then((v) => log('RESOLVED', v), (e) => log('REJECTED', e)).then(() => (settled = true));
    const deadline = Date.now() + 5000;
    while (!settled || pending > 0) {
      if (Date.now() > deadline) { current.push('TIMEOUT'); break; }
      await turn();
    }
    process.stdout.write(JSON.stringify(current) + '\n');
  }
}
main();
