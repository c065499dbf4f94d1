// Browser stand-in for the node:os functions bundled modules call (buildManifest's provenance, budget checks).
const nav = (globalThis as { navigator?: { hardwareConcurrency?: number; userAgent?: string; deviceMemory?: number } }).navigator;

export const platform = (): string => 'browser';
export const arch = (): string => 'browser';
export const cpus = (): { model: string }[] => Array.from({ length: nav?.hardwareConcurrency ?? 1 }, () => ({ model: nav?.userAgent ?? 'browser' }));
/** navigator.deviceMemory (GiB, Chromium; rounded down, at most 8) or 4 GiB. */
export const totalmem = (): number => (nav?.deviceMemory ?? 4) * 2 ** 30;
export const endianness = (): 'LE' | 'BE' => (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'LE' : 'BE');
export const homedir = (): string => '/';
