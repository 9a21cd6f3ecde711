/**
 * Short descriptions of thrown values and arguments for the trace. They must not run user
 * code (no toString, no inspect, no getters we can avoid), and must never throw.
 */

import type { ErrorInfo } from '../format';

const MAX_MESSAGE = 500;
const MAX_PREVIEW = 60;

export function describeError(value: unknown): Omit<ErrorInfo, 'id'> {
  try {
    if (value !== null && typeof value === 'object') {
      const name = ownString(value, 'name') ?? constructorName(value) ?? 'Object';
      const message = ownString(value, 'message') ?? '';
      const code = ownData(value, 'code');
      const info: Omit<ErrorInfo, 'id'> = { name, message: clip(message, MAX_MESSAGE) };
      if (typeof code === 'string' || typeof code === 'number') info.code = String(code);
      return info;
    }
    return { name: typeof value, message: clip(previewValue(value), MAX_MESSAGE) };
  } catch {
    return { name: 'unknown', message: '(the thrown value could not be described)' };
  }
}

/** A one-line preview of an argument value. */
export function previewValue(value: unknown): string {
  try {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(clip(value, MAX_PREVIEW));
      case 'number':
      case 'boolean':
      case 'undefined':
        return String(value);
      case 'bigint':
        return `${String(value)}n`;
      case 'symbol':
        return 'Symbol()';
      case 'function':
        return `[function ${ownString(value, 'name') || '(anonymous)'}]`;
      default:
        if (value === null) return 'null';
        if (Array.isArray(value)) return `Array(${value.length})`;
        return `[${constructorName(value as object) ?? 'Object'}]`;
    }
  } catch {
    return '?';
  }
}

/** Reads a data property (own or inherited) without invoking accessors. */
function ownData(value: object, key: string): unknown {
  let target: object | null = value;
  for (let depth = 0; target && depth < 8; depth++) {
    const desc = Object.getOwnPropertyDescriptor(target, key);
    if (desc) return 'value' in desc ? desc.value : undefined;
    target = Object.getPrototypeOf(target);
  }
  return undefined;
}

/** Reads a string property without invoking accessors. */
function ownString(value: object, key: string): string | undefined {
  const found = ownData(value, key);
  return typeof found === 'string' ? found : undefined;
}

function constructorName(value: object): string | undefined {
  const proto = Object.getPrototypeOf(value);
  if (!proto) return undefined;
  const desc = Object.getOwnPropertyDescriptor(proto, 'constructor');
  const ctor = desc && 'value' in desc ? desc.value : undefined;
  return typeof ctor === 'function' ? ownString(ctor, 'name') : undefined;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
