// One IR value (ir.md §8.5) as Wasm statements: its checks in the order §8.5
// lists them, then the operation, ending with the `local.set` of its result
// (nothing for unit ops). Operands are always `local.get`s of SSA locals, so
// re-reading an operand for a check costs nothing and changes nothing.

import type { FullType, Func, Value } from "../ir/model.ts";
import { OpCode, Type } from "../ir/model.ts";
import { ANY, I64 } from "../ir/types.ts";
import { binaryen, i64Const } from "../wasm/binaryen.ts";
import { translateScalar } from "../wasm/scalars.ts";
import type { ValueEnv } from "../wasm/function.ts";
import type { EmitContext } from "./context.ts";
import { addHandleCast, scalarCellTypes } from "./handle-check.ts";
import { gcTypeOf, heapKind, valueType } from "./ir-types.ts";
import { TrapCode, trapIf } from "../wasm/trap.ts";

type Expr = binaryen.ExpressionRef;

/** The statements of value `v` (a TAIL_CALL is one `return_call`). */
export function translateValue(cx: EmitContext, env: ValueEnv, v: Value): Expr[] {
  const m = cx.module;
  const { get } = env;
  const a = () => get(v.args[0]!);
  const b = () => get(v.args[1]!);
  const c = () => get(v.args[2]!);
  const def = (e: Expr): Expr[] => [env.def(v, e)];
  const lt = cx.lifetime;
  const typeOf = (id: number): FullType => env.fn.values[id]!;
  /** handle(r, A) of operand `i`, explicit: null → NULL_DEREF, freed → STALE_HANDLE. */
  const handle = (i: number): Expr => lt.handle(typeOf(v.args[i]!), get(v.args[i]!));
  /** handle(r, A) only when the op's own null check is not enough (free mode). */
  const guard = (i: number): Expr[] => (lt.enabled ? [handle(i)] : []);
  /** value(x) of a value of type t about to enter the heap (ir.md §8.2, §8.5). */
  const stored = (t: FullType, x: Expr): Expr[] => {
    if (t.type === Type.I64) return [m.drop(cx.cells.checkInt48(x))];
    const check = lt.value(t, x);
    return check === null ? [] : [check];
  };
  const bounds = (i: Expr, l: Expr): Expr =>
    trapIf(m, m.i64.ge_u(i, m.i64.extend_u(m.struct.get(0, l, binaryen.i32, false))), TrapCode.OUT_OF_BOUNDS);
  const k = v.const;
  const scalar = translateScalar({ module: m, div: cx.div, fma: cx.fma, arg: (i) => get(v.args[i]!) }, v);
  if (scalar !== undefined) return def(scalar);

  switch (v.op) {
    case OpCode.CONST: // a str constant (translateScalar has the others)
      return def(m.global.get(cx.stringGlobal(env.fnIndex, Number(k)), cx.types.string.ref));

    // ---- strings (ops 32–35): the string ops null-check a, then b
    case OpCode.LEN_STR: return [...guard(0), ...def(cx.strings.len(a()))];
    case OpCode.CONCAT_STR: return [...guard(0), ...guard(1), ...def(cx.strings.concat(a(), b()))];
    case OpCode.CMP_EQ_STR: return [...guard(0), ...guard(1), ...def(cx.strings.equal(a(), b()))];
    case OpCode.CMP_NE_STR: return [...guard(0), ...guard(1), ...def(m.i32.eqz(cx.strings.equal(a(), b())))];

    // ---- list<i64> (36–40), list<any> (52–56), f64arr (57–61)
    case OpCode.NEW_LIST: return def(cx.i64List.newList(i64Const(m, 0n)));
    case OpCode.NEW_LIST_ANY: return def(cx.cellList.newList(i64Const(m, 0n)));
    case OpCode.NEW_F64_ARRAY: return def(cx.f64List.newList(i64Const(m, 0n)));
    case OpCode.LIST_LEN_I64: return [...guard(0), ...def(cx.i64List.len(a()))];
    case OpCode.LIST_ANY_LEN: return [...guard(0), ...def(cx.cellList.len(a()))];
    case OpCode.F64_ARRAY_LEN: return [...guard(0), ...def(cx.f64List.len(a()))];
    case OpCode.LIST_GET_I64: return [...guard(0), ...def(cx.i64List.get(a(), b()))];
    case OpCode.LIST_ANY_GET: return [...guard(0), ...def(cx.cellList.get(a(), b()))];
    case OpCode.F64_ARRAY_GET: return [...guard(0), ...def(cx.f64List.get(a(), b()))];
    case OpCode.LIST_PUSH_I64: return [handle(0), ...stored(I64, b()), cx.i64List.push(a(), b())];
    case OpCode.LIST_ANY_PUSH: return [...guard(0), ...stored(ANY, b()), cx.cellList.push(a(), b())];
    case OpCode.F64_ARRAY_PUSH: return [...guard(0), cx.f64List.push(a(), b())];
    case OpCode.LIST_SET_I64: return [handle(0), bounds(b(), a()), ...stored(I64, c()), cx.i64List.set(a(), b(), c())];
    case OpCode.LIST_ANY_SET:
      return lt.enabled
        ? [handle(0), bounds(b(), a()), ...stored(ANY, c()), cx.cellList.set(a(), b(), c())]
        : [cx.cellList.set(a(), b(), c())];
    case OpCode.F64_ARRAY_SET: return [...guard(0), cx.f64List.set(a(), b(), c())];

    // ---- maps (41–43, 85, 86)
    case OpCode.NEW_MAP: return def(cx.maps.newMap());
    case OpCode.MAP_SET_I64_I64: return [handle(0), ...stored(I64, b()), ...stored(I64, c()), cx.maps.set(a(), b(), c())];
    case OpCode.MAP_GET_I64_I64: return [...guard(0), ...def(cx.maps.get(a(), b()))];
    case OpCode.MAP_HAS_I64: return [...guard(0), ...def(cx.maps.has(a(), b()))];
    case OpCode.MAP_LEN: return [...guard(0), ...def(cx.maps.len(a()))];

    // ---- calls (44–45, ir.md §8.8)
    case OpCode.CALL:
      return def(m.call(cx.functionName(Number(k)), v.args.map(get), valueType(cx.types, v)));
    case OpCode.TAIL_CALL:
      return [m.return_call(cx.functionName(Number(k)), v.args.map(get), valueType(cx.types, v))];

    // ---- references (46–48)
    case OpCode.NULL: return def(m.ref.null(valueType(cx.types, v)));
    case OpCode.IS_NULL: return def(m.ref.is_null(a()));
    case OpCode.FREE: return [lt.free(typeOf(v.args[0]!), a())];

    // ---- structs (49–51): struct.get/set have no null check of their own
    case OpCode.STRUCT_NEW: {
      const shape = cx.types.shapes[v.structId]!;
      const fields = cx.program.structs[v.structId]!.fields;
      const checks = v.args.flatMap((id, i) => stored(fields[i]!, get(id)));
      const flag = cx.types.fieldOffset > 0 ? [m.i32.const(0)] : [];
      return [...checks, ...def(m.struct.new([...flag, ...v.args.map(get)], shape.heap))];
    }
    case OpCode.STRUCT_GET: {
      const s = typeOf(v.args[0]!);
      const shape = cx.types.shapes[s.structId]!;
      const i = Number(k);
      return [handle(0), ...def(m.struct.get(i + cx.types.fieldOffset, a(), shape.fieldTypes[i]!, false))];
    }
    case OpCode.STRUCT_SET: {
      const s = typeOf(v.args[0]!);
      const field = cx.program.structs[s.structId]!.fields[Number(k)]!;
      return [handle(0), ...stored(field, b()), m.struct.set(Number(k) + cx.types.fieldOffset, a(), b())];
    }

    // ---- boxing (62–69)
    case OpCode.BOX_I64: return def(cx.cells.boxI64(a()));
    case OpCode.BOX_F64: return def(cx.cells.boxF64(a()));
    case OpCode.BOX_BOOL: return def(cx.cells.boxBool(a()));
    case OpCode.BOX_REF: {
      const t = typeOf(v.args[0]!);
      if (t.type !== Type.HOST) return def(a());
      const box = cx.types.hostBox;
      return def(m.if(m.ref.is_null(a()), m.ref.null(binaryen.eqref), m.struct.new([a()], box.heap)));
    }
    case OpCode.UNBOX_I64: return def(cx.cells.unboxI64(a()));
    case OpCode.UNBOX_F64: return def(cx.cells.unboxF64(a()));
    case OpCode.UNBOX_BOOL: return def(cx.cells.unboxBool(a()));
    case OpCode.UNBOX_REF: return unboxRef(cx, env, v);

    // ---- f64 comparisons and conversions (70–79)

    // ---- bools (80–84)

    // ---- host (87–89)
    case OpCode.HOST_CALL: return def(cx.hostCalls.call(Number(k), v.args.map(get)));
    case OpCode.HOST_NEW: return [handle(0), ...def(cx.host.hostNew(m.ref.as_non_null(a())))];
    case OpCode.HOST_STR: return [...guard(0), ...def(cx.host.hostStr(a()))];
  }
  throw new Error(`op ${v.op} has no WasmGC translation`);
}

