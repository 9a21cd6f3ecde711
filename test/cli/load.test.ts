import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { TraceFile } from '../../cli/load/trace-file';
import { buildModel } from '../../cli/model/build-model';
import { buildServiceScenario } from './helpers/scenarios';

test('TraceFile reads a growing trace incrementally: only new bytes, cut until complete', () => {
  const { builder } = buildServiceScenario();
  const bytes = builder.bytes();
  const path = join(builder.root, 'growing.aitrace');
  const half = Math.floor(bytes.length / 2);
  writeFileSync(path, bytes.subarray(0, half));
  const file = new TraceFile(path);
  expect(file.readMore()).toBe(half);
  const partial = file.result();
  expect(partial.cut?.reason).toMatch(/incomplete|ends inside/);
  expect(buildModel(partial).notes[0]).toMatch(/^the trace was cut/);
  expect(file.readMore()).toBe(0);
  appendFileSync(path, bytes.subarray(half));
  expect(file.readMore()).toBe(bytes.length - half);
  const whole = file.result();
  expect(whole.cut).toBeUndefined();
  expect(buildModel(whole).tasks.size).toBe(8);
});
