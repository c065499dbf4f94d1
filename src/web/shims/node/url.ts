// Browser stand-in for node:url (manifest.ts turns its own URL into a path at load time).
export function fileURLToPath(url: string | URL): string {
  return decodeURIComponent(new URL(String(url)).pathname);
}
