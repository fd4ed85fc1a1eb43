// The `vm3` imports of a handle-ABI module (handle-abi.md §10.2), declared
// on first use so a module imports only what it calls. Each entry is the
// import's Wasm signature; `call(name, args)` builds the call.

import { binaryen } from "../wasm/binaryen.ts";
import { addTrapImport, TRAP_IMPORT } from "../wasm/trap.ts";

const { i32, i64, f64, none } = binaryen;
const C = i64; // a Cell
const N = i64; // an integer argument or result

/** handle-abi.md §10.2: name → [params, result]. */
export const IMPORTS = {
  list_new: [[N], C],
  list_len: [[C], N],
  list_get: [[C, N], C],
  list_set: [[C, N, C], none],
  list_push: [[C, C], none],
  struct_new: [[N, N], C],
  struct_len: [[C], N],
  struct_get: [[C, N], C],
  struct_set: [[C, N, C], none],
  struct_shape: [[C], N],
  str_new: [[i32, i32], C],
  str_len: [[C], N],
  str_concat: [[C, C], C],
  str_eq: [[C, C], C],
  map_new: [[], C],
  map_set: [[C, C, C], none],
  map_get: [[C, C], C],
  map_has: [[C, C], C],
  map_len: [[C], N],
  f64arr_new: [[N], C],
  f64arr_len: [[C], N],
  f64arr_get: [[C, N], C],
  f64arr_set: [[C, N, C], none],
  f64arr_push: [[C, C], none],
  i64arr_new: [[N], C],
  i64arr_len: [[C], N],
  i64arr_get: [[C, N], C],
  i64arr_set: [[C, N, C], none],
  i64arr_push: [[C, C], none],
  host_new_str: [[C], C],
  host_get_str: [[C], C],
  check: [[C, i32], none],
  free: [[C], none],
  collect: [[], N],
  scope_enter: [[], N],
  scope_root: [[C], none],
  scope_exit: [[N], none],
  pin: [[C], none],
  unpin: [[C], none],
  frame_enter: [[i32], i32],
  frame_root: [[i32, i32, C], none],
  frame_exit: [[i32], none],
  fma_slow: [[f64, f64, f64], f64],
} as const satisfies Record<string, readonly [readonly binaryen.Type[], binaryen.Type]>;

export type ImportName = keyof typeof IMPORTS;

/** Imports that may run a collection under AUTO (operations.md §3.2: allocations and the pushes / map_set). */
export const MAY_COLLECT: ReadonlySet<ImportName> = new Set<ImportName>([
  "list_new", "list_push", "struct_new", "str_new", "str_concat", "map_new", "map_set",
  "f64arr_new", "f64arr_push", "i64arr_new", "i64arr_push", "host_new_str", "host_get_str", "collect",
]);

export class Imports {
  readonly #m: binaryen.Module;
  readonly #declared = new Set<string>();

  constructor(module: binaryen.Module) {
    this.#m = module;
    addTrapImport(module);
  }

  /** The internal name of import `name`, declared on first use. */
  name(name: ImportName): string {
    const internal = `vm3.${name}`;
    if (!this.#declared.has(name)) {
      this.#declared.add(name);
      // fma.ts declares `fma_slow` under the same internal name.
      if (this.#m.getFunction(internal) !== 0) return internal;
      const [params, result] = IMPORTS[name];
      this.#m.addFunctionImport(internal, "vm3", name, binaryen.createType([...params]), result);
    }
    return internal;
  }

  call(name: ImportName, args: binaryen.ExpressionRef[]): binaryen.ExpressionRef {
    return this.#m.call(this.name(name), args, IMPORTS[name][1]);
  }
}

export { TRAP_IMPORT };
