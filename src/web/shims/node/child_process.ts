// Browser stand-in for node:child_process: there are no processes (gitCommit() then reports null, as
// outside a checkout; the explorer records the commit it was built from instead).
export function execFileSync(): never {
  throw new Error('node:child_process execFileSync is not available in the browser');
}