/**
 * unbox.T (ir.md op 69): null → null; not a heap handle → NOT_A_HANDLE;
 * another arena → WRONG_ARENA; freed → STALE_HANDLE; for struct<S> another
 * shape → WRONG_TYPE. Every arena check is a cast to the arena's type.
 */
function unboxRef(cx: EmitContext, env: ValueEnv, v: Value): Expr[] {
  const m = cx.module;
  const types = cx.types;
  const cell = env.get(v.args[0]!);
  if (v.type === Type.HOST) return [env.def(v, m.call(unboxHostFn(cx), [cell], binaryen.externref))];
  const k = heapKind(v)!;
  if (k.kind === "shape") return [env.def(v, m.call(unboxShapeFn(cx, k.id), [cell], types.shapes[k.id]!.refNull))];
  const t = gcTypeOf(types, k);
  const cast = addHandleCast(m, types, t, `vm3.unbox.${k.kind}`, true);
  const after = cx.lifetime.unboxed(k, env.get(v.id));
  return [env.def(v, m.call(cast, [cell], t.refNull)), ...(after === null ? [] : [after])];
}

function unboxShapeFn(cx: EmitContext, id: number): string {
  const m = cx.module;
  const types = cx.types;
  const name = `vm3.unbox.shape${id}`;
  if (m.getFunction(name) !== 0) return name;
  const S = types.shapes[id]!;
  const base = types.structBase;
  const asBase = addHandleCast(m, types, base, "vm3.unbox.struct", true);
  const r = () => m.local.get(1, base.refNull);
  const stale = cx.lifetime.enabled
    ? [trapIf(m, m.struct.get(0, r(), binaryen.i32, false), TrapCode.STALE_HANDLE)]
    : [];
  m.addFunction(
    name,
    binaryen.eqref,
    S.refNull,
    [base.refNull],
    m.block(
      null,
      [
        m.local.set(1, m.call(asBase, [m.local.get(0, binaryen.eqref)], base.refNull)),
        m.if(m.ref.is_null(r()), m.return(m.ref.null(S.refNull))),
        ...stale,
        trapIf(m, m.i32.eqz(m.ref.test(r(), S.ref)), TrapCode.WRONG_TYPE),
        m.ref.cast(r(), S.ref),
      ],
      S.refNull,
    ),
  );
  return name;
}

function unboxHostFn(cx: EmitContext): string {
  const m = cx.module;
  const types = cx.types;
  const name = "vm3.unbox.host";
  if (m.getFunction(name) !== 0) return name;
  const eq = binaryen.eqref;
  const x = () => m.local.get(0, eq);
  const box = types.hostBox;
  const isScalar = scalarCellTypes(types)
    .map((t) => m.ref.test(x(), t))
    .reduce((p, q) => m.i32.or(p, q));
  const ext = () => m.struct.get(0, m.ref.cast(x(), box.ref), binaryen.externref, false);
  const stale = cx.lifetime.enabled ? [trapIf(m, m.i32.eqz(cx.host.hostLive(ext())), TrapCode.STALE_HANDLE)] : [];
  m.addFunction(
    name,
    eq,
    binaryen.externref,
    [],
    m.block(
      null,
      [
        m.if(m.ref.is_null(x()), m.return(m.ref.null(binaryen.externref))),
        trapIf(m, isScalar, TrapCode.NOT_A_HANDLE),
        trapIf(m, m.i32.eqz(m.ref.test(x(), box.ref)), TrapCode.WRONG_ARENA),
        ...stale,
        ext(),
      ],
      binaryen.externref,
    ),
  );
  return name;
}
