// Minimal: two `await using` declarations in one block are disposed by one disposal
// sequence; a then-chain started alongside exposes any extra tick between the disposals.
export {};
const log = (s: string) => console.log(s);
const res = (name: string) => ({ async [Symbol.asyncDispose]() { log(`dispose ${name}`); } });
async function f() {
  await using a = res('a');
  await using b = res('b');
  log('body');
}
f().then(() => log('f done'));
Promise.resolve().then(() => log('tick 1')).then(() => log('tick 2')).then(() => log('tick 3')).then(() => log('tick 4'));
