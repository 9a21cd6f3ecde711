// The worst case for any await instrumentation: chains of async calls that await values
// which are already settled, so the await itself is as cheap as it gets (~50-70 ns).

export async function leaf(v: number): Promise<number> {
  return v + 1;
}

export async function middle(v: number): Promise<number> {
  const a = await leaf(v);
  const b = await leaf(a);
  return b;
}

export async function top(v: number): Promise<number> {
  const x = await middle(v);
  const y = await middle(x);
  return y;
}
