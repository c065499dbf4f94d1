// The explorer page (bundled by src/web/build.ts): pick a map (src/web/maps.ts), set its parameters with
// sliders or numbers, compute it with the engine's WGSL kernels on navigator.gpu, and look at / download
// the run directory the CLI would have written (figures, CSV, .npy, manifest, report; one .zip). Without
// WebGPU the page says so and offers the float64 CPU twin for small maps.
import { CpuBackend, WebGpuBackend, type Backend } from '../backends/index.ts';
import { acquireGpu } from '../backends/webgpu.ts';
import { MAPS, argvFor, defaults, type MapDef, type Param, type Values } from './maps.ts';
import { zipStore } from './zip.ts';
import type { MemoryRun } from './shims/output.ts';

type State = 'loading' | 'idle' | 'running' | 'done' | 'error';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const values = new Map<string, Values>(MAPS.map(m => [m.id, defaults(m)]));
let backend: Backend | undefined;
let gpuMissing: string | undefined;
let current: MapDef = MAPS[0];
let urls: string[] = [];
let lastRun: MemoryRun | undefined;

function setState(s: State): void { document.body.dataset.state = s; }

function status(text: string, error = false): void {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', error);
}

const fmt = (x: number) => (Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : String(+x.toPrecision(6)));

/** One input row per parameter: axes as from/to/points, numbers as a slider beside a number box. */
function paramRow(p: Param, v: Values): HTMLElement {
  if (p.kind === 'axis') {
    const a = v[p.name] as [number, number, number];
    const box = document.createElement('div');
    box.className = 'axis';
    box.innerHTML = `<span>${p.label} (${p.unit}): from, to, points</span>`;
    (['from', 'to', 'count'] as const).forEach((part, i) => {
      const inp = document.createElement('input');
      Object.assign(inp, { type: 'number', name: `${p.name}.${part}`, value: String(a[i]), step: part === 'count' ? '1' : 'any' });
      if (part === 'count') { inp.min = '1'; inp.max = String(p.maxCount); }
      inp.setAttribute('aria-label', `${p.label} ${part}`);
      box.append(inp);
    });
    return box;
  }
  const label = document.createElement('label');
  label.className = 'row';
  const span = document.createElement('span');
  span.textContent = `${p.label}${p.unit ? ` (${p.unit})` : ''}  --${p.flag}`;
  label.append(span);
  if (p.kind === 'enum') {
    const sel = document.createElement('select');
    sel.name = p.flag;
    for (const o of p.values ?? []) sel.add(new Option(o, o, false, o === v[p.flag]));
    label.append(sel);
    return label;
  }
  const range = document.createElement('input');
  Object.assign(range, { type: 'range', min: String(p.min), max: String(p.max), step: String(p.step ?? 'any'), value: String(v[p.flag]) });
  range.setAttribute('aria-label', `${p.label} slider`);
  const num = document.createElement('input');
  Object.assign(num, { type: 'number', name: p.flag, value: String(v[p.flag]), step: p.kind === 'int' ? '1' : 'any' });
  range.addEventListener('input', () => { num.value = range.value; onChange(); });
  num.addEventListener('input', () => { if (num.value !== '') range.value = num.value; });
  label.append(range, num);
  return label;
}

function buildForm(): void {
  const form = $<HTMLFormElement>('params');
  form.replaceChildren(...current.params.map(p => paramRow(p, values.get(current.id)!)));
  $('map-desc').textContent = current.description;
  onChange();
}

/** The form's values, checked for being numbers (the command's own checks come when it runs). */
function readForm(): Values {
  const form = $<HTMLFormElement>('params');
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
  const number = (name: string, what: string) => {
    const s = field(name).value.trim(), x = Number(s);
    if (s === '' || !Number.isFinite(x)) throw new RangeError(`${what}: not a number ('${s}')`);
    return x;
  };
  const v: Values = {};
  for (const p of current.params) {
    if (p.kind === 'axis') {
      const a = (['from', 'to', 'count'] as const).map(part => number(`${p.name}.${part}`, `${p.label} ${part}`)) as [number, number, number];
      if (!Number.isInteger(a[2]) || a[2] < 1 || a[2] > p.maxCount) throw new RangeError(`${p.label}: points must be an integer in [1, ${p.maxCount}], got ${a[2]}`);
      v[p.name] = a;
    } else if (p.kind === 'enum') v[p.flag] = field(p.flag).value;
    else v[p.flag] = number(p.flag, `--${p.flag}`);
  }
  return v;
}

function onChange(): void {
  const run = $<HTMLButtonElement>('run');
  try {
    const v = readForm();
    values.set(current.id, v);
    const cost = current.cost(v);
    const tooBig = backend?.name === 'cpu' && cost > current.cpuLimit;
    $('cost').textContent = `${fmt(cost)} spin-steps${tooBig ? ` — more than the ${fmt(current.cpuLimit)} the CPU twin runs in a page` : ''}`;
    run.disabled = !backend || tooBig || document.body.dataset.state === 'running';
  } catch (e) {
    $('cost').textContent = (e as Error).message;
    run.disabled = true;
  }
}

function download(a: HTMLAnchorElement, name: string, bytes: Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  urls.push(url);
  a.href = url;
  a.download = name;
  a.textContent = name;
}

const TYPES: Record<string, string> = { csv: 'text/csv', npy: 'application/octet-stream', svg: 'image/svg+xml', json: 'application/json', html: 'text/html' };
const typeOf = (name: string) => TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';

