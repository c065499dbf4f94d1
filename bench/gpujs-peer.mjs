#!/usr/bin/env node
// gpu.js peer benchmark for nanospin's stochastic LLG kernel.
//
//   node bench/gpujs-peer.mjs '{"mode":"webgpu","systems":65536,"steps":100,"dt":0.01,"S":1,
//     "alpha":0.1,"temperature":10,"field":[0,0,0.5],"anisotropy":1.0,"easyAxis":[0,0,1],
//     "init":[0,0,1],"repeats":3}'
//
// One gpu.js kernel thread integrates one macrospin for all `steps` stochastic
// Heun steps and returns its final m_z. Mode "webgpu" runs gpu.js's WGSL
// backend on a Dawn `navigator.gpu` installed here; mode "cpu" runs the same
// kernel function on gpu.js's plain-JavaScript CPU backend.
//
// Physics (energy meV, time ps, temperature K):
//   E(m) = -B.m - K (m.n)^2,   H = -dE/dm + b = B + 2K (m.n) n + b
//   dm/dt = -1/(hbar S (1+alpha^2)) [ m x H + alpha m x (m x H) ]
//   b = sigma xi, xi ~ N(0,1)^3, sigma = sqrt(2 alpha hbar S kB T / dt), one b per step
//   predictor  mp = normalize(m + dt f(m,b))
//   corrector  m' = normalize(m + dt/2 (f(m,b) + f(mp,b)))
//
// stdout: exactly one JSON line. On failure: {"backend", "error"} and exit code 2.
// Dawn's stderr chatter ("Couldn't load Vulkan", limit warnings) is expected.
//
// Optional config keys beyond the brief:
//   seed            PCG seed for the webgpu kernel (cpu mode: Math.random is unseeded)
//   binding         "auto" (default) | "nested" | "project" | absolute path to a dawn .node/.js
//                   auto = gpu.js's own nested webgpu package, else the project's webgpu package
//   adapter         "auto" (default: hardware default adapter, else opengles/compat) |
//                   "default" | "opengles"
//   timeoutSeconds  watchdog; default 300. The measurement runs in a child process
//                   (same script, --child) that the parent kills when this expires.
//   tolerance       analytic-check tolerance; default 1e-3
//   dumpWGSL        path to write the generated WGSL to (webgpu mode)

import { createRequire } from 'node:module';
import { dirname, join, isAbsolute } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);

const HBAR = 0.6582119569; // meV ps
const KB = 0.08617333262; // meV / K

const DEFAULTS = {
  mode: 'webgpu',
  systems: 65536,
  steps: 100,
  dt: 0.01,
  S: 1,
  alpha: 0.1,
  temperature: 10,
  field: [0, 0, 0.5],
  anisotropy: 1.0,
  easyAxis: [0, 0, 1],
  init: [0, 0, 1],
  repeats: 3,
  seed: 12345,
  binding: 'auto',
  adapter: 'auto',
  timeoutSeconds: 300,
  tolerance: 1e-3,
  dumpWGSL: null,
};

let backendName = 'gpu.js-webgpu';
let finished = false;
const extraErrorInfo = {};
const IS_CHILD = process.argv[2] === '--child';

// Keep stdout for the single JSON line: anything gpu.js (or anyone) logs goes to stderr.
const writeStdout = process.stdout.write.bind(process.stdout);
console.log = (...args) => console.error(...args);
console.info = (...args) => console.error(...args);

function emit(obj, code) {
  if (finished) return;
  finished = true;
  process.exitCode = code;
  writeStdout(JSON.stringify(obj) + '\n', () => {
    // If a native handle still pins the event loop after teardown, do not hang.
    setTimeout(() => process.exit(code), 3000).unref();
  });
}

