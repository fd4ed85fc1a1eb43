// IR types (ir.md §8.2) in the WasmGC mapping (DESIGN.md §6): the value type
// of a local, a parameter, a result or a struct field, and which heap type a
// reference type's objects have.

import type { FullType, Program } from "../ir/model.ts";
import { Type } from "../ir/model.ts";
import { binaryen } from "../wasm/binaryen.ts";
import type { FieldKind, GcType, RuntimeTypes, ShapeDesc } from "./runtime-types.ts";

/** The heap types a typed IR reference can name; `any` and `host` are handled apart. */
export type HeapKind =
  | { kind: "str" }
  | { kind: "listI64" }
  | { kind: "listAny" }
  | { kind: "f64arr" }
  | { kind: "map" }
  | { kind: "shape"; id: number };

/** The heap kind of a typed reference, or undefined for scalars, `any`, `host` and `unit`. */
export function heapKind(t: FullType): HeapKind | undefined {
  switch (t.type) {
    case Type.STR:
      return { kind: "str" };
    case Type.LIST:
      return t.elemType === Type.I64 ? { kind: "listI64" } : { kind: "listAny" };
    case Type.F64_ARR:
      return { kind: "f64arr" };
    case Type.MAP:
      return { kind: "map" };
    case Type.STRUCT:
      return { kind: "shape", id: t.structId };
    default:
      return undefined;
  }
}

/** The GC type of a heap kind's objects. */
export function gcTypeOf(types: RuntimeTypes, k: HeapKind): GcType {
  switch (k.kind) {
    case "str":
      return types.string;
    case "listI64":
      return types.i64List.list;
    case "listAny":
      return types.cellList.list;
    case "f64arr":
      return types.f64List.list;
    case "map":
      return types.mapI64;
    case "shape":
      return types.shapes[k.id]!;
  }
}

/** The Wasm value type of an IR value of type `t`; `binaryen.none` for unit. Bools are i32; references nullable. */
export function valueType(types: RuntimeTypes, t: FullType): binaryen.Type {
  switch (t.type) {
    case Type.I64:
      return binaryen.i64;
    case Type.F64:
      return binaryen.f64;
    case Type.BOOL:
      return binaryen.i32;
    case Type.ANY:
      return binaryen.eqref;
    case Type.HOST:
      return binaryen.externref;
    case Type.UNIT:
      return binaryen.none;
  }
  const k = heapKind(t);
  if (k === undefined) throw new Error(`type ${t.type} has no WasmGC mapping`);
  return gcTypeOf(types, k).refNull;
}

function fieldKind(t: FullType): FieldKind {
  switch (t.type) {
    case Type.I64:
      return "i64";
    case Type.F64:
      return "f64";
    case Type.BOOL:
      return "bool";
    case Type.ANY:
      return "cell";
    case Type.HOST:
      return "host";
    case Type.STR:
      return "string";
    case Type.LIST:
      return t.elemType === Type.I64 ? "i64list" : "list";
    case Type.F64_ARR:
      return "f64list";
    case Type.MAP:
      return "map_i64";
    case Type.STRUCT:
      return { shape: t.structId };
  }
  throw new Error(`type ${t.type} cannot be a struct field`);
}

/** The program's shapes as runtime-types.ts describes them. */
export function shapeDescs(program: Program): ShapeDesc[] {
  return program.structs.map((s) => ({
    name: s.name,
    fields: s.fields.map((f) => ({ name: f.name, kind: fieldKind(f) })),
  }));
}
