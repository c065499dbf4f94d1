// Progress on stderr for long runs: throttled, one line per update, silent when asked.
export function progressReporter(label: string, quiet: boolean): (fraction: number) => void {
  if (quiet) return () => {};
  const t0 = performance.now();
  let last = -1;
  return (f: number) => {
    const pct = Math.floor(f * 100);
    const now = performance.now();
    if (pct === last || (pct < 100 && now - t0 < 1000)) return;
    last = pct;
    const el = (now - t0) / 1000;
    const eta = f > 0 && f < 1 ? `, ~${(el / f - el).toFixed(1)} s left` : '';
    process.stderr.write(`${label}: ${pct}% (${el.toFixed(1)} s${eta})\n`);
  };
}
