// Self-contained HTML index for a run directory (inline CSS; figures referenced as sibling SVGs).

export interface ReportOptions {
  title: string;
  summary: Record<string, string | number>;
  /** Each figure with a one-line caption: what is plotted, what the colours/lines mean, what counts as "switched". */
  figures: { title: string; svgFile: string; caption?: string }[];
  files: string[];
  commandLine: string;
  /** Lines shown above the summary in a warning box (e.g. a result more than 4σ from its exact value). */
  warnings?: string[];
}

function esc(s: string): string {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Relative URL for a run-dir file name: encode each path segment ('#', '?', spaces...). */
function href(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

// Integers verbatim; other numbers to 6 significant digits (pass a string for exact text).
function fmtValue(v: string | number): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(6)));
}

const CSS = `
body{font-family:Helvetica,Arial,sans-serif;margin:2em auto;max-width:1000px;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}
pre{background:#f5f5f5;padding:.7em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3em .7em;text-align:left}
td.num{font-variant-numeric:tabular-nums}th{background:#fafafa;font-weight:600}
figure{margin:1.2em 0}figure img{width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.95em;color:#333;margin-top:.3em}figcaption b{font-weight:600}ul.files{columns:2}
.warning{background:#fff4e5;border-left:4px solid #e69500;padding:.6em .9em;margin:1em 0}
`;

export function reportHtml(opts: ReportOptions): string {
  const rows = Object.entries(opts.summary)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td${typeof v === 'number' ? ' class="num"' : ''}>${esc(fmtValue(v))}</td></tr>`)
    .join('\n');
  const figs = opts.figures
    .map(
      (f) =>
        `<figure><a href="${esc(href(f.svgFile))}"><img src="${esc(href(f.svgFile))}" alt="${esc(f.title)}"></a>` +
        `<figcaption><b>${esc(f.title)}.</b>${f.caption ? ` ${esc(f.caption)}` : ''}</figcaption></figure>`,
    )
    .join('\n');
  const files = opts.files.map((f) => `<li><a href="${esc(href(f))}">${esc(f)}</a></li>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(opts.title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${esc(opts.title)}</h1>
<h2>Command</h2>
<pre><code>${esc(opts.commandLine)}</code></pre>
${(opts.warnings ?? []).map(w => `<div class="warning">${esc(w)}</div>`).join('\n')}
<h2>Summary</h2>
<table>
${rows}
</table>
${opts.figures.length ? `<h2>Figures</h2>\n${figs}` : ''}
<h2>Files</h2>
<ul class="files">
${files}
</ul>
</body>
</html>
`;
}
