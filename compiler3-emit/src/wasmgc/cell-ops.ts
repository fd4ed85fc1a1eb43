// Scalars in Cell slots: boxing i64/f64/bool into an eqref and back, with the
// canonical integer rule (cell.md §1.2) and the spec's trap codes.
//
// Each operation is a small runtime function added to the module once
// (`vm3.box_i64`, …); the emitter calls it. That keeps the emitter free of
// scratch-local bookkeeping, and binaryen's optimiser (-O) inlines the calls.

import { binaryen, i64Const, refEq } from "../wasm/binaryen.ts";
import type { RuntimeTypes } from "./runtime-types.ts";
import { TrapCode, addTrapImport, emitTrap, trapIf } from "../wasm/trap.ts";

/**
 * The trap for a Cell of another kind than an unboxing wants (an f64 where an
 * integer is needed, a list where a bool is needed, null where a scalar is
 * needed): ir.md ops 66–68 say WRONG_TYPE for all of them.
 */
export const KIND_MISMATCH: number = TrapCode.WRONG_TYPE;

/** Smallest and largest integers of the i31 (SmallInt) and Int48 ranges. */
export const SMALL_INT_MIN = -(2n ** 30n);
export const SMALL_INT_MAX = 2n ** 30n - 1n;
export const INT48_MIN = -(2n ** 47n);
export const INT48_MAX = 2n ** 47n - 1n;

export const CELL_OPS = {
  boxI64: "vm3.box_i64",
  unboxI64: "vm3.unbox_i64",
  boxF64: "vm3.box_f64",
  unboxF64: "vm3.unbox_f64",
  boxBool: "vm3.box_bool",
  unboxBool: "vm3.unbox_bool",
  checkInt48: "vm3.check_int48",
  boolTrue: "vm3.true",
  boolFalse: "vm3.false",
} as const;

/** Call builders for the scalar Cell operations of one module. */
export interface CellOps {
  /** i64 → (ref eq): i31 in [-2^30, 2^30), else an I64Box; INT_OVERFLOW outside 48 bits. */
  boxI64(value: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** eqref → i64: i31.get_s or the box's field; KIND_MISMATCH for null, KIND_MISMATCH otherwise. */
  unboxI64(cell: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** i64 → i64: the value itself, INT_OVERFLOW outside [-2^47, 2^47) (the result check of integer ops). */
  checkInt48(value: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** f64 → (ref eq): a fresh F64Box. */
  boxF64(value: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** eqref → f64: KIND_MISMATCH for null, KIND_MISMATCH for a non-float. */
  unboxF64(cell: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** i32 (0 false, else true) → (ref eq): one of the two singletons. */
  boxBool(value: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** eqref → i32 (0 or 1): KIND_MISMATCH for null, KIND_MISMATCH for a non-bool. */
  unboxBool(cell: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** The null Cell: `ref.null none`. */
  nullCell(): binaryen.ExpressionRef;
}

/** Adds the trap import, the bool singletons and the scalar runtime functions. */
export function installCellOps(module: binaryen.Module, types: RuntimeTypes): CellOps {
  addTrapImport(module);
  const m = module;
  const eq = binaryen.eqref;
  const local = (i: number, t: binaryen.Type) => m.local.get(i, t);

  // Bools in Cell slots are two immutable global singletons.
  m.addGlobal(CELL_OPS.boolTrue, types.boolBox.ref, false, m.struct.new([m.i32.const(1)], types.boolBox.heap));
  m.addGlobal(CELL_OPS.boolFalse, types.boolBox.ref, false, m.struct.new([m.i32.const(0)], types.boolBox.heap));

  // (x + 2^47) >=u 2^48  ⇔  x outside [-2^47, 2^47)
  const outside48 = (x: binaryen.ExpressionRef) =>
    m.i64.ge_u(m.i64.add(x, i64Const(m, 2n ** 47n)), i64Const(m, 2n ** 48n));

  m.addFunction(
    CELL_OPS.checkInt48,
    binaryen.i64,
    binaryen.i64,
    [],
    m.block(null, [trapIf(m, outside48(local(0, binaryen.i64)), TrapCode.INT_OVERFLOW), local(0, binaryen.i64)], binaryen.i64),
  );

  m.addFunction(
    CELL_OPS.boxI64,
    binaryen.i64,
    refEq,
    [],
    m.block(
      null,
      [
        trapIf(m, outside48(local(0, binaryen.i64)), TrapCode.INT_OVERFLOW),
        m.if(
          // (x + 2^30) <u 2^31  ⇔  x in [-2^30, 2^30)
          m.i64.lt_u(m.i64.add(local(0, binaryen.i64), i64Const(m, 2n ** 30n)), i64Const(m, 2n ** 31n)),
          m.return(m.ref.i31(m.i32.wrap(local(0, binaryen.i64)))),
        ),
        m.struct.new([local(0, binaryen.i64)], types.i64Box.heap),
      ],
      refEq,
    ),
  );

  // unbox: null → KIND_MISMATCH; each accepted kind → its value; anything else → KIND_MISMATCH.
  const unbox = (name: string, result: binaryen.Type, arms: readonly [binaryen.Type, (ref: binaryen.ExpressionRef) => binaryen.ExpressionRef][]) => {
    m.addFunction(
      name,
      eq,
      result,
      [],
      m.block(
        null,
        [
          trapIf(m, m.ref.is_null(local(0, eq)), KIND_MISMATCH),
          ...arms.map(([type, read]) => m.if(m.ref.test(local(0, eq), type), m.return(read(m.ref.cast(local(0, eq), type))))),
          emitTrap(m, KIND_MISMATCH),
        ],
        result,
      ),
    );
  };
  unbox(CELL_OPS.unboxI64, binaryen.i64, [
    [types.i31.ref, (r) => m.i64.extend_s(m.i31.get_s(r))],
    [types.i64Box.ref, (r) => m.struct.get(0, r, binaryen.i64, false)],
  ]);
  unbox(CELL_OPS.unboxF64, binaryen.f64, [[types.f64Box.ref, (r) => m.struct.get(0, r, binaryen.f64, false)]]);
  unbox(CELL_OPS.unboxBool, binaryen.i32, [[types.boolBox.ref, (r) => m.struct.get(0, r, binaryen.i32, false)]]);

  m.addFunction(CELL_OPS.boxF64, binaryen.f64, refEq, [], m.struct.new([local(0, binaryen.f64)], types.f64Box.heap));
  m.addFunction(
    CELL_OPS.boxBool,
    binaryen.i32,
    refEq,
    [],
    m.select(
      local(0, binaryen.i32),
      m.global.get(CELL_OPS.boolTrue, types.boolBox.ref),
      m.global.get(CELL_OPS.boolFalse, types.boolBox.ref),
    ),
  );

  return {
    boxI64: (v) => m.call(CELL_OPS.boxI64, [v], refEq),
    unboxI64: (c) => m.call(CELL_OPS.unboxI64, [c], binaryen.i64),
    checkInt48: (v) => m.call(CELL_OPS.checkInt48, [v], binaryen.i64),
    boxF64: (v) => m.call(CELL_OPS.boxF64, [v], refEq),
    unboxF64: (c) => m.call(CELL_OPS.unboxF64, [c], binaryen.f64),
    boxBool: (v) => m.call(CELL_OPS.boxBool, [v], refEq),
    unboxBool: (c) => m.call(CELL_OPS.unboxBool, [c], binaryen.i32),
    nullCell: () => m.ref.null(binaryen.nullref),
  };
}
