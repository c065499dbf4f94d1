// Minimal PNG encoder (8-bit RGBA, no interlace) for raster heatmaps: node:zlib deflate, CRC-32 per chunk.
// Node only (src/plots/svg.ts itself stays browser-safe: the raster option takes this as a function).
import { crc32 } from '../io/crc32.ts';
import { deflateSync } from 'node:zlib';



function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** PNG bytes of RGBA pixels (row 0 at the top). */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  if (rgba.length !== width * height * 4) throw new RangeError(`encodePng: ${rgba.length} bytes for ${width} × ${height} RGBA`);
  const raw = Buffer.alloc(height * (1 + 4 * width));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + 4 * width)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * 4 * width, 4 * width).copy(raw, y * (1 + 4 * width) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

/** data:image/png;base64,… of RGBA pixels, for heatmap({ raster: pngDataUri }). */
export const pngDataUri = (rgba: Uint8Array, width: number, height: number): string => `data:image/png;base64,${encodePng(rgba, width, height).toString('base64')}`;
