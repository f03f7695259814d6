/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Which build this is (vite.config.ts: LUCID_BUILD_ID, else the build's time). */
  readonly LUCID_BUILD_ID: string;
}
