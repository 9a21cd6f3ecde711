/** Pieces shared by the JSON and CSV exports. */

import { EventKind, type Site } from '../../format';
import type { Frame, TraceModel } from '../model/types';

const KIND_NAMES: Record<number, string> = Object.fromEntries(Object.entries(EventKind).map(([name, code]) => [code, name]));

export function eventKindName(kind: number): string {
  return KIND_NAMES[kind] ?? `kind${kind}`;
}

export function exportHeader(model: TraceModel, tracePath: string) {
  const h = model.trace.header;
  const snap = model.finalSnapshot;
  return {
    file: tracePath,
    pid: h.pid,
    argv: h.argv,
    cwd: h.cwd,
    startTime: h.startTime,
    node: h.node,
    runtime: h.runtime,
    mode: h.mode,
    v8Flags: h.v8Flags ?? [],
    duration: model.endTime,
    events: model.trace.eventCount,
    droppedEvents: model.trace.dropped?.events ?? 0,
    cut: model.trace.cut?.reason ?? null,
    ending: snap ? { reason: snap.reason, time: snap.time, exitCode: snap.exitCode ?? null, signal: snap.signal ?? null } : null,
    notes: model.notes,
  };
}

export function exportSite(s: Site) {
  const base = { id: s.id, type: s.type, file: s.source.file, line: s.line, column: s.column, kind: s.kind };
  return s.type === 'function' ? { ...base, name: s.name, params: s.params } : { ...base, fn: s.fn, text: s.text };
}

/** The await a frame waits at now (pending) or waited at last. */
export function lastSite(frame: Frame): number | undefined {
  if (frame.failedAt) return frame.failedAt;
  return frame.suspensions[frame.suspensions.length - 1]?.site;
}
