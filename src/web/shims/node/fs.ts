// Browser stand-in for the node:fs functions that modules bundled into the explorer import (see
// src/web/build.ts). Only what runs in a browser answers: the package version that buildManifest reads
// (injected at build time); everything else throws, naming itself, if it is ever called.
import { BUILD_INFO } from '../../buildInfo.ts';

const missing = (name: string) => (): never => { throw new Error(`node:fs ${name} is not available in the browser`); };

export function readFileSync(path: unknown): string {
  if (String(path).endsWith('/package.json')) return JSON.stringify({ name: 'nanospin', version: BUILD_INFO.version });
  throw new Error(`node:fs readFileSync(${String(path)}) is not available in the browser`);
}
export const realpathSync = missing('realpathSync');
export const writeFileSync = missing('writeFileSync');
export const existsSync = (): boolean => false;
