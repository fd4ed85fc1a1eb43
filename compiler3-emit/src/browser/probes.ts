// Feature detection for the browser loader (DESIGN §11): tiny hand-assembled
// modules given to `WebAssembly.validate`, which answers without compiling
// or running anything. An emitted WasmGC module needs both proposals below —
// GC for its types and relaxed SIMD because every module carries the
// `f64x2.relaxed_madd` fast path of `fma.f64` (wasmgc.md §9.3), used only
// after the module's own probe proved it fused. An engine missing either
// cannot even compile it, so the loader then takes the handle-ABI module
// (plain Wasm 2.0, handle-abi.md §10) on the TypeScript heap.
//
// The bytes are checked by compiler3-emit/test/browser-build.test.ts: each
// validates in Node 24, disassembles to the text in its comment, and a
// one-byte corruption of each is rejected (so `validate` really looks).

/** The engine features the loader probes, by name. */
export type ProbeName = "gc" | "relaxedSimd";

export interface Probe {
  readonly name: ProbeName;
  /** What the probe stands for, for the reason a loader gives. */
  readonly feature: string;
  readonly bytes: Uint8Array;
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1

/**
 * GC (the WasmGC proposal, Wasm 3.0):
 *
 *   (type $s (struct (field i32)))
 *   (func (result i31ref)
 *     (drop (struct.new $s (i32.const 1)))
 *     (ref.i31 (i32.const 7)))
 */
const GC_PROBE = new Uint8Array([
  ...HEADER,
  // type section: 2 types — 0x5f struct, 1 field i32 (0x7f) immutable (0x00); 0x60 func [] → [i31ref (0x6c)]
  0x01, 0x09, 0x02, 0x5f, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x01, 0x6c,
  // function section: 1 function of type 1
  0x03, 0x02, 0x01, 0x01,
  // code section: 1 body of 12 bytes, no locals
  0x0a, 0x0e, 0x01, 0x0c, 0x00,
  0x41, 0x01, // i32.const 1
  0xfb, 0x00, 0x00, // struct.new 0
  0x1a, // drop
  0x41, 0x07, // i32.const 7
  0xfb, 0x1c, // ref.i31
  0x0b, // end
]);

/**
 * Relaxed SIMD (Wasm 3.0), the one instruction the WasmGC modules use:
 *
 *   (func (param f64 f64 f64) (result f64)
 *     (f64x2.extract_lane 0
 *       (f64x2.relaxed_madd (f64x2.splat (local.get 0)) (f64x2.splat (local.get 1)) (f64x2.splat (local.get 2)))))
 */
const RELAXED_SIMD_PROBE = new Uint8Array([
  ...HEADER,
  // type section: 1 type — 0x60 func [f64 f64 f64] → [f64] (f64 = 0x7c)
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7c, 0x7c, 0x7c, 0x01, 0x7c,
  // function section: 1 function of type 0
  0x03, 0x02, 0x01, 0x00,
  // code section: 1 body of 20 bytes, no locals
  0x0a, 0x16, 0x01, 0x14, 0x00,
  0x20, 0x00, 0xfd, 0x14, // local.get 0; f64x2.splat (0xfd 20)
  0x20, 0x01, 0xfd, 0x14, // local.get 1; f64x2.splat
  0x20, 0x02, 0xfd, 0x14, // local.get 2; f64x2.splat
  0xfd, 0x87, 0x02, // f64x2.relaxed_madd (0xfd 263, LEB128)
  0xfd, 0x21, 0x00, // f64x2.extract_lane 0 (0xfd 33)
  0x0b, // end
]);

export const PROBES: readonly Probe[] = [
  { name: "gc", feature: "WebAssembly GC", bytes: GC_PROBE },
  { name: "relaxedSimd", feature: "relaxed SIMD (f64x2.relaxed_madd)", bytes: RELAXED_SIMD_PROBE },
];

/** Each probe's answer: true where the engine validates it. */
export type ProbeResults = Readonly<Record<ProbeName, boolean>>;

/** `WebAssembly.validate`, as the loader calls it (injectable for tests). */
export type Validate = (bytes: Uint8Array) => boolean;

/**
 * Runs every probe through `validate`; `override` replaces a probe's answer
 * (the loader's test hook `probeOverride`, so a test can exercise the
 * fallback for real on an engine that has every feature).
 */
export function runProbes(validate: Validate, override: Partial<Record<ProbeName, boolean>> = {}): ProbeResults {
  const out = {} as Record<ProbeName, boolean>;
  for (const p of PROBES) out[p.name] = override[p.name] ?? validate(p.bytes);
  return out;
}
