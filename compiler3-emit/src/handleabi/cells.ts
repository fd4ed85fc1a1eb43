// Cells inside a handle-ABI module (cell.md §1): the guest encodes and
// decodes scalars itself — they are plain bits, and a host call per
// box.i64 would cost more than the arithmetic — and leaves everything that
// needs the heap (liveness, arenas of live slots) to the imports.

import { binaryen, i64Const } from "../wasm/binaryen.ts";
import { TrapCode, addTrapImport, emitTrap, trapIf } from "../wasm/trap.ts";

type Expr = binaryen.ExpressionRef;

export const CELL_NULL = 0xfffc_0000_0000_0000n;
export const CELL_FALSE = 0xfffb_0000_0000_0000n;
export const CELL_TRUE = 0xfffb_0000_0000_0001n;
const SMALL_INT_BASE = 0xffff_c000_0000_0000n; // handle tag, arena 12, generation 0
const INT48_TAG = 0xfffa_0000_0000_0000n;
const CANONICAL_NAN = 0x7ff8_0000_0000_0000n;

export interface CellCodec {
  /** i64 → Cell: the canonical integer rule; INT_OVERFLOW outside 48 bits. */
  intCell(v: Expr): Expr;
  /** i32: v lies outside [-2^47, 2^47) (no trap). */
  outside48(v: Expr): Expr;
  /** Cell → i64 of an integer Cell the heap returned (SmallInt or Int48; no check). */
  cellInt(c: Expr): Expr;
  /** any → i64 (ir.md op 66): an integer Cell's value, else WRONG_TYPE. */
  unboxI64(c: Expr): Expr;
  /** f64 → Cell, every NaN canonical. */
  f64Cell(x: Expr): Expr;
  /** Cell → f64 of a float Cell the heap returned (no check). */
  cellF64(c: Expr): Expr;
  /** any → f64 (op 67): a float Cell's value, else WRONG_TYPE. */
  unboxF64(c: Expr): Expr;
  /** i32 0/1 → Cell. */
  boolCell(b: Expr): Expr;
  /** any → i32 (op 68): a bool Cell's value, else WRONG_TYPE. */
  unboxBool(c: Expr): Expr;
  /** i32: c is a heap handle (tag 0xFFFF, arena not SmallInt's 12). */
  isHeapHandle(c: Expr): Expr;
  /** i32: the arena number of a handle Cell. */
  arenaOf(c: Expr): Expr;
  nullCell(): Expr;
}

export function installCellCodec(module: binaryen.Module): CellCodec {
  addTrapImport(module);
  const m = module;
  const { i32, i64, f64 } = binaryen;
  const k = (v: bigint) => i64Const(m, v);
  const p = (t: binaryen.Type) => m.local.get(0, t);
  const tag = (c: Expr) => m.i64.shr_u(c, k(48n));
  const outside48 = (x: Expr) => m.i64.ge_u(m.i64.add(x, k(2n ** 47n)), k(2n ** 48n));
  const fn = (name: string, param: binaryen.Type, result: binaryen.Type, body: Expr): string => {
    m.addFunction(name, param, result, [], body);
    return name;
  };

  const intCell = fn("vm3.int_cell", i64, i64, m.block(null, [
    trapIf(m, outside48(p(i64)), TrapCode.INT_OVERFLOW),
    m.if(
      m.i64.lt_u(m.i64.add(p(i64), k(2n ** 30n)), k(2n ** 31n)),
      m.return(m.i64.or(k(SMALL_INT_BASE), m.i64.and(p(i64), k(0x7fff_ffffn)))),
    ),
    m.i64.or(k(INT48_TAG), m.i64.and(p(i64), k(2n ** 48n - 1n))),
  ], i64));
  const int48 = (c: Expr) => m.i64.shr_s(m.i64.shl(c, k(16n)), k(16n));
  const small = (c: Expr) => m.i64.shr_s(m.i64.shl(c, k(33n)), k(33n));
  const cellInt = fn("vm3.cell_int", i64, i64, m.select(m.i64.eq(tag(p(i64)), k(0xfffan)), int48(p(i64)), small(p(i64))));
  const unboxI64 = fn("vm3.unbox_i64", i64, i64, m.block(null, [
    m.if(m.i64.eq(tag(p(i64)), k(0xfffan)), m.return(int48(p(i64)))),
    m.if(m.i64.eq(m.i64.shr_u(p(i64), k(44n)), k(0xffffcn)), m.return(small(p(i64)))),
    emitTrap(m, TrapCode.WRONG_TYPE),
  ], i64));
  const f64Cell = fn("vm3.f64_cell", f64, i64, m.select(m.f64.ne(p(f64), p(f64)), k(CANONICAL_NAN), m.i64.reinterpret(p(f64))));
  const unboxF64 = fn("vm3.unbox_f64", i64, f64, m.block(null, [
    trapIf(m, m.i64.ge_u(tag(p(i64)), k(0xfff8n)), TrapCode.WRONG_TYPE),
    m.f64.reinterpret(p(i64)),
  ], f64));
  const unboxBool = fn("vm3.unbox_bool", i64, i32, m.block(null, [
    m.if(m.i64.eq(p(i64), k(CELL_TRUE)), m.return(m.i32.const(1))),
    trapIf(m, m.i64.ne(p(i64), k(CELL_FALSE)), TrapCode.WRONG_TYPE),
    m.i32.const(0),
  ], i32));
  const isHeapHandle = fn("vm3.is_heap_handle", i64, i32, m.i32.and(
    m.i64.eq(tag(p(i64)), k(0xffffn)),
    m.i64.ne(m.i64.and(m.i64.shr_u(p(i64), k(44n)), k(0xfn)), k(12n)),
  ));

  return {
    intCell: (v) => m.call(intCell, [v], i64),
    outside48,
    cellInt: (c) => m.call(cellInt, [c], i64),
    unboxI64: (c) => m.call(unboxI64, [c], i64),
    f64Cell: (x) => m.call(f64Cell, [x], i64),
    cellF64: (c) => m.f64.reinterpret(c),
    unboxF64: (c) => m.call(unboxF64, [c], f64),
    boolCell: (b) => m.i64.or(k(CELL_FALSE), m.i64.extend_u(b)),
    unboxBool: (c) => m.call(unboxBool, [c], i32),
    isHeapHandle: (c) => m.call(isHeapHandle, [c], i32),
    arenaOf: (c) => m.i32.wrap(m.i64.and(m.i64.shr_u(c, k(44n)), k(0xfn))),
    nullCell: () => k(CELL_NULL),
  };
}
