// `free` on a target whose engine GC makes stale references impossible
// (ir.md §8.5 notes): a freed object stays reachable through any reference
// the program kept, so it carries a mark that every access checks, and its
// storage is dropped (items arrays replaced by empty ones, reference fields
// nulled) so that the engine can reclaim it.
//
// The mark: lists, f64arrs, strings and maps have an i32 length (count) in
// field 0, set to -1; shapes have the freed flag that buildRuntimeTypes adds
// as field 0 of the struct base when the program frees; host values are
// marked on the JS side (host-ops.ts).
//
// A program without FREE pays nothing: `enabled` is false and the checks
// reduce to the null check of operations.md's handle(c, A).

import type { FullType } from "../ir/model.ts";
import { Type } from "../ir/model.ts";
import { binaryen } from "../wasm/binaryen.ts";
import { scalarCellTypes } from "./handle-check.ts";
import type { HostOps } from "./host-ops.ts";
import { type HeapKind, gcTypeOf, heapKind } from "./ir-types.ts";
import type { GcType, RuntimeTypes } from "./runtime-types.ts";
import { TrapCode, emitTrap, trapIf } from "../wasm/trap.ts";

export interface Lifetime {
  readonly enabled: boolean;
  /** handle(r, A) of a typed reference or host (ir.md §8.5): null → NULL_DEREF; freed → STALE_HANDLE. A statement. */
  handle(t: FullType, r: binaryen.ExpressionRef): binaryen.ExpressionRef;
  /** value(v) of a reference, host or any about to be stored: freed → STALE_HANDLE (null passes). A statement, or null when nothing is checked. */
  value(t: FullType, v: binaryen.ExpressionRef): binaryen.ExpressionRef | null;
  /** After unbox.T's cast (null passes): a freed object → STALE_HANDLE. A statement, or null when disabled. */
  unboxed(k: HeapKind, r: binaryen.ExpressionRef): binaryen.ExpressionRef | null;
  /** `free` of a value of type t (ir.md op 48). A statement. */
  free(t: FullType, r: binaryen.ExpressionRef): binaryen.ExpressionRef;
}

const LEN_KINDS: readonly HeapKind["kind"][] = ["str", "listI64", "listAny", "f64arr", "map"];

