// handle-abi.md §10.2's import table: each `vm3` import's Wasm signature.
// The Go bridge (go-host/bridge/imports.go) and the emitter
// (compiler3-emit/src/handleabi/imports.ts) carry the same table.

export type WasmValType = "i32" | "i64" | "f64";

export interface ImportSignature {
  readonly params: readonly WasmValType[];
  /** The result, or undefined for `() → ()`-style imports. */
  readonly result?: WasmValType;
  /**
   * Whether the import may create a slot (and, under AUTO, collect): after
   * these the host samples its peak live slots.
   */
  readonly allocates?: true;
}

const C = "i64"; // a Cell
const N = "i64"; // an integer: length, index, field, shape, count
const I = "i32";

/** §10.2 in its order. */
export const IMPORT_SIGNATURES = {
  list_new: { params: [N], result: C, allocates: true },
  list_len: { params: [C], result: N },
  list_get: { params: [C, N], result: C },
  list_set: { params: [C, N, C] },
  list_push: { params: [C, C] },
  struct_new: { params: [N, N], result: C, allocates: true },
  struct_len: { params: [C], result: N },
  struct_get: { params: [C, N], result: C },
  struct_set: { params: [C, N, C] },
  struct_shape: { params: [C], result: N },
  str_new: { params: [I, I], result: C, allocates: true },
  str_len: { params: [C], result: N },
  str_concat: { params: [C, C], result: C, allocates: true },
  str_eq: { params: [C, C], result: C },
  map_new: { params: [], result: C, allocates: true },
  map_set: { params: [C, C, C] },
  map_get: { params: [C, C], result: C },
  map_has: { params: [C, C], result: C },
  map_len: { params: [C], result: N },
  f64arr_new: { params: [N], result: C, allocates: true },
  f64arr_len: { params: [C], result: N },
  f64arr_get: { params: [C, N], result: C },
  f64arr_set: { params: [C, N, C] },
  f64arr_push: { params: [C, C] },
  i64arr_new: { params: [N], result: C, allocates: true },
  i64arr_len: { params: [C], result: N },
  i64arr_get: { params: [C, N], result: C },
  i64arr_set: { params: [C, N, C] },
  i64arr_push: { params: [C, C] },
  host_new_str: { params: [C], result: C, allocates: true },
  host_get_str: { params: [C], result: C, allocates: true },
  check: { params: [C, I] },
  free: { params: [C] },
  collect: { params: [], result: N },
  scope_enter: { params: [], result: N },
  scope_root: { params: [C] },
  scope_exit: { params: [N] },
  pin: { params: [C] },
  unpin: { params: [C] },
  frame_enter: { params: [I], result: I },
  frame_root: { params: [I, I, C] },
  frame_exit: { params: [I] },
  trap: { params: [I] },
  fma_slow: { params: ["f64", "f64", "f64"], result: "f64" },
} as const satisfies Record<string, ImportSignature>;

export type ImportName = keyof typeof IMPORT_SIGNATURES;

export const IMPORT_NAMES = Object.keys(IMPORT_SIGNATURES) as ImportName[];
