// The names and constants a host needs to run an emitted WasmGC module —
// its imports and helper exports — apart from the emitters that make them,
// so that a runner (run.ts) loads without binaryen.js: the browser loader
// bundle carries the runtime, not the compiler.

/** The fused-madd probe and switch (fused-madd.ts, wasmgc.md §9.3). */
export const FUSED_MADD_EXPORTS = {
  probe: "vm3.madd_probe",
  enable: "vm3.use_fused_madd",
} as const;

/**
 * Probes: (a, b, c, exact a·b+c). Each separates a fused from an unfused
 * madd: the product's low bits decide the result (the first two cancel to
 * 0 when unfused; the last is a halfway case of the separate product).
 */
export const MADD_PROBES: readonly [number, number, number][] = [
  [1 + 2 ** -30, 1 + 2 ** -30, -(1 + 2 ** -29)],
  [0.1, 10, -1],
  [1 + 2 ** -52, 1 - 2 ** -53, -1],
];

/** The Host table imports (host-ops.ts). */
export const HOST_IMPORTS = {
  new: "host_new",
  str: "host_str",
  free: "host_free",
  live: "host_live",
} as const;

/** The string accessors every module exports (string-ops.ts). */
export const STRING_EXPORTS = {
  len: "vm3.str_len",
  byte: "vm3.str_byte",
  alloc: "vm3.str_alloc",
  setByte: "vm3.str_set_byte",
} as const;

/**
 * Host calls (host.md §11.5, wasmgc.md §9.6): each host import is imported
 * from module `host` under its name; `vm3.host_bad_result(i32 index)` reports
 * a reference result of the wrong type, found by the module's `ref.test`.
 */
export const HOST_CALL_MODULE = "host";
export const HOST_BAD_RESULT_IMPORT = "host_bad_result";

/**
 * How an `any` crosses (wasmgc.md §9.6): as four Wasm values (kind, i64,
 * f64, reference), an argument as four parameters of the import and a result
 * as a four-value result. The i64 holds an integer, or a bool as 0 / 1; the
 * reference, for REF, a reference object (any heap object, a HostBox too).
 */
export const ANY_KIND = { null: 0, int: 1, f64: 2, bool: 3, ref: 4 } as const;

/**
 * What a module emitted for the bindings exports beside every function
 * (bindings.md §2, any-parts.ts): the `any` readers and `ref_kind`.
 */
export const BINDING_EXPORTS = {
  anyKind: "vm3.bind.any_kind",
  anyInt: "vm3.bind.any_int",
  anyF64: "vm3.bind.any_f64",
  refKind: "vm3.bind.ref_kind",
} as const;

/** `ref_kind`'s answers: the heap type of a reference in an `any`; a struct of shape k is `shape + k`. */
export const REF_KIND = { other: 0, str: 1, li64: 2, lany: 3, f64arr: 4, map: 5, host: 6, shape: 16 } as const;
