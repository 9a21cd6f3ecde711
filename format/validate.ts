/**
 * Shape checks for the JSON records of a trace. A trace may be damaged or written by
 * something else; the reader keeps what is well-formed and says what it skipped, so that
 * consumers can trust the types of what they get.
 */

import type { ArgsRecord, DroppedRecord, EndRecord, ErrorInfo, HeaderRecord, SnapshotFrame, SnapshotRecord } from './records';
import type { AwaitSiteTuple, FunctionSiteTuple } from './sites';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

export function isHeader(v: unknown): v is HeaderRecord {
  return isObject(v) && isNumber(v.pid) && isNumber(v.startTime) && isString(v.cwd) && isStringArray(v.argv);
}

export function isErrorInfo(v: unknown): v is ErrorInfo {
  return isObject(v) && isNumber(v.id) && isString(v.name) && isString(v.message) && (v.code === undefined || isString(v.code));
}

export function isSnapshotFrame(v: unknown): v is SnapshotFrame {
  return (
    isObject(v) &&
    [v.frame, v.task, v.parent, v.fn, v.site, v.start, v.since, v.suspends].every(isNumber) &&
    (v.state === 'running' || v.state === 'suspended')
  );
}

export function isSnapshot(v: unknown): v is SnapshotRecord {
  return isObject(v) && isString(v.reason) && isNumber(v.time) && Array.isArray(v.frames);
}

export function isArgsEntry(v: unknown): v is ArgsRecord['frames'][number] {
  return isObject(v) && isNumber(v.frame) && isStringArray(v.args);
}

export function isDropped(v: unknown): v is DroppedRecord {
  return isObject(v) && isNumber(v.events) && isString(v.reason);
}

export function isEnd(v: unknown): v is EndRecord {
  return isObject(v) && isNumber(v.time) && isNumber(v.events) && isNumber(v.droppedEvents);
}

export function isFunctionTuple(v: unknown): v is FunctionSiteTuple {
  return Array.isArray(v) && isString(v[0]) && isNumber(v[1]) && isNumber(v[2]) && isStringArray(v[3]) && isString(v[4]);
}

export function isAwaitTuple(v: unknown, functions: number): v is AwaitSiteTuple {
  return Array.isArray(v) && isNumber(v[0]) && v[0] >= 0 && v[0] < functions && isNumber(v[1]) && isNumber(v[2]) && isString(v[3]) && isString(v[4]);
}

/** The well-formed entries of a list, and how many were not. */
export function keepValid<T>(list: unknown, valid: (v: unknown) => v is T): { kept: T[]; skipped: number } {
  if (!Array.isArray(list)) return { kept: [], skipped: 1 };
  const kept = list.filter(valid);
  return { kept, skipped: list.length - kept.length };
}