function fail(err) {
  const message = err && err.message ? err.message : String(err);
  emit({ backend: backendName, error: message, ...extraErrorInfo }, 2);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

// ---------------------------------------------------------------- config

function parseConfig(raw) {
  let user = {};
  if (raw !== undefined && raw.trim() !== '') {
    user = JSON.parse(raw);
    if (user === null || typeof user !== 'object' || Array.isArray(user)) {
      throw new Error('config must be a JSON object');
    }
    if (user.mode === 'cpu') backendName = 'gpu.js-cpu';
  }
  const c = { ...DEFAULTS, ...user };
  if (c.mode !== 'webgpu' && c.mode !== 'cpu') throw new Error(`mode must be "webgpu" or "cpu", got ${ JSON.stringify(c.mode) }`);
  for (const k of ['systems', 'steps', 'repeats']) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`${ k } must be a positive integer`);
  }
  if (c.steps > 0x7fffffff) throw new Error('steps too large');
  for (const k of ['dt', 'S', 'alpha', 'temperature', 'anisotropy', 'timeoutSeconds', 'tolerance']) {
    if (typeof c[k] !== 'number' || !Number.isFinite(c[k])) throw new Error(`${ k } must be a finite number`);
  }
  if (!(c.dt > 0)) throw new Error('dt must be > 0');
  if (!(c.S > 0)) throw new Error('S must be > 0');
  if (c.alpha < 0) throw new Error('alpha must be >= 0');
  if (c.temperature < 0) throw new Error('temperature must be >= 0');
  for (const k of ['field', 'easyAxis', 'init']) {
    if (!Array.isArray(c[k]) || c[k].length !== 3 || !c[k].every(v => typeof v === 'number' && Number.isFinite(v))) {
      throw new Error(`${ k } must be an array of 3 finite numbers`);
    }
  }
  return c;
}

function normalize3(v, what) {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (!(n > 0)) throw new Error(`${ what } must be non-zero`);
  return [v[0] / n, v[1] / n, v[2] / n];
}

// ---------------------------------------------------------------- kernel

// Plain JS, translated by gpu.js to WGSL (webgpu) or run as-is (cpu).
// One thread = one macrospin, all `steps` Heun steps in a loop.
function llgHeunKernel(steps, dt, pref, alpha, sigma, bx, by, bz, k2, nx, ny, nz, ix, iy, iz) {
  let mx = ix;
  let my = iy;
  let mz = iz;
  for (let s = 0; s < steps; s++) {
    // thermal field: Box-Muller, 2 pairs of uniforms -> 3 normals (4th discarded).
    // 1 - U keeps the log argument in (0, 1].
    const u1 = 1.0 - Math.random();
    const u2 = Math.random();
    const u3 = 1.0 - Math.random();
    const u4 = Math.random();
    const r1 = sigma * Math.sqrt(-2.0 * Math.log(u1));
    const r2 = sigma * Math.sqrt(-2.0 * Math.log(u3));
    const tx = r1 * Math.cos(6.283185307179586 * u2);
    const ty = r1 * Math.sin(6.283185307179586 * u2);
    const tz = r2 * Math.cos(6.283185307179586 * u4);

    // stage 1: f(m, b)
    const mn1 = mx * nx + my * ny + mz * nz;
    const h1x = bx + k2 * mn1 * nx + tx;
    const h1y = by + k2 * mn1 * ny + ty;
    const h1z = bz + k2 * mn1 * nz + tz;
    const c1x = my * h1z - mz * h1y;
    const c1y = mz * h1x - mx * h1z;
    const c1z = mx * h1y - my * h1x;
    const d1x = my * c1z - mz * c1y;
    const d1y = mz * c1x - mx * c1z;
    const d1z = mx * c1y - my * c1x;
    const f1x = -pref * (c1x + alpha * d1x);
    const f1y = -pref * (c1y + alpha * d1y);
    const f1z = -pref * (c1z + alpha * d1z);

    // predictor
    let px = mx + dt * f1x;
    let py = my + dt * f1y;
    let pz = mz + dt * f1z;
    const ip = 1.0 / Math.sqrt(px * px + py * py + pz * pz);
    px = px * ip;
    py = py * ip;
    pz = pz * ip;

    // stage 2: f(mp, b), same b
    const mn2 = px * nx + py * ny + pz * nz;
    const h2x = bx + k2 * mn2 * nx + tx;
    const h2y = by + k2 * mn2 * ny + ty;
    const h2z = bz + k2 * mn2 * nz + tz;
    const c2x = py * h2z - pz * h2y;
    const c2y = pz * h2x - px * h2z;
    const c2z = px * h2y - py * h2x;
    const d2x = py * c2z - pz * c2y;
    const d2y = pz * c2x - px * c2z;
    const d2z = px * c2y - py * c2x;
    const f2x = -pref * (c2x + alpha * d2x);
    const f2y = -pref * (c2y + alpha * d2y);
    const f2z = -pref * (c2z + alpha * d2z);

    // corrector
    let qx = mx + 0.5 * dt * (f1x + f2x);
    let qy = my + 0.5 * dt * (f1y + f2y);
    let qz = mz + 0.5 * dt * (f1z + f2z);
    const iq = 1.0 / Math.sqrt(qx * qx + qy * qy + qz * qz);
    mx = qx * iq;
    my = qy * iq;
    mz = qz * iq;
  }
  return mz;
}

