// A throw from a timer callback scheduled after awaits; exit code set by the program.
export {};
async function schedule() {
  await null;
  await Promise.resolve();
  setTimeout(() => {
    console.log('timer fires');
    throw new RangeError('thrown in timer');
  }, 0);
  console.log('scheduled');
}
process.on('exit', (code) => console.log('exit event', code, process.exitCode));
schedule();
