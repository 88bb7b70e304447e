import { WASM_BASE64 } from './pair-scan-bytes';

/** Where a scan's supra-threshold voxels go (PermutedT's SupraSink, begun by the caller). */
interface VoxelSink {
  add(j: number, t: number): void;
}

/**
 * PermutedT's pair scan in WebAssembly (pair-scan.wat): the same bits as the JavaScript loop it
 * stands for, which stays the reference (the tests run both on the same stacks), in about 0.24 ms
 * where the loop takes 0.58 on a 10-pair study's 160,898 voxels (bench/README.md, G1). It needs
 * 128-bit SIMD (Chrome 91, Node 16.4); without it the loop runs.
 */
interface PairScanExports {
  memory: WebAssembly.Memory;
  pair(
    acc: number,
    squares: number,
    x: number,
    m: number,
    d: number,
    invN: number,
    rootK: number,
    u2: number,
    uf: number,
    out: number,
    outMirror: number,
  ): number;
  mirrorBest(): number;
  found(): number;
  foundMirror(): number;
}

/** Bytes a voxel takes: sum and sum of squares (float64), a subject's value, two (index, t) places. */
const BYTES_PER_VOXEL = 8 + 8 + 4 + 8 + 8;
/** A memory no larger than this is asked for (wasm32 reaches 4 GiB; browsers may refuse more). */
const MAX_BYTES = 2 ** 31;
const PAGE = 65536;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, once; null where WebAssembly or its SIMD is missing, or scans are kept in JavaScript. */
function pairScanModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (wasmScansOff || typeof WebAssembly === 'undefined') return null;
  try {
    const bytes = Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

let wasmScansOff = false;

/** Keeps every scan in JavaScript from now on (tests compare the two; `off` false lets it back). */
export function useWasmScans(on: boolean): void {
  wasmScansOff = !on;
  compiled = undefined;
}

/** One stack's scan state in a WebAssembly memory: `acc` is PermutedT's float64 sums, in place. */
export class PairScan {
  readonly acc: Float64Array;
  private readonly x: Float32Array;
  private readonly out: Int32Array;
  private readonly outT: Float32Array;
  private readonly outMirror: Int32Array;
  private readonly outMirrorT: Float32Array;
  private readonly at: { acc: number; squares: number; x: number; out: number; outMirror: number };

  private constructor(
    private readonly k: PairScanExports,
    squares: Float64Array,
  ) {
    const m = squares.length;
    this.at = { acc: 0, squares: 8 * m, x: 16 * m, out: 20 * m, outMirror: 28 * m };
    const buf = k.memory.buffer;
    this.acc = new Float64Array(buf, this.at.acc, m);
    new Float64Array(buf, this.at.squares, m).set(squares);
    this.x = new Float32Array(buf, this.at.x, m);
    this.out = new Int32Array(buf, this.at.out, 2 * m);
    this.outT = new Float32Array(buf, this.at.out, 2 * m);
    this.outMirror = new Int32Array(buf, this.at.outMirror, 2 * m);
    this.outMirrorT = new Float32Array(buf, this.at.outMirror, 2 * m);
  }

  /** A scan state for m voxels with these sums of squares, or null (no SIMD, or too many voxels). */
  static create(squares: Float64Array): PairScan | null {
    const module = pairScanModule();
    const bytes = squares.length * BYTES_PER_VOXEL;
    if (!module || bytes > MAX_BYTES) return null;
    try {
      const instance = new WebAssembly.Instance(module, {});
      const k = instance.exports as unknown as PairScanExports;
      if (k.memory.buffer.byteLength < bytes) k.memory.grow(Math.ceil((bytes - k.memory.buffer.byteLength) / PAGE));
      return new PairScan(k, squares);
    } catch {
      // A memory the host refuses (RangeError) leaves the JavaScript loop to do the work.
      return null;
    }
  }

  /**
   * scanSignFlipPair: sums += d x, then p's voxels to `sink` and the mirror's to `mirrorSink`.
   * Returns p's max t and the mirror's (-Infinity when no voxel decided it).
   */
  scan(
    x: Float32Array,
    d: number,
    n: number,
    uf: number,
    sink: VoxelSink,
    mirrorSink: VoxelSink,
  ): { best: number; mirror: number } {
    const m = this.acc.length;
    // The pending subject's row is copied in (0.03 ms for 160,898 voxels): the stack itself stays
    // where it is, not doubled in this memory.
    if (d !== 0) this.x.set(x);
    const k = this.k;
    const best = k.pair(
      this.at.acc,
      this.at.squares,
      this.at.x,
      m,
      d,
      1 / n,
      Math.sqrt((n - 1) / n),
      uf * uf * (1 - 1e-6),
      uf,
      this.at.out,
      this.at.outMirror,
    );
    const found = k.found();
    for (let i = 0; i < found; i++) sink.add(this.out[2 * i]!, this.outT[2 * i + 1]!);
    const foundMirror = k.foundMirror();
    for (let i = 0; i < foundMirror; i++) mirrorSink.add(this.outMirror[2 * i]!, this.outMirrorT[2 * i + 1]!);
    return { best, mirror: k.mirrorBest() };
  }
}
