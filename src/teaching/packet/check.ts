// Small hand-written type checks for untrusted JSON (the packet manifest). Each takes the value and its JSON path
// ("cases[2].findings[0].region") and throws PacketSchemaError naming that path. Pure, thread-neutral, no library.
import { PacketSchemaError } from '../../shared/errors';

export type Path = string;

export function fail(path: Path, problem: string): never {
  throw new PacketSchemaError(`This packet's contents are not valid: ${path} ${problem}. Lucid imported nothing from it.`);
}

export function obj(v: unknown, path: Path): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'must be an object');
  return v as Record<string, unknown>;
}

export function arr(v: unknown, path: Path, max = Infinity): unknown[] {
  if (!Array.isArray(v)) fail(path, 'must be a list');
  if (v.length > max) fail(path, `has ${v.length} entries, more than ${max}`);
  return v;
}

export function str(v: unknown, path: Path, max = 1_000_000): string {
  if (typeof v !== 'string') fail(path, 'must be text');
  if (v.length > max) fail(path, `is longer than ${max} characters`);
  return v;
}

export function num(v: unknown, path: Path): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'must be a finite number');
  return v;
}

export function int(v: unknown, path: Path, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = num(v, path);
  if (!Number.isInteger(n) || n < min || n > max) fail(path, `must be a whole number from ${min} to ${max}`);
  return n;
}

export function oneOf<T extends string | number>(v: unknown, path: Path, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) fail(path, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  return v as T;
}

/** Exactly these keys: a missing key or an unknown one is a schema error (we never carry unread data along). */
export function keys(o: Record<string, unknown>, path: Path, expected: readonly string[]): void {
  for (const k of expected) if (!(k in o)) fail(`${path}.${k}`, 'is missing');
  for (const k of Object.keys(o)) if (!expected.includes(k)) fail(`${path}.${JSON.stringify(k).slice(1, -1)}`, 'is not a field Lucid knows');
}

/** A DICOM UID (PS3.5 §9.1): digits and dots, at most 64 characters. */
export function uid(v: unknown, path: Path): string {
  const s = str(v, path, 64);
  if (!/^(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))*$/.test(s)) fail(path, 'must be a DICOM UID (digits and dots, at most 64 characters)');
  return s;
}

export function sha256(v: unknown, path: Path): string {
  const s = str(v, path, 64);
  if (!/^[0-9a-f]{64}$/.test(s)) fail(path, 'must be a sha256 (64 lower-case hex digits)');
  return s;
}

/** Ids must be unique across the whole packet for their kind. */
export function unique(seen: Set<string>, id: string, path: Path): void {
  if (seen.has(id)) fail(path, `repeats the id ${JSON.stringify(id)}`);
  seen.add(id);
}
