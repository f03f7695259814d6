/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Which build this is (vite.config.ts: LUCID_BUILD_ID, else the build's time). */
  readonly LUCID_BUILD_ID: string;
  /** DICOMweb origins this build's Content-Security-Policy allows (LUCID_DICOMWEB_ORIGINS; scripts/securityHeaders.ts). */
  readonly LUCID_DICOMWEB_ORIGINS: readonly string[];
}