export function installLifetime(module: binaryen.Module, types: RuntimeTypes, host: HostOps, enabled: boolean): Lifetime {
  const m = module;
  const i32 = binaryen.i32;
  const p = (i: number, t: binaryen.Type) => m.local.get(i, t);
  const kindName = (k: HeapKind) => (k.kind === "shape" ? `shape${k.id}` : k.kind);
  const allKinds: HeapKind[] = [...LEN_KINDS.map((kind) => ({ kind }) as HeapKind), ...types.shapes.map((_, id): HeapKind => ({ kind: "shape", id }))];

  /** i32: the non-null object r of kind k is freed. */
  const isFreed = (k: HeapKind, r: binaryen.ExpressionRef): binaryen.ExpressionRef =>
    k.kind === "shape" ? m.struct.get(0, r, i32, false) : m.i32.lt_s(m.struct.get(0, r, i32, false), m.i32.const(0));

  const fn = (name: string, param: binaryen.Type, vars: binaryen.Type[], body: binaryen.ExpressionRef): string => {
    if (m.getFunction(name) === 0) m.addFunction(name, param, binaryen.none, vars, body);
    return name;
  };

  const handleFn = (k: HeapKind): string => {
    const t = gcTypeOf(types, k);
    const body = [trapIf(m, m.ref.is_null(p(0, t.refNull)), TrapCode.NULL_DEREF)];
    if (enabled) body.push(trapIf(m, isFreed(k, p(0, t.refNull)), TrapCode.STALE_HANDLE));
    return fn(`vm3.handle.${kindName(k)}`, t.refNull, [], m.block(null, body));
  };
  const hostHandleFn = (): string => {
    const ext = binaryen.externref;
    const body = [trapIf(m, m.ref.is_null(p(0, ext)), TrapCode.NULL_DEREF)];
    if (enabled) body.push(trapIf(m, m.i32.eqz(host.hostLive(p(0, ext))), TrapCode.STALE_HANDLE));
    return fn("vm3.handle.host", ext, [], m.block(null, body));
  };
  const liveFn = (k: HeapKind): string => {
    const t = gcTypeOf(types, k);
    return fn(
      `vm3.live.${kindName(k)}`,
      t.refNull,
      [],
      m.if(m.i32.eqz(m.ref.is_null(p(0, t.refNull))), trapIf(m, isFreed(k, p(0, t.refNull)), TrapCode.STALE_HANDLE)),
    );
  };
  const liveHostFn = (): string => {
    const ext = binaryen.externref;
    return fn(
      "vm3.live.host",
      ext,
      [],
      m.if(m.i32.eqz(m.ref.is_null(p(0, ext))), trapIf(m, m.i32.eqz(host.hostLive(p(0, ext))), TrapCode.STALE_HANDLE)),
    );
  };
  // value(v) of an any: each freeable heap type by a test, then its mark.
  const liveAnyFn = (): string => {
    const eq = binaryen.eqref;
    const arms = allKinds.map((k) => {
      const t = gcTypeOf(types, k);
      return m.if(m.ref.test(p(0, eq), t.ref), m.block(null, [m.call(liveFn(k), [m.ref.cast(p(0, eq), t.ref)], binaryen.none), m.return()]));
    });
    const hostBox = types.hostBox;
    arms.push(m.if(m.ref.test(p(0, eq), hostBox.ref), m.call(liveHostFn(), [m.struct.get(0, m.ref.cast(p(0, eq), hostBox.ref), binaryen.externref, false)], binaryen.none)));
    return fn("vm3.live.any", eq, [], m.block(null, arms));
  };

  /** free of a non-null, live object of kind k: mark it and drop its storage. */
  const release = (k: HeapKind, r: () => binaryen.ExpressionRef): binaryen.ExpressionRef[] => {
    const empty = (a: GcType) => m.array.new_fixed(a.heap, []);
    switch (k.kind) {
      case "str":
        return [m.struct.set(0, r(), m.i32.const(-1)), m.struct.set(1, r(), empty(types.u8Array))];
      case "listI64":
        return [m.struct.set(0, r(), m.i32.const(-1)), m.struct.set(1, r(), empty(types.i64Array))];
      case "listAny":
        return [m.struct.set(0, r(), m.i32.const(-1)), m.struct.set(1, r(), empty(types.cellArray))];
      case "f64arr":
        return [m.struct.set(0, r(), m.i32.const(-1)), m.struct.set(1, r(), empty(types.f64Array))];
      case "map":
        return [
          m.struct.set(0, r(), m.i32.const(-1)),
          m.struct.set(1, r(), empty(types.i64Array)),
          m.struct.set(2, r(), empty(types.i64Array)),
          m.struct.set(3, r(), empty(types.i32Array)),
        ];
      case "shape": {
        const shape = types.shapes[k.id]!;
        const sets = [m.struct.set(0, r(), m.i32.const(1))];
        shape.desc.fields.forEach((f, i) => {
          const ft = shape.fieldTypes[i]!;
          if (typeof f.kind === "object" || !["i64", "f64", "bool"].includes(f.kind)) {
            sets.push(m.struct.set(i + types.fieldOffset, r(), m.ref.null(ft)));
          }
        });
        return sets;
      }
    }
  };
  const freeFn = (k: HeapKind): string => {
    const t = gcTypeOf(types, k);
    return fn(
      `vm3.free.${kindName(k)}`,
      t.refNull,
      [],
      m.block(null, [m.call(handleFn(k), [p(0, t.refNull)], binaryen.none), ...release(k, () => p(0, t.refNull))]),
    );
  };
  const freeHostFn = (): string => {
    const ext = binaryen.externref;
    return fn("vm3.free.host", ext, [], m.block(null, [trapIf(m, m.ref.is_null(p(0, ext)), TrapCode.NULL_DEREF), host.hostFree(p(0, ext))]));
  };
  // free of an any (operations.md free: null → NULL_DEREF, a scalar → NOT_A_HANDLE).
  const freeAnyFn = (): string => {
    const eq = binaryen.eqref;
    const isScalar = scalarCellTypes(types)
      .map((t) => m.ref.test(p(0, eq), t))
      .reduce((a, b) => m.i32.or(a, b));
    const arms = allKinds.map((k) => {
      const t = gcTypeOf(types, k);
      return m.if(m.ref.test(p(0, eq), t.ref), m.block(null, [m.call(freeFn(k), [m.ref.cast(p(0, eq), t.ref)], binaryen.none), m.return()]));
    });
    const hostBox = types.hostBox;
    return fn(
      "vm3.free.any",
      eq,
      [],
      m.block(null, [
        trapIf(m, m.ref.is_null(p(0, eq)), TrapCode.NULL_DEREF),
        trapIf(m, isScalar, TrapCode.NOT_A_HANDLE),
        ...arms,
        m.if(
          m.ref.test(p(0, eq), hostBox.ref),
          m.block(null, [m.call(freeHostFn(), [m.struct.get(0, m.ref.cast(p(0, eq), hostBox.ref), binaryen.externref, false)], binaryen.none), m.return()]),
        ),
        emitTrap(m, TrapCode.WRONG_ARENA),
      ]),
    );
  };

  return {
    enabled,
    handle(t, r) {
      if (t.type === Type.HOST) return m.call(hostHandleFn(), [r], binaryen.none);
      const k = heapKind(t);
      if (k === undefined) throw new Error(`handle check of a non-reference type ${t.type}`);
      return m.call(handleFn(k), [r], binaryen.none);
    },
    value(t, v) {
      if (!enabled) return null;
      if (t.type === Type.ANY) return m.call(liveAnyFn(), [v], binaryen.none);
      if (t.type === Type.HOST) return m.call(liveHostFn(), [v], binaryen.none);
      const k = heapKind(t);
      return k === undefined ? null : m.call(liveFn(k), [v], binaryen.none);
    },
    unboxed(k, r) {
      return enabled ? m.call(liveFn(k), [r], binaryen.none) : null;
    },
    free(t, r) {
      if (t.type === Type.ANY) return m.call(freeAnyFn(), [r], binaryen.none);
      if (t.type === Type.HOST) return m.call(freeHostFn(), [r], binaryen.none);
      const k = heapKind(t);
      if (k === undefined) throw new Error(`free of a non-reference type ${t.type}`);
      return m.call(freeFn(k), [r], binaryen.none);
    },
  };
}
