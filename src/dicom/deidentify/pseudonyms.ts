// Per-set pseudonyms from a secret: UIDs, patient IDs and the date offset are keyed hashes (HMAC-SHA-256), so the
// same input gives the same output within a set (series and references line up) and nothing can be reversed without
// the secret. Pure and synchronous (@noble/hashes), thread-neutral: the decode worker and the CLI share it.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { DeidentificationError } from '../../shared/errors';

export const MIN_SECRET_BYTES = 16;
const encoder = new TextEncoder();

/** A new random secret (32 bytes) for a set. */
export function newDeidSecret(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

export interface Pseudonyms {
  /** A UID (PS3.5 B.2: "2.25." + a UUID as a decimal integer; the UUID is version 8, from the keyed hash). */
  uid(original: string): string;
  /** A short opaque identifier for a patient ID or name, e.g. "ANON-3F9A2C71". */
  patient(original: string): string;
  /** Days every date is moved back by (Retain Longitudinal Temporal Information with Modified Dates): 366–3652. */
  readonly dateOffsetDays: number;
}

export function makePseudonyms(secret: Uint8Array): Pseudonyms {
  if (secret.length < MIN_SECRET_BYTES) throw new DeidentificationError(`The de-identification secret must be at least ${MIN_SECRET_BYTES} bytes`);
  const key = secret.slice();
  const mac = (domain: string, value: string) => hmac(sha256, key, encoder.encode(`${domain}\u0000${value}`));
  const uids = new Map<string, string>();
  const offset = mac('date-offset', '');
  return {
    uid(original) {
      const known = uids.get(original);
      if (known) return known;
      const b = mac('uid', original).slice(0, 16);
      b[6] = (b[6]! & 0x0f) | 0x80; // UUID version 8 (RFC 9562: custom)
      b[8] = (b[8]! & 0x3f) | 0x80; // RFC variant
      const uid = `2.25.${BigInt(`0x${[...b].map((x) => x.toString(16).padStart(2, '0')).join('')}`).toString(10)}`;
      uids.set(original, uid);
      return uid;
    },
    patient(original) {
      const b = mac('patient', original.trim().toUpperCase());
      return `ANON-${[...b.slice(0, 4)].map((x) => x.toString(16).padStart(2, '0')).join('').toUpperCase()}`;
    },
    dateOffsetDays: 366 + (((offset[0]! << 8) | offset[1]!) % 3287),
  };
}

/** The secret as text (hex) for a file or a store, and back. */
export function secretToHex(secret: Uint8Array): string {
  return [...secret].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export function secretFromHex(hex: string): Uint8Array {
  const clean = hex.trim();
  if (!/^([0-9a-fA-F]{2})+$/.test(clean)) throw new DeidentificationError('The de-identification secret is not hexadecimal text');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  if (out.length < MIN_SECRET_BYTES) throw new DeidentificationError(`The de-identification secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return out;
}
