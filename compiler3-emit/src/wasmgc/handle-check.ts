// The `handle(c, A)` argument check of operations.md §3.1, for a Cell held as
// an eqref: the WasmGC form of "c must name a live slot of arena A".
//
//   1. BAD_CELL     — cannot happen: every eqref a module holds is a valid Cell.
//   2. null         → NULL_DEREF
//   3. a scalar (i31 SmallInt, I64Box, F64Box, BoolBox) → NOT_A_HANDLE
//   4. a heap object of another type (another list kind, a struct, a string,
//      a map, a HostBox) → WRONG_ARENA
//   5. STALE_HANDLE — cannot happen: the engine's GC keeps every reachable object alive.
//
// The `orNull` form is ir.md's `unbox.T` (op 69, draft): null passes through
// as null, the other checks are the same.

import { binaryen } from "../wasm/binaryen.ts";
import type { GcType, RuntimeTypes } from "./runtime-types.ts";
import { TrapCode, addTrapImport, emitTrap, trapIf } from "../wasm/trap.ts";

/** The value types of the Cell kinds that are not heap handles. */
export function scalarCellTypes(types: RuntimeTypes): binaryen.Type[] {
  return [types.i31.ref, types.i64Box.ref, types.f64Box.ref, types.boolBox.ref];
}

/**
 * Adds `name: (param eqref) (result (ref target))`, the checked downcast of a
 * Cell to the arena type `target` with the trap codes above; with `orNull`,
 * `(result (ref null target))` and null passes. Returns `name`.
 */
export function addHandleCast(
  module: binaryen.Module,
  types: RuntimeTypes,
  target: GcType,
  name: string,
  orNull = false,
): string {
  addTrapImport(module);
  if (module.getFunction(name) !== 0) return name;
  const m = module;
  const cell = () => m.local.get(0, binaryen.eqref);
  const isScalar = scalarCellTypes(types)
    .map((t) => m.ref.test(cell(), t))
    .reduce((a, b) => m.i32.or(a, b));
  const result = orNull ? target.refNull : target.ref;
  m.addFunction(
    name,
    binaryen.eqref,
    result,
    [],
    m.block(
      null,
      [
        m.if(m.ref.test(cell(), result), m.return(m.ref.cast(cell(), result))),
        trapIf(m, m.ref.is_null(cell()), TrapCode.NULL_DEREF),
        trapIf(m, isScalar, TrapCode.NOT_A_HANDLE),
        emitTrap(m, TrapCode.WRONG_ARENA),
      ],
      result,
    ),
  );
  return name;
}
