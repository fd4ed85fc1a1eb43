// Which functions can be an entry (ir.md §8.9): all parameters i64, result
// i64, f64, bool, str or unit. Both targets export exactly these.
import type { Program } from "./model.ts";
import { Type } from "./model.ts";

const ENTRY_RESULTS: ReadonlySet<number> = new Set([Type.I64, Type.F64, Type.BOOL, Type.STR, Type.UNIT]);

export function isEntryShaped(program: Program, i: number): boolean {
  const f = program.functions[i]!;
  return ENTRY_RESULTS.has(f.result) && f.params.every((id) => f.values[id]!.type === Type.I64);
}
