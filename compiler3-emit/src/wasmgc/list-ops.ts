// Lists: struct { len: mut i32, items: mut (ref (array (mut elem))) }, grown by
// doubling. Generic over the element kind (Cell, f64, i64, u8). Checks and
// trap codes as operations.md §3.2: list_new / list_len / list_get /
// list_set / list_push; integer arguments (length, index) are i64 as in the
// IR and the ABI, so a negative or huge index is OUT_OF_BOUNDS, never wrapped.
//
// As in cell-ops.ts, every operation is a runtime function the emitter calls.

import { binaryen, i64Const } from "../wasm/binaryen.ts";
import { addHandleCast } from "./handle-check.ts";
import type { ListRepr, RuntimeTypes } from "./runtime-types.ts";
import { TrapCode, addTrapImport, trapIf } from "../wasm/trap.ts";

/** operations.md §3.1: MAX_LENGTH = 2^31 - 1. */
export const MAX_LENGTH = 2 ** 31 - 1;
/** Capacity of a list's first items array when created empty or short. */
export const MIN_CAPACITY = 4;

const LEN = 0;
const ITEMS = 1;

/** Call builders for the operations on lists of one element kind. */
export interface ListOps {
  readonly repr: ListRepr;
  /** i64 length → (ref List) of `length` default elements (null / 0); BAD_ARGUMENT outside [0, MAX_LENGTH]. */
  newList(length: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** (ref null List) → i64. */
  len(list: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** (ref null List), i64 → elem; NULL_DEREF, OUT_OF_BOUNDS. */
  get(list: binaryen.ExpressionRef, index: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** (ref null List), i64, elem → none; NULL_DEREF, OUT_OF_BOUNDS. */
  set(list: binaryen.ExpressionRef, index: binaryen.ExpressionRef, value: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** (ref null List), elem → none; NULL_DEREF, OUT_OF_MEMORY at MAX_LENGTH. */
  push(list: binaryen.ExpressionRef, value: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** eqref → (ref List): the handle check (NULL_DEREF, NOT_A_HANDLE, WRONG_ARENA). */
  fromCell(cell: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** eqref → (ref null List): ir.md's unbox.T, null passes (NOT_A_HANDLE, WRONG_ARENA). */
  fromCellOrNull(cell: binaryen.ExpressionRef): binaryen.ExpressionRef;
}

/** Adds the list runtime functions for `repr` (named `vm3.list_*.<kind>`) and returns their call builders. */
export function installListOps(module: binaryen.Module, types: RuntimeTypes, repr: ListRepr): ListOps {
  addTrapImport(module);
  const m = module;
  const k = repr.kind;
  const name = (op: string) => `vm3.list_${op}.${k}`;
  const L = repr.list;
  const A = repr.array;
  const i64 = binaryen.i64;
  const i32 = binaryen.i32;
  const p = (i: number, t: binaryen.Type) => m.local.get(i, t);
  const lenOf = (list: binaryen.ExpressionRef) => m.struct.get(LEN, list, i32, false);
  const itemsOf = (list: binaryen.ExpressionRef) => m.struct.get(ITEMS, list, A.ref, false);
  const nullCheck = (list: binaryen.ExpressionRef) => trapIf(m, m.ref.is_null(list), TrapCode.NULL_DEREF);
  // index <u len, with index an i64: a negative index is huge unsigned.
  const boundsCheck = (index: binaryen.ExpressionRef, len: binaryen.ExpressionRef) =>
    trapIf(m, m.i64.ge_u(index, m.i64.extend_u(len)), TrapCode.OUT_OF_BOUNDS);

  // new(length: i64) -> (ref L); locals: 0 length
  m.addFunction(
    name("new"),
    i64,
    L.ref,
    [],
    m.block(
      null,
      [
        trapIf(m, m.i64.gt_u(p(0, i64), i64Const(m, BigInt(MAX_LENGTH))), TrapCode.BAD_ARGUMENT),
        m.struct.new(
          [
            m.i32.wrap(p(0, i64)),
            m.array.new_default(
              A.heap,
              m.select(
                m.i64.lt_u(p(0, i64), i64Const(m, BigInt(MIN_CAPACITY))),
                m.i32.const(MIN_CAPACITY),
                m.i32.wrap(p(0, i64)),
              ),
            ),
          ],
          L.heap,
        ),
      ],
      L.ref,
    ),
  );

  // len(list) -> i64
  m.addFunction(
    name("len"),
    L.refNull,
    i64,
    [],
    m.block(null, [nullCheck(p(0, L.refNull)), m.i64.extend_u(lenOf(p(0, L.refNull)))], i64),
  );

  // get(list, index: i64) -> elem
  m.addFunction(
    name("get"),
    binaryen.createType([L.refNull, i64]),
    repr.elem,
    [],
    m.block(
      null,
      [
        nullCheck(p(0, L.refNull)),
        boundsCheck(p(1, i64), lenOf(p(0, L.refNull))),
        m.array.get(itemsOf(p(0, L.refNull)), m.i32.wrap(p(1, i64)), repr.elem, false),
      ],
      repr.elem,
    ),
  );

  // set(list, index: i64, value: elem)
  m.addFunction(
    name("set"),
    binaryen.createType([L.refNull, i64, repr.elem]),
    binaryen.none,
    [],
    m.block(null, [
      nullCheck(p(0, L.refNull)),
      boundsCheck(p(1, i64), lenOf(p(0, L.refNull))),
      m.array.set(itemsOf(p(0, L.refNull)), m.i32.wrap(p(1, i64)), p(2, repr.elem)),
    ]),
  );

  // push(list, value: elem); locals: 2 len (i32), 3 items, 4 grown items
  const len = () => m.local.get(2, i32);
  const items = () => m.local.get(3, A.ref);
  const grown = () => m.local.get(4, A.ref);
  m.addFunction(
    name("push"),
    binaryen.createType([L.refNull, repr.elem]),
    binaryen.none,
    [i32, A.ref, A.ref], // non-nullable locals: each is set before its gets in the same block
    m.block(null, [
      nullCheck(p(0, L.refNull)),
      m.local.set(2, lenOf(p(0, L.refNull))),
      m.local.set(3, itemsOf(p(0, L.refNull))),
      m.if(
        m.i32.eq(len(), m.array.len(items())),
        m.block(null, [
          trapIf(m, m.i32.eq(len(), m.i32.const(MAX_LENGTH)), TrapCode.OUT_OF_MEMORY),
          // capacity: MAX_LENGTH once doubling would pass it, else max(2·len, MIN_CAPACITY)
          m.local.set(
            4,
            m.array.new_default(
              A.heap,
              m.select(
                m.i32.ge_u(len(), m.i32.const(2 ** 30)),
                m.i32.const(MAX_LENGTH),
                m.select(
                  m.i32.lt_u(len(), m.i32.const(MIN_CAPACITY / 2)),
                  m.i32.const(MIN_CAPACITY),
                  m.i32.shl(len(), m.i32.const(1)),
                ),
              ),
            ),
          ),
          m.array.copy(grown(), m.i32.const(0), items(), m.i32.const(0), len()),
          m.struct.set(ITEMS, p(0, L.refNull), grown()),
          m.local.set(3, grown()),
        ]),
      ),
      m.array.set(items(), len(), p(1, repr.elem)),
      m.struct.set(LEN, p(0, L.refNull), m.i32.add(len(), m.i32.const(1))),
    ]),
  );

  const cast = addHandleCast(m, types, L, `vm3.as_list.${k}`);
  const castOrNull = addHandleCast(m, types, L, `vm3.as_list_or_null.${k}`, true);

  return {
    repr,
    newList: (length) => m.call(name("new"), [length], L.ref),
    len: (list) => m.call(name("len"), [list], i64),
    get: (list, index) => m.call(name("get"), [list, index], repr.elem),
    set: (list, index, value) => m.call(name("set"), [list, index, value], binaryen.none),
    push: (list, value) => m.call(name("push"), [list, value], binaryen.none),
    fromCell: (cell) => m.call(cast, [cell], L.ref),
    fromCellOrNull: (cell) => m.call(castOrNull, [cell], L.refNull),
  };
}