function showRun(run: MemoryRun): void {
  for (const u of urls) URL.revokeObjectURL(u);
  urls = [];
  const dec = new TextDecoder();
  const svgs = [...run.files.keys()].filter(f => f.endsWith('.svg'));
  const sel = $<HTMLSelectElement>('figure');
  sel.replaceChildren(...svgs.map(f => new Option(f.replace(/\.svg$/, '').replace(/_/g, ' '), f, false, f === current.figure)));
  const show = () => { $('figure-view').innerHTML = dec.decode(run.files.get(sel.value)); };
  sel.onchange = show;
  show();
  download($<HTMLAnchorElement>('dl-csv'), current.csv, run.files.get(current.csv)!, 'text/csv');
  download($<HTMLAnchorElement>('dl-npy'), current.npy, run.files.get(current.npy)!, 'application/octet-stream');
  const dir = run.out.split('/').pop()!;
  download($<HTMLAnchorElement>('dl-zip'), `${dir}.zip`, zipStore([...run.files].map(([n, b]) => [`${dir}/${n}`, b])), 'application/zip');
  $('dl-zip').textContent = 'run directory (.zip)';
  const list = $('files');
  list.replaceChildren(...[...run.files].map(([name, bytes]) => {
    const li = document.createElement('li'), a = document.createElement('a');
    download(a, name, bytes, typeOf(name));
    a.dataset.file = name;
    li.append(a);
    return li;
  }));
  const cmd = $('command');
  cmd.textContent = String(run.manifest.commandLine);
  cmd.dataset.argv = JSON.stringify(run.manifest.command);
  $('empty').classList.add('hidden');
  $('output').classList.remove('hidden');
}

async function compute(): Promise<void> {
  if (!backend) return;
  let v: Values;
  try { v = readForm(); } catch (e) { status((e as Error).message, true); return; }
  setState('running');
  $<HTMLButtonElement>('run').disabled = true;
  const bar = $<HTMLProgressElement>('progress');
  bar.removeAttribute('value');   // indeterminate until the first report
  const t0 = performance.now();
  status(`computing on ${backend.name === 'cpu' ? 'the CPU twin (the page is busy until it ends)' : backend.adapter}…`);
  // let the page paint the state before a (CPU) run takes the thread
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  try {
    const run = await current.run(backend, v, (f, phase) => {
      if (f > 0) bar.value = f;
      status(`${phase}: ${Math.floor(f * 100)} % (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    });
    lastRun = run;
    bar.value = 1;
    showRun(run);
    status(`done in ${((performance.now() - t0) / 1000).toFixed(2)} s on ${run.manifest.backend} (${run.manifest.adapter})`);
    setState('done');
  } catch (e) {
    bar.value = 0;
    status(`the map was not computed: ${(e as Error).message}`, true);
    setState('error');
  } finally {
    onChange();
  }
}

async function init(): Promise<void> {
  const sel = $<HTMLSelectElement>('map');
  for (const m of MAPS) sel.add(new Option(m.title, m.id));
  sel.onchange = () => { current = MAPS.find(m => m.id === sel.value)!; buildForm(); };
  $('params').addEventListener('input', onChange);
  $('params').addEventListener('change', onChange);
  $('run').addEventListener('click', () => { void compute(); });
  buildForm();
  const nav = navigator as Navigator & { gpu?: GPU };
  let ctx = null;
  if (!window.isSecureContext) gpuMissing = `WebGPU needs a secure context: open the page over https:// or from localhost (this is ${location.protocol}//${location.host}).`;
  else if (!nav.gpu) gpuMissing = 'This browser has no WebGPU (navigator.gpu is missing).';
  else {
    try { ctx = await acquireGpu(); } catch (e) { gpuMissing = `WebGPU did not start: ${(e as Error).message}`; }
    if (!ctx && !gpuMissing) gpuMissing = 'This browser has WebGPU, but it granted no adapter (the GPU may be blocklisted or WebGPU disabled).';
  }
  if (ctx) {
    backend = new WebGpuBackend(ctx);
    $('adapter').textContent = `WebGPU: ${backend.adapter}`;
    ctx.device.lost.then(info => {
      if (info.reason === 'destroyed') return;
      backend = undefined;
      status(`the GPU device was lost (${info.message || info.reason}); reload the page`, true);
      setState('error');
      onChange();
    });
  } else {
    backend = new CpuBackend();
    $('adapter').textContent = 'no WebGPU: float64 CPU twin';
    const n = $('nogpu');
    n.innerHTML = '';
    n.append(`${gpuMissing} The explorer runs its maps on the GPU through WebGPU (e.g. Chrome or Edge 113+ on Windows, macOS and ChromeOS; on Linux and in other browsers it may need enabling, such as chrome://flags/#enable-unsafe-webgpu). `
      + 'Here it can run small maps on the float64 CPU twin instead (the page is busy while it runs), or use the command line shown with each result: ', Object.assign(document.createElement('code'), { textContent: 'npx nanospin demo' }), '.');
    n.classList.remove('hidden');
    $('run').textContent = 'Compute on the CPU twin';
  }
  document.body.dataset.backend = backend.name;
  setState('idle');
  onChange();
}

(globalThis as unknown as { nanospinExplorer: unknown }).nanospinExplorer = {
  get lastRun() { return lastRun && { out: lastRun.out, files: [...lastRun.files.keys()], manifest: lastRun.manifest }; },
  get backend() { return backend && { name: backend.name, adapter: backend.adapter }; },
};

init().catch(e => { status(`the explorer did not start: ${(e as Error).message}`, true); setState('error'); });
