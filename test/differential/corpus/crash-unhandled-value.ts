// An unhandled rejection with a non-Error value; a handled-later rejection is reported
// through unhandledRejection/rejectionHandled before the crash.
export {};
process.on('unhandledRejection', (reason, p) => {
  console.log('unhandledRejection', JSON.stringify(reason));
  if (reason === 'late') {
    setTimeout(() => p.catch((e) => console.log('handled late', e)), 0);
    return;
  }
  process.removeAllListeners('unhandledRejection');
  Promise.reject('final value');
});
process.on('rejectionHandled', () => console.log('rejectionHandled event'));
async function late() {
  await null;
  throw 'late';
}
async function main() {
  late();
  await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 5));
  console.log('main after timers');
  await Promise.reject({ plain: 'object' });
}
main();