const ARGUMENT_TYPES = {
  steps: 'Integer',
  dt: 'Float', pref: 'Float', alpha: 'Float', sigma: 'Float',
  bx: 'Float', by: 'Float', bz: 'Float', k2: 'Float',
  nx: 'Float', ny: 'Float', nz: 'Float',
  ix: 'Float', iy: 'Float', iz: 'Float',
};

// Zero-temperature, zero-anisotropy precession-damping about B || z:
// tan(theta/2) = tan(theta0/2) exp(-alpha omega t / (1 + alpha^2)), omega = |B| / (hbar S).
function analyticMz(c, init) {
  const [bx, by, bz] = c.field;
  if (c.temperature !== 0 || c.anisotropy !== 0 || bx !== 0 || by !== 0 || bz === 0) return null;
  const sgn = Math.sign(bz);
  const cos0 = Math.max(-1, Math.min(1, init[2] * sgn));
  const theta0 = Math.acos(cos0);
  const omega = Math.abs(bz) / (HBAR * c.S);
  const t = c.steps * c.dt;
  const theta = 2 * Math.atan(Math.tan(theta0 / 2) * Math.exp(-c.alpha * omega * t / (1 + c.alpha * c.alpha)));
  return sgn * Math.cos(theta);
}

// Thermal reference for K = 0, B || z, T > 0: Boltzmann weight exp(B.m / kB T) on the unit
// sphere gives <m.B^> = L(|B| / kB T), L(x) = coth x - 1/x (Langevin). Only meaningful once
// steps*dt is several relaxation times tau = (1 + alpha^2) hbar S / (alpha |B|).
function equilibriumMz(c) {
  const [bx, by, bz] = c.field;
  if (!(c.temperature > 0) || c.anisotropy !== 0 || bx !== 0 || by !== 0 || bz === 0 || !(c.alpha > 0)) return null;
  const x = Math.abs(bz) / (KB * c.temperature);
  const langevin = x < 1e-4 ? x / 3 : 1 / Math.tanh(x) - 1 / x;
  const tau = (1 + c.alpha * c.alpha) * HBAR * c.S / (c.alpha * Math.abs(bz));
  return { mz: Math.sign(bz) * langevin, relaxationTimePs: tau, simulatedTimePs: c.steps * c.dt };
}

// ---------------------------------------------------------------- webgpu plumbing

