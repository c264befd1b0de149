// `npm run icons`: draws Overseer's app icon (an eye, for supervision, on a rounded dark square) and
// writes it as PNG files: resources/icon.png (1024 px, which electron-builder turns into .icns and .ico)
// and resources/icons/<n>x<n>.png (the Linux icon set, and what the window, tray and notifications use).
// No network and no image library: the shapes are sampled 4×4 per pixel for smooth edges and the PNG is
// encoded here (zlib from Node). Run it again after changing the drawing; the files are committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];

const BACKGROUND = [31, 41, 55]; // slate
const IRIS = [45, 212, 191]; // teal
const PUPIL = [15, 23, 42];
const WHITE = [241, 245, 249];

/** Colour and coverage of the drawing at (x, y) in the unit square, or null outside it. */
function paint(x, y) {
  // Rounded square, corner radius 0.22.
  const r = 0.22;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;
  const dx = x - 0.5;
  const dy = y - 0.5;
  // The eye: the intersection of two circles (a lens), with the iris and pupil inside.
  const lens = dx * dx + (dy + 0.42) ** 2 < 0.62 ** 2 && dx * dx + (dy - 0.42) ** 2 < 0.62 ** 2;
  const d = Math.sqrt(dx * dx + dy * dy);
  if (lens && d < 0.085) return PUPIL;
  if (lens && d < 0.2) return IRIS;
  if (lens) return WHITE;
  return BACKGROUND;
}

function pixels(size) {
  const data = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let red = 0;
      let green = 0;
      let blue = 0;
      let hits = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const colour = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (colour === null) continue;
          red += colour[0];
          green += colour[1];
          blue += colour[2];
          hits++;
        }
      }
      const at = (py * size + px) * 4;
      if (hits > 0) {
        data[at] = Math.round(red / hits);
        data[at + 1] = Math.round(green / hits);
        data[at + 2] = Math.round(blue / hits);
      }
      data[at + 3] = Math.round((255 * hits) / (n * n));
    }
  }
  return data;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, k) => {
  let c = k;
  for (let i = 0; i < 8; i++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, body) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/** An 8-bit RGBA PNG of `size`×`size` pixels. */
export function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function makeIcons(outDir = join(root, 'resources')) {
  mkdirSync(join(outDir, 'icons'), { recursive: true });
  for (const size of SIZES) {
    const png = encodePng(size, pixels(size));
    writeFileSync(join(outDir, 'icons', `${size}x${size}.png`), png);
    if (size === 1024) writeFileSync(join(outDir, 'icon.png'), png);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  makeIcons();
  console.log(`overseer: wrote resources/icon.png and resources/icons/{${SIZES.join(',')}}.png`);
}
