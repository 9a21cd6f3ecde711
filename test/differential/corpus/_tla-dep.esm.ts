// Helper module (never run on its own): a dependency that suspends at top level.
export const order: string[] = [];
order.push('dep start');
const value = await new Promise<string>((r) => setTimeout(r, 0, 'dep value'));
order.push(`dep after await: ${value}`);
export async function depAsync(x: number) {
  await null;
  return x * 2;
}
export const fromTopLevel = await depAsync(21);
order.push('dep end');
