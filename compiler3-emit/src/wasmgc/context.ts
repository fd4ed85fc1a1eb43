// What translating one function needs from the module being built: the type
// lattice, the runtime operations installed once per module, and the names
// of the program's functions and string constants.

import type { Program } from "../ir/model.ts";
import type { DivOps } from "../wasm/arith.ts";
import type { binaryen } from "../wasm/binaryen.ts";
import type { CellOps } from "./cell-ops.ts";
import type { HostCalls } from "./host-calls.ts";
import type { HostOps } from "./host-ops.ts";
import type { Lifetime } from "./lifetime.ts";
import type { ListOps } from "./list-ops.ts";
import type { MapOps } from "./map-ops.ts";
import type { RuntimeTypes } from "./runtime-types.ts";
import type { StringOps } from "./string-ops.ts";

export interface EmitContext {
  readonly module: binaryen.Module;
  readonly program: Program;
  readonly types: RuntimeTypes;
  readonly cells: CellOps;
  readonly i64List: ListOps;
  readonly cellList: ListOps;
  readonly f64List: ListOps;
  readonly maps: MapOps;
  readonly strings: StringOps;
  readonly host: HostOps;
  /** host.call of the program's host imports (ir.md op 89). */
  readonly hostCalls: HostCalls;
  readonly lifetime: Lifetime;
  /** fma.f64 with one rounding (fma.ts). */
  fma(a: binaryen.ExpressionRef, b: binaryen.ExpressionRef, c: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** i64 division and remainder with ir.md §8.6's rules. */
  readonly div: DivOps;
  /** Internal Wasm name of IR function i. */
  functionName(i: number): string;
  /** Global holding string constant `index` of function `fn` (ir.md §8.10). */
  stringGlobal(fn: number, index: number): string;
}
