// One IR value (ir.md §8.5) in a handle-ABI module: scalar arithmetic in
// Wasm, Cells encoded and decoded by the guest (cells.ts), and every heap
// operation one `vm3` import (handle-abi.md §10.2). Where the IR adds a check
// to the heap operation (a 48-bit value, a freed reference stored) the
// checks come in the reference interpreter's order: for a value that cannot
// be stored, the operation's own handle check first (a `*_len` / `*_get`
// import that traps on a bad handle), then INT_OVERFLOW.

import type { FullType, Value } from "../ir/model.ts";
import { OpCode, Type } from "../ir/model.ts";
import { binaryen, i64Const } from "../wasm/binaryen.ts";
import type { DivOps } from "../wasm/arith.ts";
import { TrapCode, emitTrap } from "../wasm/trap.ts";
import type { ValueEnv } from "../wasm/function.ts";
import { translateScalar } from "../wasm/scalars.ts";
import type { CellCodec } from "./cells.ts";
import type { HostImports } from "./host-imports.ts";
import type { ImportName, Imports } from "./imports.ts";

type Expr = binaryen.ExpressionRef;

export interface HandleAbiContext {
  readonly module: binaryen.Module;
  readonly program: import("../ir/model.ts").Program;
  readonly imports: Imports;
  /** The program's host imports, as `host` imports (§10.8). */
  readonly hostImports: HostImports;
  readonly cells: CellCodec;
  readonly div: DivOps;
  fma(a: Expr, b: Expr, c: Expr): Expr;
  functionName(i: number): string;
  stringGlobal(fn: number, index: number): string;
  /** The frame_exit of the current activation's frame (§10.5), if it has one: what precedes every return and return_call. */
  exitFrame(env: ValueEnv): Expr[];
}

/** The arena number (cell.md §1.1) of a typed reference's objects. */
export function arenaOf(t: FullType): number {
  switch (t.type) {
    case Type.STR: return 0;
    case Type.LIST: return t.elemType === Type.I64 ? 10 : 1;
    case Type.MAP: return 2;
    case Type.STRUCT: return 4;
    case Type.F64_ARR: return 9;
    case Type.HOST: return 13;
  }
  throw new Error(`type ${t.type} names no arena`);
}

export function valueType(t: FullType): binaryen.Type {
  switch (t.type) {
    case Type.I64: return binaryen.i64;
    case Type.F64: return binaryen.f64;
    case Type.BOOL: return binaryen.i32;
    case Type.UNIT: return binaryen.none;
    default: return binaryen.i64; // a Cell
  }
}

