// An entry's Wasm result by the IR function's result type (handle-abi.md
// §10.1's table; ir.md §8.9's entry results): i64 and str (a String Cell) are
// `i64`, f64 is `f64`, bool is `i32` (0 or 1), unit is no result. An entry's
// parameters are all `i64`.

import { Type } from "../../../compiler3-emit/src/ir/model.ts";
import type { WasmValType } from "./signatures.ts";

/** The Wasm results of an entry returning IR type `type`, or undefined if no entry returns it. */
export function entryWasmResult(type: number): WasmValType[] | undefined {
  switch (type) {
    case Type.I64:
    case Type.STR:
      return ["i64"];
    case Type.F64:
      return ["f64"];
    case Type.BOOL:
      return ["i32"];
    case Type.UNIT:
      return [];
    default:
      return undefined;
  }
}
