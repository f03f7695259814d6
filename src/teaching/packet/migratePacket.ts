// Brings a parsed manifest of an older schema version up to PACKET_SCHEMA_VERSION, one step at a time; refuses one
// newer than this app (PacketVersionError). Pure, thread-neutral. Steps take unvalidated JSON and return JSON; the
// result is validated afterwards (validateManifest), so a step may stay simple.
import { PacketVersionError } from '../../shared/errors';
import { PACKET_FORMAT, PACKET_SCHEMA_VERSION } from './format';

/** A step from version `from` to `from + 1`. */
export type PacketMigration = (manifest: Record<string, unknown>) => Record<string, unknown>;

/**
 * Version 1 is the first published shape, so there is nothing to migrate yet. When the manifest changes, bump
 * PACKET_SCHEMA_VERSION and add `[1]: (m) => ({ ...m, …, schemaVersion: 2 })` here, with a test on a real v1 packet.
 */
export const PACKET_MIGRATIONS: Readonly<Record<number, PacketMigration>> = Object.freeze({});

/** Reads `format` and `schemaVersion`, then applies the steps in order. The result still needs validateManifest. */
export function migratePacket(
  manifest: Record<string, unknown>,
  migrations: Readonly<Record<number, PacketMigration>> = PACKET_MIGRATIONS,
  target = PACKET_SCHEMA_VERSION,
): Record<string, unknown> {
  if (manifest.format !== PACKET_FORMAT) {
    throw new PacketVersionError('This file is not a Lucid teaching packet (its manifest does not say "lucid-teaching-packet").');
  }
  const version = manifest.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new PacketVersionError('This packet does not say which version of the packet format it uses, so Lucid cannot read it.');
  }
  if (version > target) {
    throw new PacketVersionError(`This packet was made by a newer Lucid (packet format version ${version}; this Lucid reads up to ${target}). Update Lucid to import it.`);
  }
  let m = manifest;
  for (let v = version; v < target; v++) {
    const step = migrations[v];
    if (!step) throw new PacketVersionError(`This packet uses packet format version ${version}, which this Lucid can no longer read (no upgrade from version ${v}).`);
    m = step(m);
    if (m.schemaVersion !== v + 1) throw new Error(`migratePacket: the step from version ${v} did not produce version ${v + 1}`);
  }
  return m;
}
