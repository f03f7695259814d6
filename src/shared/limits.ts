// Hard limits against hostile input. Thread-neutral constants, checked before anything is allocated.

export const LIMITS = {
  /** Largest file we read at all (bytes). */
  maxFileBytes: 2 * 1024 ** 3,
  /** Inflated size cap for Deflated Explicit VR Little Endian (bytes). */
  maxInflatedBytes: 1024 ** 3,
  /** Sequence nesting depth (real data rarely exceeds 5). */
  maxSequenceDepth: 16,
  /** Rows and columns at most (US, so 65535 by definition; we cap lower to bound memory). */
  maxDimension: 16384,
  /** Frames at most in one multi-frame object. */
  maxFrames: 10000,
  /** Decoded bytes at most for one frame. */
  maxFrameBytes: 512 * 1024 ** 2,
  /** Elements at most in one dataset, nested items included. */
  maxElements: 200000,
} as const;
