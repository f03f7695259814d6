// Writes a teaching set as one .lucid.zip: lucid-packet.json (the manifest, deflated), dicom/<n>.dcm (Part 10 files
// stored bit for bit, no recompression), outputs/<n>.f32 (little-endian float32) and models/<n>.md. Names are generated,
// never taken from user data. Refuses identified instances (checkDeidentified). Pure, thread-neutral; fflate zips.
import { zipSync, type Zippable } from 'fflate';
import { parseInstance } from '../../dicom/parseInstance';
import { PacketSchemaError } from '../../shared/errors';
import type { InstanceHeader } from '../../shared/types';
import { checkDeidentified } from './checkDeidentified';
import { sha256Hex } from './digest';
import {
  MANIFEST_PATH, PACKET_FORMAT, PACKET_LIMITS, PACKET_SCHEMA_VERSION, packetPath,
  type PacketContents, type PacketLimits, type PacketManifest,
} from './format';
import { validateManifest } from './validateManifest';

export interface WritePacketOptions {
  /** Recorded in the manifest (ms since the epoch); default now. Fix it for byte-identical packets. */
  createdAt?: number;
  /** The exporting app's version, recorded in the manifest. */
  appVersion?: string;
  /** The packet is checked against the import limits before it is written, so Lucid never writes one it cannot read. */
  limits?: PacketLimits;
}

/** Zip entry times are DOS local time; building the date from local fields makes the bytes the same in every time zone. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export function float32ToLittleEndian(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) dv.setFloat32(i * 4, values[i]!, true);
  return out;
}

/** Every image parsed with the app's own reader: its SOP Instance UID must be its key, and it must be de-identified. */
function checkImages(images: Map<string, Uint8Array>): InstanceHeader[] {
  const headers: InstanceHeader[] = [];
  for (const [sop, bytes] of images) {
    const { header } = parseInstance(bytes);
    if (header.sopInstanceUID !== sop) {
      throw new PacketSchemaError(`Cannot export: the image stored as ${sop} is really ${header.sopInstanceUID || 'an instance without a SOP Instance UID'}.`);
    }
    headers.push(header);
  }
  checkDeidentified(headers);
  return headers;
}

export async function writePacket(contents: PacketContents, options: WritePacketOptions = {}): Promise<Uint8Array> {
  checkImages(contents.images);
  const files: Zippable = {};
  const manifest: PacketManifest = {
    format: PACKET_FORMAT,
    schemaVersion: PACKET_SCHEMA_VERSION,
    appVersion: options.appVersion ?? 'unknown',
    createdAt: options.createdAt ?? Date.now(),
    set: contents.set,
    cases: contents.cases,
    annotations: contents.annotations,
    images: [],
    outputs: [],
    modelCards: [],
  };
  const stored: [string, Uint8Array][] = [];
  for (const [sopInstanceUID, bytes] of contents.images) {
    const path = packetPath.image(manifest.images.length);
    manifest.images.push({ sopInstanceUID, path, sha256: await sha256Hex(bytes), bytes: bytes.length });
    stored.push([path, bytes]);
  }
  for (const [dataKey, { values, rows, columns }] of contents.outputs) {
    if (values.length !== rows * columns) {
      throw new PacketSchemaError(`Cannot export: the model output ${JSON.stringify(dataKey)} has ${values.length} values, not ${rows} × ${columns}.`);
    }
    const bytes = float32ToLittleEndian(values);
    const path = packetPath.output(manifest.outputs.length);
    manifest.outputs.push({ dataKey, path, rows, columns, sha256: await sha256Hex(bytes) });
    stored.push([path, bytes]);
  }
  const cards: [string, Uint8Array][] = [];
  for (const [modelId, card] of Object.entries(contents.modelCards)) {
    const bytes = new TextEncoder().encode(card.markdown);
    const path = packetPath.modelCard(manifest.modelCards.length);
    manifest.modelCards.push({ modelId, path, modelSha256: card.sha256, sha256: await sha256Hex(bytes) });
    cards.push([path, bytes]);
  }
  const json = JSON.stringify(manifest);
  validateManifest(JSON.parse(json), options.limits ?? PACKET_LIMITS);
  files[MANIFEST_PATH] = [new TextEncoder().encode(json), { level: 6 }];
  for (const [path, bytes] of stored) files[path] = [bytes, { level: 0 }];
  for (const [path, bytes] of cards) files[path] = [bytes, { level: 6 }];
  return zipSync(files, { mtime: FIXED_MTIME });
}