export function translateValue(cx: HandleAbiContext, env: ValueEnv, v: Value): Expr[] {
  const m = cx.module;
  const { get } = env;
  const a = () => get(v.args[0]!);
  const b = () => get(v.args[1]!);
  const c = () => get(v.args[2]!);
  const def = (e: Expr): Expr[] => [env.def(v, e)];
  const call = (name: ImportName, ...args: Expr[]): Expr => cx.imports.call(name, args);
  const cells = cx.cells;
  const k = v.const;
  const kk = () => i64Const(m, k);
  const typeOf = (id: number): FullType => env.fn.values[id]!;
  /** If any of `xs` cannot be stored (outside 48 bits): run `handle` (a checking import), then trap INT_OVERFLOW. */
  const storable = (xs: Expr[], handle: Expr): Expr => {
    const bad = xs.map((x) => cells.outside48(x)).reduce((p, q) => m.i32.or(p, q));
    return m.if(bad, m.block(null, [m.drop(handle), emitTrap(m, TrapCode.INT_OVERFLOW)]));
  };
  /** The Cell a struct field of type t stores for value x, with the interpreter's value(x) checks (fieldCell). */
  const fieldCell = (t: FullType, x: Expr): Expr => {
    switch (t.type) {
      case Type.I64: return cells.intCell(x);
      case Type.F64: return cells.f64Cell(x);
      case Type.BOOL: return cells.boolCell(x);
      default: return x;
    }
  };
  /** A field Cell read back as a value of type t. */
  const fieldValue = (t: FullType, cell: Expr): Expr => {
    switch (t.type) {
      case Type.I64: return cells.cellInt(cell);
      case Type.F64: return cells.cellF64(cell);
      case Type.BOOL: return m.i64.eq(cell, i64Const(m, 0xfffb_0000_0000_0001n));
      default: return cell;
    }
  };

  const scalar = translateScalar({ module: m, div: cx.div, fma: cx.fma, arg: (i) => get(v.args[i]!) }, v);
  if (scalar !== undefined) return def(scalar);

  switch (v.op) {
    case OpCode.CONST: // a str constant (translateScalar has the others)
      return def(m.global.get(cx.stringGlobal(env.fnIndex, Number(k)), binaryen.i64));

    // ---- strings
    case OpCode.LEN_STR: return def(call("str_len", a()));
    case OpCode.CONCAT_STR: return def(call("str_concat", a(), b()));
    case OpCode.CMP_EQ_STR: return def(m.i64.eq(call("str_eq", a(), b()), i64Const(m, 0xfffb_0000_0000_0001n)));
    case OpCode.CMP_NE_STR: return def(m.i64.ne(call("str_eq", a(), b()), i64Const(m, 0xfffb_0000_0000_0001n)));

    // ---- list<i64>: the I64Arr arena
    case OpCode.NEW_LIST: return def(call("i64arr_new", i64Const(m, 0n)));
    case OpCode.LIST_LEN_I64: return def(call("i64arr_len", a()));
    case OpCode.LIST_PUSH_I64: return [storable([b()], call("i64arr_len", a())), call("i64arr_push", a(), cells.intCell(b()))];
    case OpCode.LIST_GET_I64: return def(cells.cellInt(call("i64arr_get", a(), b())));
    case OpCode.LIST_SET_I64: return [storable([c()], call("i64arr_get", a(), b())), call("i64arr_set", a(), b(), cells.intCell(c()))];

    // ---- maps: a key outside 48 bits is never stored, so absent (after the handle check)
    case OpCode.NEW_MAP: return def(call("map_new"));
    case OpCode.MAP_SET_I64_I64: return [storable([b(), c()], call("map_len", a())), call("map_set", a(), cells.intCell(b()), cells.intCell(c()))];
    case OpCode.MAP_GET_I64_I64:
      return def(m.if(cells.outside48(b()), m.block(null, [m.drop(call("map_len", a())), i64Const(m, 0n)], binaryen.i64), cells.cellInt(call("map_get", a(), cells.intCell(b())))));
    case OpCode.MAP_HAS_I64:
      return def(m.if(cells.outside48(b()), m.block(null, [m.drop(call("map_len", a())), m.i32.const(0)], binaryen.i32), m.i64.eq(call("map_has", a(), cells.intCell(b())), i64Const(m, 0xfffb_0000_0000_0001n))));
    case OpCode.MAP_LEN: return def(call("map_len", a()));

    // ---- calls (§10.6). A tail call of another function is a `return_call`
    // after the frame is exited (it replaces the block's return, which would
    // exit it): the Cells it passes stay in Wasm locals, unrooted, until the
    // callee's prologue roots its parameters, and nothing between can
    // collect (frame_exit, return_call, frame_enter and frame_root allocate
    // nothing, collection.md §4.5–4.6). A self tail call never gets here: it
    // is a branch (../wasm/function.ts).
    case OpCode.CALL:
      return def(m.call(cx.functionName(Number(k)), v.args.map(get), valueType(v)));
    case OpCode.TAIL_CALL:
      return [...cx.exitFrame(env), m.return_call(cx.functionName(Number(k)), v.args.map(get), valueType(v))];

    // ---- references
    case OpCode.NULL: return def(cells.nullCell());
    case OpCode.IS_NULL: return def(m.i64.eq(a(), cells.nullCell()));
    case OpCode.FREE: return [m.if(m.i64.eq(a(), cells.nullCell()), emitTrap(m, TrapCode.NULL_DEREF)), call("free", a())];

    // ---- structs: field Cells first (value checks in field order), then allocate, then set
    case OpCode.STRUCT_NEW: {
      const fields = cx.program.structs[v.structId]!.fields;
      const temps = v.args.map(() => env.newLocal(binaryen.i64));
      const computed = v.args.flatMap((id, i) => {
        const t = fields[i]!;
        const set = m.local.set(temps[i]!, fieldCell(t, get(id)));
        if (t.type === Type.I64 || t.type === Type.F64 || t.type === Type.BOOL) return [set];
        // A reference or any that names a freed slot is STALE_HANDLE before the allocation (interpreter: fieldCell).
        const x = () => m.local.get(temps[i]!, binaryen.i64);
        return [set, m.if(cells.isHeapHandle(x()), call("check", x(), cells.arenaOf(x())))];
      });
      const s = () => get(v.id);
      return [
        ...computed,
        ...def(call("struct_new", i64Const(m, BigInt(fields.length)), i64Const(m, BigInt(v.structId)))),
        ...temps.map((t, i) => call("struct_set", s(), i64Const(m, BigInt(i)), m.local.get(t, binaryen.i64))),
      ];
    }
    case OpCode.STRUCT_GET: {
      const field = cx.program.structs[typeOf(v.args[0]!).structId]!.fields[Number(k)]!;
      return def(fieldValue(field, call("struct_get", a(), kk())));
    }
    case OpCode.STRUCT_SET: {
      const field = cx.program.structs[typeOf(v.args[0]!).structId]!.fields[Number(k)]!;
      const pre = field.type === Type.I64 ? [storable([b()], call("struct_len", a()))] : [];
      return [...pre, call("struct_set", a(), kk(), fieldCell(field, b()))];
    }

    // ---- list<any> and f64arr
    case OpCode.NEW_LIST_ANY: return def(call("list_new", i64Const(m, 0n)));
    case OpCode.LIST_ANY_LEN: return def(call("list_len", a()));
    case OpCode.LIST_ANY_PUSH: return [call("list_push", a(), b())];
    case OpCode.LIST_ANY_GET: return def(call("list_get", a(), b()));
    case OpCode.LIST_ANY_SET: return [call("list_set", a(), b(), c())];
    case OpCode.NEW_F64_ARRAY: return def(call("f64arr_new", i64Const(m, 0n)));
    case OpCode.F64_ARRAY_LEN: return def(call("f64arr_len", a()));
    case OpCode.F64_ARRAY_PUSH: return [call("f64arr_push", a(), cells.f64Cell(b()))];
    case OpCode.F64_ARRAY_GET: return def(cells.cellF64(call("f64arr_get", a(), b())));
    case OpCode.F64_ARRAY_SET: return [call("f64arr_set", a(), b(), cells.f64Cell(c()))];

    // ---- boxing
    case OpCode.BOX_I64: return def(cells.intCell(a()));
    case OpCode.BOX_F64: return def(cells.f64Cell(a()));
    case OpCode.BOX_BOOL: return def(cells.boolCell(a()));
    case OpCode.BOX_REF: return def(a());
    case OpCode.UNBOX_I64: return def(cells.unboxI64(a()));
    case OpCode.UNBOX_F64: return def(cells.unboxF64(a()));
    case OpCode.UNBOX_BOOL: return def(cells.unboxBool(a()));
    case OpCode.UNBOX_REF: return [unboxRef(cx, a(), v), ...def(a())];

    // ---- f64

    // ---- bools

    // ---- host
    case OpCode.HOST_NEW: return def(call("host_new_str", a()));
    case OpCode.HOST_STR: return def(call("host_get_str", a()));
    // §10.8: a call of the `host` import; the host converts and validates.
    case OpCode.HOST_CALL: return def(cx.hostImports.call(Number(k), v.args.map(get)));
  }
  throw new Error(`op ${v.op} has no handle-ABI translation`);
}

