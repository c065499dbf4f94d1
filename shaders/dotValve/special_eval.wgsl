// Evaluation of the float32 special functions of common/digamma.wgsl at host-given arguments (for the accuracy
// tests of test/dotValve.digamma.test.ts and the twin src/kernels/dotValve/special.ts).
// mode 0: ψ(x), 1: ψ′(x) (x = args[2i], all real x); mode 2 + n: ψ⁽ⁿ⁾(args[2i] + i·args[2i+1]) (Re z > 0).

// struct Eval { mode, count } (defineStruct in src/kernels/dotValve/layout.ts)
@group(0) @binding(0) var<uniform> job: Eval;
@group(0) @binding(1) var<storage, read> args: array<f32>;
@group(0) @binding(2) var<storage, read_write> values: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * WG;
  if (i >= job.count) { return; }
  let x = args[2u * i];
  let y = args[2u * i + 1u];
  var v = vec2<f32>(0.0, 0.0);
  if (job.mode == 0u) { v.x = digamma_r(x); }
  else if (job.mode == 1u) { v.x = trigamma_r(x); }
  else { v = polygamma_c(job.mode - 2u, vec2<f32>(x, y)); }
  values[2u * i] = v.x;
  values[2u * i + 1u] = v.y;
}
