// process.exitCode set inside an async function, and a pending promise that never settles.
export {};
async function neverSettles() {
  await new Promise(() => {});
  console.log('never printed');
}
async function main() {
  neverSettles();
  await null;
  process.exitCode = 3;
  console.log('exit code set');
  await new Promise((r) => setImmediate(r));
  console.log('main returns');
}
process.on('beforeExit', () => console.log('beforeExit'));
process.on('exit', (code) => console.log('exit', code));
main();