/**
 * unbox.T (ir.md op 69): null passes; not a heap handle → NOT_A_HANDLE;
 * another arena → WRONG_ARENA; freed → STALE_HANDLE (the `check` import);
 * for struct<S> another shape → WRONG_TYPE. One runtime function per target
 * type; a statement.
 */
function unboxRef(cx: HandleAbiContext, cell: Expr, v: Value): Expr {
  const m = cx.module;
  const arena = arenaOf(v);
  const shape = v.type === Type.STRUCT ? v.structId : -1;
  const name = `vm3.unbox.${arena}.${shape}`;
  if (m.getFunction(name) === 0) {
    const x = () => m.local.get(0, binaryen.i64);
    const body = [
      m.if(m.i64.eq(x(), cx.cells.nullCell()), m.return()),
      m.if(m.i32.eqz(cx.cells.isHeapHandle(x())), emitTrap(m, TrapCode.NOT_A_HANDLE)),
      m.if(m.i32.ne(cx.cells.arenaOf(x()), m.i32.const(arena)), emitTrap(m, TrapCode.WRONG_ARENA)),
      cx.imports.call("check", [x(), m.i32.const(arena)]),
    ];
    if (shape >= 0) {
      body.push(m.if(m.i64.ne(cx.imports.call("struct_shape", [x()]), i64Const(m, BigInt(shape))), emitTrap(m, TrapCode.WRONG_TYPE)));
    }
    m.addFunction(name, binaryen.i64, binaryen.none, [], m.block(null, body));
  }
  return m.call(name, [cell], binaryen.none);
}
