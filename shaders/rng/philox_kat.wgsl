// Test kernel: evaluates Philox words and Gaussian variates for host-given counters/keys, so the
// known-answer tests and the CPU comparison run on the adapter itself. Composed after philox.wgsl.

struct Query { ctr: vec4<u32>, key: vec2<u32>, pad: vec2<u32> }

@group(0) @binding(0) var<storage, read> queries: array<Query>;
@group(0) @binding(1) var<storage, read_write> words: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> normals: array<f32>;   // six per query

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= arrayLength(&queries)) { return; }
  let q = queries[i];
  words[i] = philox4x32(q.ctr, q.key);
  let z = gaussian6(q.ctr, q.key);
  normals[6u * i] = z.a.x; normals[6u * i + 1u] = z.a.y; normals[6u * i + 2u] = z.a.z;
  normals[6u * i + 3u] = z.b.x; normals[6u * i + 4u] = z.b.y; normals[6u * i + 5u] = z.b.z;
}
