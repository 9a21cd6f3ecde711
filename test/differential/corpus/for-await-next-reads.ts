// Minimal: how often `for await` reads the iterator's `next` property. Natively (es2022)
// once per loop; TypeScript's es2017 downlevel reads it before every step. The instrumented
// build must read it exactly as often as the plain build of the same target.
export {};
let reads = 0;
const iterator = {
  i: 0,
  get next() {
    reads++;
    return () => Promise.resolve({ value: this.i, done: this.i++ >= 2 });
  },
};
async function main() {
  for await (const v of { [Symbol.asyncIterator]: () => iterator }) console.log('value', v);
  console.log('next was read', reads, 'times');
}
main();
