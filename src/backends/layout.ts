// One typed description per host ↔ shader data layout, from which both sides are generated: the WGSL
// declaration (a struct, or SLOT_<NAME> offset constants of a flat f32 row) and the TypeScript packing.
// Our own ~100 lines rather than a library: webgpu-utils' makeShaderDataDefinitions goes the other way
// (parses WGSL into views), while here the TypeScript description is the single source and the WGSL is
// generated from it, so the two can never drift apart.

/** WGSL types a uniform struct may hold (scalars and vectors; alignment per the WGSL spec). */
export type FieldType = 'f32' | 'u32' | 'i32' | 'vec2<f32>' | 'vec2<u32>' | 'vec3<f32>' | 'vec4<f32>' | 'vec4<u32>';

const TYPES: Record<FieldType, { size: number; align: number; lanes: number; kind: 'f' | 'u' | 'i' }> = {
  f32: { size: 4, align: 4, lanes: 1, kind: 'f' },
  u32: { size: 4, align: 4, lanes: 1, kind: 'u' },
  i32: { size: 4, align: 4, lanes: 1, kind: 'i' },
  'vec2<f32>': { size: 8, align: 8, lanes: 2, kind: 'f' },
  'vec2<u32>': { size: 8, align: 8, lanes: 2, kind: 'u' },
  'vec3<f32>': { size: 12, align: 16, lanes: 3, kind: 'f' },
  'vec4<f32>': { size: 16, align: 16, lanes: 4, kind: 'f' },
  'vec4<u32>': { size: 16, align: 16, lanes: 4, kind: 'u' },
};

export type StructValues<F extends Record<string, FieldType>> = { [K in keyof F]: F[K] extends `vec${string}` ? ArrayLike<number> : number };

export interface StructLayout<F extends Record<string, FieldType>> {
  readonly name: string;
  readonly fields: F;
  /** Byte offset of each field. */
  readonly offsets: { readonly [K in keyof F]: number };
  /** Size in bytes, a multiple of 16 (uniform buffers). */
  readonly size: number;
  /** `struct Name { a: u32, … }` for the shader (composeShader prepends it). */
  readonly wgsl: string;
  /** Every field must be given; integers are range-checked, floats must be finite. Writes at byte `offset` of `into`. */
  pack(values: StructValues<F>, into?: ArrayBuffer, offset?: number): ArrayBuffer;
}

const roundUp = (x: number, a: number) => Math.ceil(x / a) * a;

export function defineStruct<F extends Record<string, FieldType>>(name: string, fields: F): StructLayout<F> {
  const offsets = {} as Record<keyof F, number>;
  let at = 0, align = 4;
  for (const [k, t] of Object.entries(fields) as [keyof F & string, FieldType][]) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`struct ${name}: field name '${k}' is not a WGSL identifier`);
    const info = TYPES[t];
    at = roundUp(at, info.align);
    offsets[k] = at;
    at += info.size;
    align = Math.max(align, info.align);
  }
  const size = roundUp(roundUp(at, align), 16);
  const wgsl = `struct ${name} {\n${Object.entries(fields).map(([k, t]) => `  ${k}: ${t},`).join('\n')}\n}`;
  const pack = (values: StructValues<F>, into = new ArrayBuffer(size), offset = 0): ArrayBuffer => {
    if (into.byteLength < offset + size) throw new Error(`struct ${name}: buffer of ${into.byteLength} bytes, needs ${offset + size}`);
    const view = new DataView(into, offset);
    for (const [k, t] of Object.entries(fields) as [keyof F & string, FieldType][]) {
      const info = TYPES[t], v = values[k] as number | ArrayLike<number> | undefined;
      if (v === undefined) throw new Error(`struct ${name}: field ${k} not given`);
      const lanes = typeof v === 'number' ? [v] : Array.from(v);
      if (lanes.length !== info.lanes) throw new Error(`struct ${name}: field ${k} (${t}) needs ${info.lanes} values, got ${lanes.length}`);
      lanes.forEach((x, l) => {
        const o = offsets[k] + 4 * l;
        if (info.kind === 'f') {
          if (!Number.isFinite(x)) throw new RangeError(`struct ${name}: field ${k} must be finite, got ${x}`);
          view.setFloat32(o, x, true);
        } else if (info.kind === 'u') {
          if (!Number.isInteger(x) || x < 0 || x > 0xffffffff) throw new RangeError(`struct ${name}: field ${k} must be an integer in [0, 2^32), got ${x}`);
          view.setUint32(o, x, true);
        } else {
          if (!Number.isInteger(x) || x < -(2 ** 31) || x >= 2 ** 31) throw new RangeError(`struct ${name}: field ${k} must be an integer in [−2^31, 2^31), got ${x}`);
          view.setInt32(o, x, true);
        }
      });
    }
    return into;
  };
  return { name, fields, offsets, size, wgsl, pack };
}

/**
 * A flat f32 row (per spin, per pair, per parameter point): named slots of given widths, packed in
 * order. `offsets` for the host, `constants(prefix)` → { PREFIX_NAME: offset, …, PREFIX_STRIDE } for
 * the shader (camelCase names become SNAKE_CASE).
 */
export interface RowLayout<S extends Record<string, number>> {
  readonly offsets: { readonly [K in keyof S]: number };
  readonly stride: number;
  constants(prefix: string): Record<string, number>;
}

export function defineRow<S extends Record<string, number>>(slots: S): RowLayout<S> {
  const offsets = {} as Record<keyof S, number>;
  let at = 0;
  for (const [k, w] of Object.entries(slots) as [keyof S & string, number][]) {
    if (!Number.isInteger(w) || w < 1) throw new Error(`row slot ${k}: width must be a positive integer, got ${w}`);
    offsets[k] = at;
    at += w;
  }
  const stride = at;
  return {
    offsets, stride,
    constants(prefix: string) {
      const out: Record<string, number> = {};
      for (const [k, o] of Object.entries(offsets)) out[`${prefix}_${k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`] = o;
      out[`${prefix}_STRIDE`] = stride;
      return out;
    },
  };
}
