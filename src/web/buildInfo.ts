// What the explorer was built from: injected by src/web/build.ts (esbuild `define`), absent when the
// sources run unbundled (tests in Node).
declare const NANOSPIN_BUILD: { version: string; commit: string | null; builtAt: string } | undefined;

export const BUILD_INFO: { version: string; commit: string | null; builtAt: string } =
  typeof NANOSPIN_BUILD === 'undefined' ? { version: 'unknown', commit: null, builtAt: '' } : NANOSPIN_BUILD;
