// Top-level await in an ES module, importing a module that itself suspends at top level.
import { depAsync, fromTopLevel, order } from './_tla-dep.esm.js';

let step = 0;
const log = (...a: unknown[]) => console.log(String(++step).padStart(3), ...a);

log('main start', JSON.stringify(order), fromTopLevel);
Promise.resolve().then(() => log('tick 1')).then(() => log('tick 2')).then(() => log('tick 3'));
queueMicrotask(() => log('microtask'));
log('tla plain', await 1);
log('tla resolved', await Promise.resolve('r'));
log('tla thenable', await { then(r: (v: string) => void) { r('thenable'); } });
log('import.meta.url kind', typeof import.meta.url, import.meta.url.startsWith('file:'));
log('top-level this', this === undefined);
try {
  await Promise.reject(new Error('tla rejection'));
} catch (e) {
  log('tla caught', (e as Error).message);
} finally {
  log('tla finally', await depAsync(2));
}
for (const x of await Promise.resolve([1, 2])) log('tla loop', await x);
for await (const x of [Promise.resolve('fa1'), 'fa2']) log('tla for await', x);
const arrow = async () => { await null; return import.meta.url === undefined; };
log('arrow in module', await arrow());
log('main end');
