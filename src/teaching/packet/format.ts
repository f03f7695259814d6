// The teaching packet's format (.lucid.zip): file layout, manifest shape, schema version and import limits.
// Pure and thread-neutral: no DOM, no storage. The layout and every manifest field are described in ./README.md;
// bump PACKET_SCHEMA_VERSION (and add a step to migratePacket.ts) whenever the manifest's shape changes.
import type { Annotation, Case, TeachingSet } from '../model';

export const PACKET_FORMAT = 'lucid-teaching-packet';
/** Version of the manifest below (not of the app). Older packets are migrated on import; newer ones are refused. */
export const PACKET_SCHEMA_VERSION = 1;
export const MANIFEST_PATH = 'lucid-packet.json';
export const PACKET_EXTENSION = '.lucid.zip';

/** What a packet carries, in memory. Images are Part 10 files keyed by SOP Instance UID, bit for bit as stored. */
export interface PacketContents {
  set: TeachingSet;
  cases: Case[];
  annotations: Annotation[];
  images: Map<string, Uint8Array>;
  /** Model outputs keyed by ModelAttachment.dataKey: rows × columns float32 values, row-major. */
  outputs: Map<string, { values: Float32Array; rows: number; columns: number }>;
  /** Model cards keyed by model id: the sha256 of the model file and the card's markdown. */
  modelCards: Record<string, { sha256: string; markdown: string }>;
}

export interface ImageIndexEntry { sopInstanceUID: string; path: string; sha256: string; bytes: number }
export interface OutputIndexEntry { dataKey: string; path: string; rows: number; columns: number; sha256: string }
export interface ModelCardIndexEntry { modelId: string; path: string; modelSha256: string; sha256: string }

/** lucid-packet.json. Indexes are arrays (not objects) so their order survives JSON and no key is special. */
export interface PacketManifest {
  format: typeof PACKET_FORMAT;
  schemaVersion: number;
  appVersion: string;
  /** When the packet was written (ms since the epoch). */
  createdAt: number;
  set: TeachingSet;
  cases: Case[];
  annotations: Annotation[];
  images: ImageIndexEntry[];
  outputs: OutputIndexEntry[];
  modelCards: ModelCardIndexEntry[];
}

/** Generated file names, never taken from user data: n is the entry's position in its index. */
export const packetPath = {
  image: (n: number) => `dicom/${n}.dcm`,
  output: (n: number) => `outputs/${n}.f32`,
  modelCard: (n: number) => `models/${n}.md`,
};
/** Every name a packet may contain: the manifest and the three generated families above. */
export const LAYOUT = /^(?:lucid-packet\.json|dicom\/(?:0|[1-9]\d{0,6})\.dcm|outputs\/(?:0|[1-9]\d{0,6})\.f32|models\/(?:0|[1-9]\d{0,6})\.md)$/;

export interface PacketLimits {
  /** Size of the packet file itself (bytes). */
  maxPacketBytes: number;
  /** Sum of every file's unpacked size (bytes). */
  maxTotalBytes: number;
  /** One unpacked file (bytes). */
  maxEntryBytes: number;
  /** The unpacked manifest (bytes). */
  maxManifestBytes: number;
  /** Files in the zip. */
  maxEntries: number;
  /** Unpacked ÷ packed size of a deflated file larger than ratioFloorBytes (our writer stores DICOM and outputs as is). */
  maxCompressionRatio: number;
  ratioFloorBytes: number;
  maxCases: number;
  maxAnnotations: number;
  /** Points of one freehand contour. */
  maxPoints: number;
}

const MiB = 1024 ** 2;
export const PACKET_LIMITS: PacketLimits = Object.freeze({
  maxPacketBytes: 2 * 1024 * MiB,
  maxTotalBytes: 2 * 1024 * MiB,
  maxEntryBytes: 1024 * MiB,
  maxManifestBytes: 64 * MiB,
  maxEntries: 100_000,
  maxCompressionRatio: 200,
  ratioFloorBytes: MiB,
  maxCases: 2_000,
  maxAnnotations: 100_000,
  maxPoints: 100_000,
});

/** "2 GB", "64 MB", "512 bytes": for messages a user reads. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
