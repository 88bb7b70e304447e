import { gzipSync } from 'node:zlib';

/** Header fields worth hitting on purpose (NIfTI-1 offsets), with the widths to overwrite. */
const FIELDS: [offset: number, width: 1 | 2 | 4][] = [
  [0, 4],
  [40, 2],
  [42, 2],
  [44, 2],
  [46, 2],
  [48, 2],
  [50, 2],
  [68, 2],
  [70, 2],
  [72, 2],
  [76, 4],
  [80, 4],
  [84, 4],
  [88, 4],
  [108, 4],
  [112, 4],
  [116, 4],
  [252, 2],
  [254, 2],
  [256, 4],
  [260, 4],
  [264, 4],
  [280, 4],
  [296, 4],
  [312, 4],
  [344, 1],
  [345, 1],
  [346, 1],
];
const NASTY = [0, 1, -1, 0x7fff, -0x8000, 0x7fffffff, -0x80000000, 0xffffffff, 352, 348, 540, 2304, 16, 4, 1024];

/** One random damage to a NIfTI file: header bytes or fields, truncation, trailing bytes, data flips, gzip damage. */
export function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let b = src.slice();
  const kind = Math.floor(rnd() * 6);
  if (kind === 0) {
    // random bytes anywhere in the header
    for (let n = 1 + Math.floor(rnd() * 4); n > 0; n--)
      b[Math.floor(rnd() * Math.min(352, b.length))] = Math.floor(rnd() * 256);
  } else if (kind === 1) {
    const [off, width] = pick(FIELDS);
    const dv = new DataView(b.buffer);
    const v = rnd() < 0.2 ? (rnd() < 0.5 ? NaN : Infinity) : pick(NASTY);
    if (off + width <= b.length) {
      if (width === 4 && (off >= 76 || !Number.isInteger(v))) dv.setFloat32(off, v, true);
      else if (width === 4) dv.setInt32(off, v | 0, true);
      else if (width === 2) dv.setInt16(off, Number.isFinite(v) ? v : 0, true);
      else dv.setUint8(off, Number.isFinite(v) ? v & 0xff : 0);
    }
  } else if (kind === 2) {
    b = b.subarray(0, Math.floor(rnd() * b.length));
  } else if (kind === 3) {
    const extra = new Uint8Array(Math.floor(rnd() * 4096)).map(() => Math.floor(rnd() * 256));
    const out = new Uint8Array(b.length + extra.length);
    out.set(b);
    out.set(extra, b.length);
    b = out;
  } else if (kind === 4) {
    // flips in the data region
    for (let n = 1 + Math.floor(rnd() * 16); n > 0; n--) b[Math.floor(rnd() * b.length)]! ^= 1 << Math.floor(rnd() * 8);
  } else {
    // the same header attacks through gzip
    const inner = mutate(src, rnd);
    b = new Uint8Array(gzipSync(inner));
  }
  if (rnd() < 0.15) {
    // damage or cut a gzip stream
    const gz = b[0] === 0x1f ? b : new Uint8Array(gzipSync(b));
    const at = 10 + Math.floor(rnd() * Math.max(1, gz.length - 10));
    b = rnd() < 0.5 ? gz.subarray(0, at) : gz.map((x, i) => (i === at ? x ^ 0xff : x));
  }
  return b;
}
