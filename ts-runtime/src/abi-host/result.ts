// An entry's outcome as the interpreter's RunResult (ts-runtime/src/interp/run.ts),
// so that callers compare the handle-ABI backend with the others on one shape.

import { Type } from "../../../compiler3-emit/src/ir/model.ts";
import type { Heap } from "../heap.ts";
import { f64Bits } from "../interp/f64.ts";
import type { ResultValue, RunResult } from "../interp/run.ts";
import { Trap, TrapCode, trapName } from "../trap.ts";
import { cellArg } from "./args.ts";

/** A module that broke the handle-ABI contract: not a trap, an error (handle-abi.md §10.4). */
export class HandleAbiError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HandleAbiError";
  }
}

/**
 * The entry's raw Wasm result read as the IR function's result type (§10.1):
 * i64 a BigInt, f64 a number, bool an i32 0 or 1, str a String Cell (its
 * text read as `str_get` does, so a null or stale Cell traps like the
 * interpreter's), unit nothing. Throws the Trap of reading a str result.
 */
export function resultValue(type: number, raw: unknown, heap: Heap, entry: string): ResultValue {
  const wrong = (what: string) => new HandleAbiError(`${entry} returned ${typeof raw} ${String(raw)}, not ${what}: the module does not match the program`);
  switch (type) {
    case Type.I64:
      if (typeof raw !== "bigint") throw wrong("an i64");
      return { type: "i64", i64: raw };
    case Type.F64:
      if (typeof raw !== "number") throw wrong("an f64");
      return { type: "f64", f64: raw, bits: f64Bits(raw) };
    case Type.BOOL:
      if (raw !== 0 && raw !== 1) throw wrong("a bool (i32 0 or 1)");
      return { type: "bool", bool: raw === 1 };
    case Type.STR:
      if (typeof raw !== "bigint") throw wrong("a String Cell (i64)");
      return { type: "str", str: heap.strText(cellArg(raw)) };
    default:
      return { type: "unit" };
  }
}

/**
 * A thrown Trap (from an import or the guest's `trap`), or the engine's
 * stack exhaustion (a RangeError: STACK_OVERFLOW, ir.md §8.8), as a trap
 * RunResult; `fn` is the function to report (the host cannot see which guest
 * function trapped: callers pass "", as the WasmGC runner does; block and
 * value are -1). Anything else — an engine trap such as
 * `unreachable` not preceded by `trap`, a memory access out of bounds — is a
 * bug in the module or its emitter, not a program outcome (§10.4), and is
 * rethrown.
 */
export function trapResult(e: unknown, fn: string): RunResult {
  let code: TrapCode;
  let message: string;
  if (e instanceof Trap) {
    code = e.code;
    message = e.message;
  } else if (e instanceof RangeError && /call stack/i.test(e.message)) {
    code = TrapCode.STACK_OVERFLOW;
    message = e.message;
  } else {
    throw e;
  }
  return { kind: "trap", code, name: trapName(code), function: fn, block: -1, value: -1, message };
}