function packageVersion(pkgJsonPath) {
  try {
    return JSON.parse(readFileSync(pkgJsonPath, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

async function loadBindingFrom(label, spec) {
  // spec: { entry, pkgJson }
  const mod = await import(pathToFileURL(spec.entry).href);
  const api = mod.create ? mod : (mod.default || mod);
  if (typeof api.create !== 'function') throw new Error(`${ spec.entry } exports no create()`);
  return {
    create: api.create,
    globals: api.globals,
    name: label,
    version: spec.pkgJson ? packageVersion(spec.pkgJson) : 'unknown',
    path: spec.entry,
  };
}

async function loadBinding(which) {
  const gpujsPkg = require.resolve('gpu.js/package.json');
  const nestedRequire = createRequire(gpujsPkg);
  const projectRequire = createRequire(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'));
  const specFor = (req) => {
    const pkgJson = req.resolve('webgpu/package.json');
    const pkg = JSON.parse(readFileSync(pkgJson, 'utf8'));
    return { entry: join(dirname(pkgJson), pkg.main || 'index.js'), pkgJson };
  };

  if (which !== 'auto' && which !== 'nested' && which !== 'project') {
    const p = isAbsolute(which) ? which : join(process.cwd(), which);
    if (p.endsWith('.node')) {
      const api = createRequire(import.meta.url)(p);
      return { create: api.create, globals: api.globals, name: 'custom', version: 'unknown', path: p };
    }
    return loadBindingFrom('custom', { entry: p, pkgJson: null });
  }

  const notes = [];
  if (which === 'auto' || which === 'nested') {
    try {
      return { ...(await loadBindingFrom('gpu.js-nested', specFor(nestedRequire))), notes };
    } catch (e) {
      const msg = (e && e.message ? e.message : String(e)).split('\n')[0];
      if (which === 'nested') throw new Error(`gpu.js's nested webgpu binding failed to load: ${ msg }`);
      notes.push(`gpu.js's nested webgpu@${ safeVersion(nestedRequire) } did not load (${ msg }); using the project's webgpu package`);
    }
  }
  return { ...(await loadBindingFrom('project', specFor(projectRequire))), notes };
}

function safeVersion(req) {
  try {
    return packageVersion(req.resolve('webgpu/package.json'));
  } catch {
    return '?';
  }
}

function describeAdapter(adapter) {
  const info = adapter.info || {};
  const parts = [info.vendor, info.architecture, info.device, info.description]
    .map(s => (s == null ? '' : String(s).trim()))
    .filter(s => s.length > 0);
  return parts.length ? parts.join(' / ') : 'unknown adapter';
}

async function pickAdapter(binding, preference) {
  if (!process.env.EGL_PLATFORM) process.env.EGL_PLATFORM = 'surfaceless';
  const tried = [];
  if (preference === 'auto' || preference === 'default') {
    const instance = binding.create([]);
    const adapter = await instance.requestAdapter();
    const isFallback = adapter && (adapter.isFallbackAdapter || (adapter.info && adapter.info.isFallbackAdapter));
    if (adapter && (!isFallback || preference === 'default')) {
      return { instance, adapter, dawnFlags: [], featureLevel: 'core' };
    }
    tried.push(adapter ? 'default: fallback adapter only' : 'default: no adapter');
  }
  if (preference === 'auto' || preference === 'opengles') {
    const flags = ['backend=opengles'];
    const instance = binding.create(flags);
    const adapter = await instance.requestAdapter({ featureLevel: 'compatibility' });
    if (adapter) return { instance, adapter, dawnFlags: flags, featureLevel: 'compatibility' };
    tried.push('backend=opengles + featureLevel compatibility: no adapter');
  }
  throw new Error(`no WebGPU adapter (${ tried.join('; ') })`);
}

// Older dawn.node builds (webgpu@0.2.9, the one gpu.js pins) throw "object is not of the
// correct interface type / invalid value to onuncapturederror" when a function is assigned to
// GPUDevice.onuncapturederror, which gpu.js's WebGPUContext.acquire() does unconditionally.
// Shadow the attribute with a plain own property on such devices so acquire() succeeds;
// validation errors are then only seen through gpu.js's own error scopes / compilation info.
const compatShims = [];

function patchDevice(device) {
  try {
    device.onuncapturederror = function noop() {};
    device.onuncapturederror = null;
  } catch {
    let handler = null;
    Object.defineProperty(device, 'onuncapturederror', {
      get: () => handler,
      set: (h) => { handler = h; },
      configurable: true,
      enumerable: true,
    });
    if (!compatShims.includes('onuncapturederror')) compatShims.push('onuncapturederror');
  }
  return device;
}

function patchAdapter(adapter) {
  if (!adapter) return adapter;
  const requestDevice = adapter.requestDevice.bind(adapter);
  Object.defineProperty(adapter, 'requestDevice', {
    value: async (desc) => patchDevice(await requestDevice(desc)),
    configurable: true,
    writable: true,
  });
  return adapter;
}

function installNavigator(instance, featureLevel) {
  const gpuShim = {
    // gpu.js calls requestAdapter() itself (GPU.isWebGPUAvailable, WebGPUContext.acquire);
    // hand it a fresh adapter from the same instance/options as the one picked here.
    requestAdapter: async (opts) => patchAdapter(await instance.requestAdapter(
      featureLevel === 'compatibility' ? { ...(opts || {}), featureLevel: 'compatibility' } : opts)),
    getPreferredCanvasFormat: () => {
      try {
        return instance.getPreferredCanvasFormat();
      } catch {
        return 'rgba8unorm';
      }
    },
    get wgslLanguageFeatures() {
      return instance.wgslLanguageFeatures;
    },
  };
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu: gpuShim, userAgent: `node/${ process.versions.node }` },
    configurable: true,
    writable: true,
    enumerable: false,
  });
}

// ---------------------------------------------------------------- main

// The measurement runs in a child process so the supervisor can enforce the timeout even
// when the child's event loop is blocked (gpu.js cpu mode is synchronous JavaScript; Dawn's
// GL backend can block in a long dispatch) or when native teardown crashes after the result.
function supervise(raw) {
  const c = parseConfig(raw);
  backendName = c.mode === 'webgpu' ? 'gpu.js-webgpu' : 'gpu.js-cpu';
  const env = { ...process.env };
  if (!env.EGL_PLATFORM) env.EGL_PLATFORM = 'surfaceless';
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', JSON.stringify(c)], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  let result = null;
  let killedFor = null;
  let graceTimer = null;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    const lines = stdout.split('\n');
    for (let i = 0; i < lines.length - 1; i++) {
      const line = lines[i].trim();
      if (!line.startsWith('{')) continue;
      try {
        result = JSON.parse(line);
      } catch { /* not ours */ }
    }
    if (result && !graceTimer) {
      // result is in; give native teardown a few seconds, then stop waiting for it
      graceTimer = setTimeout(() => {
        killedFor = 'exit';
        child.kill('SIGKILL');
      }, 10000);
    }
  });
  const watchdog = setTimeout(() => {
    killedFor = 'timeout';
    child.kill('SIGKILL');
  }, c.timeoutSeconds * 1000);
  child.on('error', (e) => {
    clearTimeout(watchdog);
    fail(e);
  });
  child.on('close', (code, signal) => {
    clearTimeout(watchdog);
    clearTimeout(graceTimer);
    if (result && !result.error) {
      if (code !== 0) {
        result.exitNote = killedFor === 'exit' ?
          'measurement child printed its result but did not exit within 10 s; killed' :
          `measurement child printed its result, then exited with ${ signal ? `signal ${ signal }` : `code ${ code }` } during teardown`;
      }
      emit(result, 0);
    } else if (result && result.error) {
      emit(result, 2);
    } else if (killedFor === 'timeout') {
      fail(new Error(`timed out after ${ c.timeoutSeconds } s (timeoutSeconds); measurement process killed`));
    } else {
      fail(new Error(`measurement process exited with ${ signal ? `signal ${ signal }` : `code ${ code }` } without a result`));
    }
  });
}

