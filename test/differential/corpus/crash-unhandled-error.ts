// An unhandled rejection (an Error) crashes the process: stderr and exit code must match.
async function inner() {
  await null;
  const err = new Error('boom from inner') as Error & { code?: string };
  err.code = 'E_INNER';
  throw err;
}
async function outer() {
  console.log('outer start');
  await inner();
  console.log('never printed');
}
process.on('exit', (code) => console.log('exit event', code));
outer();
Promise.resolve().then(() => console.log('tick 1')).then(() => console.log('tick 2')).then(() => console.log('tick 3'));
setTimeout(() => console.log('timer never runs'), 0);
