import { WASM_BASE64 } from './pair-scan-bytes';

/** Where a scan's supra-threshold voxels go (PermutedT's SupraSink, begun by the caller). */
interface VoxelSink {
  add(j: number, t: number): void;
  /** The first `count` voxels of `index` with their `t`, as `add` one by one would take them. */
  addMany?(index: Int32Array, t: Float32Array, count: number): void;
}

/**
 * PermutedT's pair scan in WebAssembly (pair-scan.wat): the same bits as the JavaScript loop it
 * stands for, which stays the reference (the tests run both on the same stacks), in about 0.24 ms
 * where the loop takes 0.58 on a 10-pair study's 160,898 voxels (bench/README.md, G1). It needs
 * 128-bit SIMD (Chrome 91, Node 16.4); without it the loop runs.
 */
interface PairScanExports {
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
    outT: number,
    outMirror: number,
    outMirrorT: number,
  ): number;
  mirrorBest(): number;
  found(): number;
  foundMirror(): number;
}

/**
 * Bytes a voxel takes: sum and sum of squares (float64), p's and the mirror's (index, t), and the
 * step's subject, copied in at each step (0.03 ms on a 10-pair 2 mm study). Copying the whole stack
 * in once instead cost more in fresh pages than it saved (G1: 0.833 against 0.816 CPU s).
 */
const BYTES_PER_VOXEL = 8 + 8 + 4 + 4 + 4 + 4 + 4;
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

/** Keeps every scan in JavaScript from now on, or lets WebAssembly back (tests compare the two). */
export function useWasmScans(on: boolean): void {
  wasmScansOff = !on;
  compiled = undefined;
}

/** One stack's scan state in a WebAssembly memory: `acc` is PermutedT's float64 sums, in place. */
export class PairScan {
  readonly acc: Float64Array;
  private readonly out: Int32Array;
  private readonly outT: Float32Array;
  private readonly outMirror: Int32Array;
  private readonly outMirrorT: Float32Array;
  private readonly at: {
    acc: number;
    squares: number;
    out: number;
    outT: number;
    outMirror: number;
    outMirrorT: number;
    x: number;
  };
  /** Where a step's subject is copied to. */
  private readonly x: Float32Array;

  private constructor(
    private readonly k: PairScanExports,
    memory: WebAssembly.Memory,
    squares: Float64Array,
  ) {
    const m = squares.length;
    const at = { acc: 0, squares: 8 * m, out: 16 * m, outT: 20 * m, outMirror: 24 * m, outMirrorT: 28 * m, x: 32 * m };
    this.at = at;
    const buf = memory.buffer;
    this.acc = new Float64Array(buf, at.acc, m);
    new Float64Array(buf, at.squares, m).set(squares);
    this.out = new Int32Array(buf, at.out, m);
    this.outT = new Float32Array(buf, at.outT, m);
    this.outMirror = new Int32Array(buf, at.outMirror, m);
    this.outMirrorT = new Float32Array(buf, at.outMirrorT, m);
    this.x = new Float32Array(buf, at.x, m);
  }

  /** A scan state for m voxels with these sums of squares, or null (no SIMD, or too many voxels). */
  static create(squares: Float64Array): PairScan | null {
    const module = pairScanModule();
    const bytes = squares.length * BYTES_PER_VOXEL;
    if (!module || bytes > MAX_BYTES) return null;
    try {
      // Made at its full size, never grown: growing a memory detaches its buffer, and V8 then checks
      // every typed array access of the process for detachment (freshSums ran at half speed).
      const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
      const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as PairScanExports;
      return new PairScan(k, memory, squares);
    } catch {
      // A memory the host refuses (RangeError) leaves the JavaScript loop to do the work.
      return null;
    }
  }

  /**
   * scanSignFlipPair: sums += d x (d = 0: none pending), then p's voxels to `sink` and the mirror's
   * to `mirrorSink`. Returns p's max t and the mirror's (-Infinity when no voxel decided it).
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
      this.at.outT,
      this.at.outMirror,
      this.at.outMirrorT,
    );
    hand(sink, this.out, this.outT, k.found());
    hand(mirrorSink, this.outMirror, this.outMirrorT, k.foundMirror());
    return { best, mirror: k.mirrorBest() };
  }
}

/** A scan's voxels to a sink: at once where it takes them so, else one by one. */
function hand(sink: VoxelSink, index: Int32Array, t: Float32Array, count: number): void {
  if (sink.addMany) sink.addMany(index, t, count);
  else for (let j = 0; j < count; j++) sink.add(index[j]!, t[j]!);
}
