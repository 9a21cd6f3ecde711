// No import/export: a script. In a CommonJS build it must stay sloppy mode (no "use strict"
// injected by turning it into a module); in an ESM build it is a module either way.
var topVar = 'top';
function sloppyThis(this: unknown) { return this === undefined ? 'strict' : 'sloppy'; }
async function asyncSloppy(this: unknown) {
  await null;
  return this === undefined ? 'strict' : 'sloppy';
}
async function withArgumentsAliasing(a: number) {
  arguments[0] = 42;
  await null;
  return a; // sloppy: mapped arguments object changes `a`
}
async function scriptMain() {
  console.log('sync function mode', sloppyThis());
  console.log('async function mode', await asyncSloppy());
  console.log('arguments aliasing', await withArgumentsAliasing(1));
  console.log('top-level var', topVar);
  try {
    // Assigning to an undeclared name: ReferenceError only in strict mode.
    eval('undeclaredName = 1');
    console.log('implicit global created', typeof (globalThis as any).undeclaredName);
  } catch (e) {
    console.log('implicit global failed', (e as Error).constructor.name);
  }
}
scriptMain();