async function main(raw) {
  const c = parseConfig(raw);
  backendName = c.mode === 'webgpu' ? 'gpu.js-webgpu' : 'gpu.js-cpu';

  const init = normalize3(c.init, 'init');
  const n = c.anisotropy !== 0 ? normalize3(c.easyAxis, 'easyAxis') : [0, 0, 1];
  const pref = 1 / (HBAR * c.S * (1 + c.alpha * c.alpha));
  const sigma = Math.sqrt(2 * c.alpha * HBAR * c.S * KB * c.temperature / c.dt);
  const args = [c.steps, c.dt, pref, c.alpha, sigma, c.field[0], c.field[1], c.field[2], 2 * c.anisotropy,
    n[0], n[1], n[2], init[0], init[1], init[2]];

  let adapterDescription = 'cpu';
  let bindingInfo;
  if (c.mode === 'webgpu') {
    let binding = await loadBinding(c.binding);
    const describeBinding = (b) => ({
      package: `webgpu@${ b.version }`,
      source: b.name,
      ...(b.notes && b.notes.length ? { note: b.notes.join('; ') } : {}),
    });
    extraErrorInfo.binding = describeBinding(binding);
    let picked;
    try {
      picked = await pickAdapter(binding, c.adapter);
    } catch (e) {
      if (c.binding !== 'auto' || binding.name !== 'gpu.js-nested') throw e;
      // gpu.js's own binding loaded but found no adapter: try the project's newer Dawn
      const note = `gpu.js's nested webgpu@${ binding.version } loaded but ${ e.message }; using the project's webgpu package`;
      binding = await loadBinding('project');
      binding.notes = [note];
      extraErrorInfo.binding = describeBinding(binding);
      picked = await pickAdapter(binding, c.adapter);
    }
    Object.assign(globalThis, binding.globals);
    bindingInfo = describeBinding(binding);
    extraErrorInfo.binding = bindingInfo;
    adapterDescription = describeAdapter(picked.adapter);
    bindingInfo.dawnFlags = picked.dawnFlags;
    bindingInfo.featureLevel = picked.featureLevel;
    installNavigator(picked.instance, picked.featureLevel);
  }

  const gpujsPkgPath = require.resolve('gpu.js/package.json');
  const gpujsVersion = packageVersion(gpujsPkgPath);
  const gpujs = require('gpu.js');
  const { GPU, WebGPUContext } = gpujs;

  const uncaptured = [];
  let device = null;
  if (c.mode === 'webgpu') {
    if (!GPU.isWebGPUSupported) throw new Error('gpu.js reports WebGPU unsupported (navigator.gpu missing)');
    // Acquire gpu.js's shared device up front so validation errors are recorded and
    // the device can be destroyed at the end.
    const ctx = await WebGPUContext.acquire();
    device = ctx.device;
    const prev = device.onuncapturederror;
    device.onuncapturederror = (e) => {
      uncaptured.push(e && e.error ? e.error.message : String(e));
      if (typeof prev === 'function') prev(e);
    };
    if (compatShims.length) bindingInfo.compatShims = compatShims.slice();
  }

  const gpu = new GPU({ mode: c.mode });
  const settings = {
    output: [c.systems],
    loopMaxIterations: c.steps,
    argumentTypes: ARGUMENT_TYPES,
    returnType: 'Float',
  };
  if (c.mode === 'webgpu') settings.randomSeed = c.seed >>> 0;
  const kernel = gpu.createKernel(llgHeunKernel, settings);

  const runOnce = async () => {
    const out = await kernel(...args);
    if (uncaptured.length) throw new Error(`WebGPU validation error: ${ uncaptured[0] }`);
    return out;
  };

  let teardownDone = false;
  const teardown = async () => {
    if (teardownDone) return;
    teardownDone = true;
    try { await gpu.destroy(); } catch { /* ignore */ }
    if (c.mode === 'webgpu') {
      try { await WebGPUContext.destroy(); } catch { /* ignore */ }
      if (device) {
        try { device.destroy(); } catch { /* ignore */ }
      }
      // the navigator shim holds the Dawn instance; dropping it lets Node exit
      delete globalThis.navigator;
    }
  };

  try {
    const tw = process.hrtime.bigint();
    let out = await runOnce(); // warm-up: parse + WGSL/JS compile + pipeline creation
    const warmupSeconds = Number(process.hrtime.bigint() - tw) / 1e9;

    const executedMode = kernel.kernel && kernel.kernel.constructor ? kernel.kernel.constructor.mode : 'unknown';
    if (executedMode !== c.mode) {
      throw new Error(`gpu.js executed the kernel in mode "${ executedMode }", not "${ c.mode }"`);
    }
    if (c.mode === 'webgpu' && c.dumpWGSL && kernel.kernel.compiledSource) {
      writeFileSync(c.dumpWGSL, kernel.kernel.compiledSource);
    }

    const timings = [];
    for (let r = 0; r < c.repeats; r++) {
      const t0 = process.hrtime.bigint();
      out = await runOnce();
      timings.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    const best = Math.min(...timings);

    if (!out || typeof out.length !== 'number' || out.length !== c.systems) {
      throw new Error(`unexpected kernel output (length ${ out && out.length }, expected ${ c.systems })`);
    }
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    let nonFinite = 0;
    for (let i = 0; i < out.length; i++) {
      const v = out[i];
      if (!Number.isFinite(v)) {
        nonFinite++;
        continue;
      }
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const finiteCount = out.length - nonFinite;
    const meanMz = finiteCount > 0 ? sum / finiteCount : null;

    const checks = {
      kernelMode: executedMode,
      nonFinite,
      mzMin: finiteCount ? min : null,
      mzMax: finiteCount ? max : null,
      mzInRange: finiteCount > 0 && min >= -1 - 1e-5 && max <= 1 + 1e-5,
    };
    if (finiteCount > 1) {
      // ensemble standard error of meanMz (compare runs/backends with different RNG streams)
      let ss = 0;
      for (let i = 0; i < out.length; i++) if (Number.isFinite(out[i])) ss += (out[i] - meanMz) ** 2;
      checks.meanMzStdError = Math.sqrt(ss / (finiteCount - 1) / finiteCount);
    }
    const analytic = analyticMz(c, init);
    if (analytic !== null) {
      checks.analyticMz = analytic;
      checks.meanMz = meanMz;
      checks.absError = meanMz === null ? null : Math.abs(meanMz - analytic);
      checks.tolerance = c.tolerance;
      checks.pass = meanMz !== null && Math.abs(meanMz - analytic) <= c.tolerance && nonFinite === 0;
    }
    const eq = equilibriumMz(c);
    if (eq !== null) {
      // informational: the ensemble mean approaches this after several relaxation times
      checks.equilibriumMz = eq.mz;
      checks.relaxationTimePs = eq.relaxationTimePs;
      checks.simulatedTimePs = eq.simulatedTimePs;
    }

    const result = {
      backend: backendName,
      adapter: adapterDescription,
      systems: c.systems,
      steps: c.steps,
      seconds: best,
      spinStepsPerSecond: (c.systems * c.steps) / best,
      gpujsVersion,
      meanMz,
      checks,
      warmupSeconds,
      timingsSeconds: timings,
      precision: c.mode === 'webgpu' ? 'f32' : 'f64 (JavaScript numbers)',
      params: {
        dt: c.dt, S: c.S, alpha: c.alpha, temperature: c.temperature, field: c.field,
        anisotropy: c.anisotropy, easyAxis: c.easyAxis, init: c.init, repeats: c.repeats,
        sigma, seed: c.mode === 'webgpu' ? (c.seed >>> 0) : null,
      },
    };
    if (bindingInfo) result.binding = bindingInfo;
    await teardown();
    emit(result, 0);
  } finally {
    await teardown();
  }
}

if (IS_CHILD) {
  main(process.argv[3]).catch(fail);
} else {
  try {
    supervise(process.argv[2]);
  } catch (e) {
    fail(e);
  }
}
