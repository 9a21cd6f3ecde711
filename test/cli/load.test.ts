import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { describe, expect, test } from 'vitest';
import { decodeTrace, type HeaderRecord } from '../../format';
import { isTraceLive, type ProcessProbe } from '../../cli/load/open-trace';
import { TraceFile } from '../../cli/load/trace-file';
import { buildModel } from '../../cli/model/build-model';
import { buildServiceScenario } from './helpers/scenarios';
import { TraceBuilder } from './helpers/trace-builder';

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

describe('isTraceLive: the pid alone does not make a trace live', () => {
  const header = (over: Partial<HeaderRecord> = {}): HeaderRecord => ({
    format: 1, runtime: '0.1.0', pid: 4242, host: 'box', argv: ['/usr/bin/node', '/app/dist/main.js', '--port', '3000'],
    cwd: '/app', startTime: 0, node: 'v20.0.0', mode: 'development', ...over,
  });
  const probe = (over: Partial<ProcessProbe> = {}): ProcessProbe => ({
    hostname: () => 'box', signal0: () => 'ok', cmdline: () => 'node\0--enable-source-maps\0dist/main.js\0--port\x003000\0', ...over,
  });

  test('the same host, a process with the pid, the recorded command line: live', () => {
    expect(isTraceLive(header(), false, probe())).toBe(true);
    expect(isTraceLive(header(), false, probe({ cmdline: () => '/usr/bin/node\0/app/dist/main.js\0--port\x003000' }))).toBe(true);
    expect(isTraceLive(header(), false, probe({ cmdline: () => undefined }))).toBe(true); // no /proc: host and pid decide
  });

  test('a reused pid (another program now) is not live', () => {
    expect(isTraceLive(header(), false, probe({ cmdline: () => '/sbin/init\0' }))).toBe(false);
    expect(isTraceLive(header(), false, probe({ cmdline: () => 'node\0/other/dist/main.js\0--port\x003000\0' }))).toBe(false);
    expect(isTraceLive(header(), false, probe({ cmdline: () => 'node\0dist/main.js\0--port\x003001\0' }))).toBe(false);
    // The real system: this test process exists, on this host, but runs another command line.
    expect(isTraceLive(header({ pid: process.pid, host: hostname() }), false)).toBe(process.platform !== 'linux');
  });

  test('no host in the header, another host, EPERM, a gone process, an ended trace: not live', () => {
    expect(isTraceLive(header({ host: undefined }), false, probe())).toBe(false);
    expect(isTraceLive(header({ host: 'elsewhere' }), false, probe())).toBe(false);
    expect(isTraceLive(header(), false, probe({ signal0: () => 'eperm' }))).toBe(false);
    expect(isTraceLive(header(), false, probe({ signal0: () => 'gone' }))).toBe(false);
    expect(isTraceLive(header(), true, probe())).toBe(false);
  });
});

test('a trace read while its process writes it: no "cut" note for the record being written', () => {
  const { builder } = buildServiceScenario(new TraceBuilder());
  const bytes = builder.bytes();
  const parsed = decodeTrace(bytes.subarray(0, bytes.length - 40)); // the final snapshot, half written
  expect(parsed.cut).toBeDefined();
  expect(buildModel(parsed).notes[0]).toMatch(/^the trace was cut/);
  const live = buildModel(parsed, { liveNow: 6000 });
  expect(live.live).toBe(true);
  expect(live.notes.join('\n')).not.toMatch(/cut/);
  expect(live.notes.join('\n')).toMatch(/is still running/);
});
