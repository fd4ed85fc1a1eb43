// The WasmGC type lattice of the vm3 mapping (DESIGN.md §6): box structs,
// Cell and typed lists, typed arrays, strings, maps, the struct base and one
// struct type per IR struct shape.
//
// Every type is built in ONE recursion group. WasmGC types are structural
// (isorecursive): two definitions with the same fields in different rec groups
// are the same type, so `ref.test` could not tell an I64Box from a shape
// `{i64}`, nor two IR shapes with the same field layout apart, nor a String
// from a U8Array. Inside one rec group each index is its own type, so every
// vm3 kind stays distinguishable by a cast. One group also lets shapes refer
// to each other (and to themselves) in any order.

import { binaryen, HeapTypes, refI31 } from "../wasm/binaryen.ts";

/** The kind of one field of an IR struct shape (a local stand-in until the IR exists). */
export type FieldKind =
  | "i64" // unboxed integer
  | "f64" // unboxed float
  | "bool" // stored as a packed i8, read unsigned (0 or 1)
  | "cell" // a generic Cell: eqref
  | "list" // (ref null List)
  | "f64list"
  | "i64list"
  | "u8list"
  | "string" // (ref null String)
  | "map_i64" // (ref null MapI64)
  | "map_cell" // (ref null MapCell)
  | "host" // externref
  | { readonly shape: number }; // (ref null <shape>), an index into the shapes argument

export interface FieldDesc {
  readonly name?: string;
  readonly kind: FieldKind;
  /** Default true: IR structs are written with struct_set. */
  readonly mutable?: boolean;
}

export interface ShapeDesc {
  readonly name: string;
  readonly fields: readonly FieldDesc[];
}

/** One defined type: its heap type and the two reference value types to it. */
export interface GcType {
  readonly heap: binaryen.HeapType;
  /** `(ref $T)`, non-nullable. */
  readonly ref: binaryen.Type;
  /** `(ref null $T)`. */
  readonly refNull: binaryen.Type;
}

/** What a list of one element kind is made of (the list ops are generic over this). */
export interface ListRepr {
  readonly kind: "cell" | "f64" | "i64" | "u8";
  /** struct { len: mut i32, items: mut (ref $array) } */
  readonly list: GcType;
  /** (array (mut elem)) */
  readonly array: GcType;
  /** The element's value type as seen by code: eqref, f64, i64, or i32 for u8. */
  readonly elem: binaryen.Type;
  /** Packed storage (u8) is read unsigned. */
  readonly packed: boolean;
}

export interface ShapeType extends GcType {
  readonly desc: ShapeDesc;
  /** Value type of each field as read by struct.get (bool → i32). */
  readonly fieldTypes: readonly binaryen.Type[];
}

export interface RuntimeTypes {
  /** struct { value: i64 } — an integer outside the i31 range, in a Cell slot. */
  readonly i64Box: GcType;
  /** struct { value: f64 } — a float in a Cell slot. */
  readonly f64Box: GcType;
  /** struct { value: i32 } — a bool in a Cell slot; two singletons (globals of cell-ops). */
  readonly boolBox: GcType;
  /** struct { value: externref } — a Host value in a Cell slot (externref is not an eqref). */
  readonly hostBox: GcType;
  readonly cellArray: GcType;
  readonly f64Array: GcType;
  readonly i64Array: GcType;
  readonly u8Array: GcType;
  readonly i32Array: GcType;
  /**
   * struct { len: mut i32, bytes: mut (ref vm3.U8Array) } of UTF-8 bytes: a
   * struct, not a bare array, so that `free` can mark a string freed (len -1,
   * ir.md §8.5 notes) as it marks lists and maps.
   */
  readonly string: GcType;
  readonly cellList: ListRepr;
  readonly f64List: ListRepr;
  readonly i64List: ListRepr;
  readonly u8List: ListRepr;
  /** Map i64 → i64: struct { count, keys, values, index } (see mapI64 below). */
  readonly mapI64: GcType;
  /** Map Cell → Cell: same layout with eqref keys and values. */
  readonly mapCell: GcType;
  /**
   * The open supertype of every shape: empty, or `{ freed: mut i8 }` when the
   * program frees structs (then every shape starts with that field).
   */
  readonly structBase: GcType;
  /** 1 when shapes carry the freed flag as field 0, else 0: IR field i is struct field i + fieldOffset. */
  readonly fieldOffset: number;
  readonly shapes: readonly ShapeType[];
  /** Value types used everywhere. */
  readonly eqref: binaryen.Type;
  readonly i31: GcType;
}

// Fixed slots of the rec group, then the shapes.
const T = {
  i64Box: 0,
  f64Box: 1,
  boolBox: 2,
  hostBox: 3,
  cellArray: 4,
  f64Array: 5,
  i64Array: 6,
  u8Array: 7,
  i32Array: 8,
  string: 9,
  cellList: 10,
  f64List: 11,
  i64List: 12,
  u8List: 13,
  mapI64: 14,
  mapCell: 15,
  structBase: 16,
} as const;
const FIXED = 17;

const NAMES: Record<keyof typeof T, string> = {
  i64Box: "vm3.I64Box",
  f64Box: "vm3.F64Box",
  boolBox: "vm3.BoolBox",
  hostBox: "vm3.HostBox",
  cellArray: "vm3.CellArray",
  f64Array: "vm3.F64Array",
  i64Array: "vm3.I64Array",
  u8Array: "vm3.U8Array",
  i32Array: "vm3.I32Array",
  string: "vm3.String",
  cellList: "vm3.List",
  f64List: "vm3.F64List",
  i64List: "vm3.I64List",
  u8List: "vm3.U8List",
  mapI64: "vm3.MapI64",
  mapCell: "vm3.MapCell",
  structBase: "vm3.Struct",
};

interface Field {
  type: binaryen.Type;
  packedType: binaryen.PackedType;
  mutable: boolean;
}

/**
 * Builds the whole lattice for `module` (names the types in it) and returns
 * the heap and value types. `shapes` are the IR's struct shapes; a field of
 * kind `{shape: i}` refers to `shapes[i]`, in any order, itself included.
 */
export interface RuntimeTypeOptions {
  /** Give the struct base (and so every shape, as field 0) a mutable freed flag. */
  readonly freedFlag?: boolean;
}

export function buildRuntimeTypes(module: binaryen.Module, shapes: readonly ShapeDesc[], options: RuntimeTypeOptions = {}): RuntimeTypes {
  const size = FIXED + shapes.length;
  const tb = new binaryen.TypeBuilder(size);
  const tmp = (i: number, nullable: boolean): binaryen.Type => tb.getTempRefType(tb.getTempHeapType(i), nullable);
  const plain = (type: binaryen.Type, mutable: boolean): Field => ({ type, packedType: binaryen.notPacked, mutable });

  tb.setStructType(T.i64Box, [plain(binaryen.i64, false)]);
  tb.setStructType(T.f64Box, [plain(binaryen.f64, false)]);
  tb.setStructType(T.boolBox, [plain(binaryen.i32, false)]);
  tb.setStructType(T.hostBox, [plain(binaryen.externref, false)]);
  tb.setArrayType(T.cellArray, binaryen.eqref, binaryen.notPacked, true);
  tb.setArrayType(T.f64Array, binaryen.f64, binaryen.notPacked, true);
  tb.setArrayType(T.i64Array, binaryen.i64, binaryen.notPacked, true);
  tb.setArrayType(T.u8Array, binaryen.i32, binaryen.i8, true);
  tb.setArrayType(T.i32Array, binaryen.i32, binaryen.notPacked, true);
  const listOf = (arrayIndex: number): Field[] => [plain(binaryen.i32, true), plain(tmp(arrayIndex, false), true)];
  tb.setStructType(T.cellList, listOf(T.cellArray));
  tb.setStructType(T.f64List, listOf(T.f64Array));
  tb.setStructType(T.i64List, listOf(T.i64Array));
  tb.setStructType(T.u8List, listOf(T.u8Array));
  tb.setStructType(T.string, listOf(T.u8Array));
  const mapOf = (keys: number, values: number): Field[] => [
    plain(binaryen.i32, true), // count: entries in use, in insertion order
    plain(tmp(keys, false), true), // keys[0..count)
    plain(tmp(values, false), true), // values[0..count)
    plain(tmp(T.i32Array, false), true), // index: open-addressing table of entry numbers, -1 empty
  ];
  tb.setStructType(T.mapI64, mapOf(T.i64Array, T.i64Array));
  tb.setStructType(T.mapCell, mapOf(T.cellArray, T.cellArray));
  const freedFlag: Field[] = options.freedFlag ? [{ type: binaryen.i32, packedType: binaryen.i8, mutable: true }] : [];
  tb.setStructType(T.structBase, freedFlag);
  tb.setOpen(T.structBase);

  const fieldType = (kind: FieldKind): Field => {
    if (typeof kind === "object") {
      if (!Number.isInteger(kind.shape) || kind.shape < 0 || kind.shape >= shapes.length) {
        throw new RangeError(`field refers to shape ${kind.shape}, but there are ${shapes.length} shapes`);
      }
      return plain(tmp(FIXED + kind.shape, true), true);
    }
    switch (kind) {
      case "i64":
        return plain(binaryen.i64, true);
      case "f64":
        return plain(binaryen.f64, true);
      case "bool":
        return { type: binaryen.i32, packedType: binaryen.i8, mutable: true };
      case "cell":
        return plain(binaryen.eqref, true);
      case "list":
        return plain(tmp(T.cellList, true), true);
      case "f64list":
        return plain(tmp(T.f64List, true), true);
      case "i64list":
        return plain(tmp(T.i64List, true), true);
      case "u8list":
        return plain(tmp(T.u8List, true), true);
      case "string":
        return plain(tmp(T.string, true), true);
      case "map_i64":
        return plain(tmp(T.mapI64, true), true);
      case "map_cell":
        return plain(tmp(T.mapCell, true), true);
      case "host":
        return plain(binaryen.externref, true);
    }
  };
  const base = tb.getTempHeapType(T.structBase);
  shapes.forEach((shape, i) => {
    const fields = shape.fields.map((f) => {
      const field = fieldType(f.kind);
      field.mutable = f.mutable ?? true;
      return field;
    });
    tb.setStructType(FIXED + i, [...freedFlag, ...fields]);
    tb.setSubType(FIXED + i, base);
  });
  tb.createRecGroup(0, size);
  const heaps = tb.buildAndDispose();

  const gc = (i: number): GcType => {
    const heap = heaps[i];
    if (heap === undefined) throw new Error(`TypeBuilder returned no type ${i}`);
    return {
      heap,
      ref: binaryen.getTypeFromHeapType(heap, false),
      refNull: binaryen.getTypeFromHeapType(heap, true),
    };
  };
  for (const [key, index] of Object.entries(T)) {
    module.setTypeName(gc(index).heap, NAMES[key as keyof typeof T]);
  }
  const fieldOffset = freedFlag.length;
  if (fieldOffset > 0) module.setFieldName(gc(T.structBase).heap, 0, "freed");

  const shapeTypes = shapes.map((desc, i): ShapeType => {
    const t = gc(FIXED + i);
    module.setTypeName(t.heap, `shape.${desc.name}`);
    desc.fields.forEach((f, j) => {
      if (f.name !== undefined) module.setFieldName(t.heap, j + fieldOffset, f.name);
    });
    if (fieldOffset > 0) module.setFieldName(t.heap, 0, "freed");
    const fieldTypes = desc.fields.map((f) => {
      const kind = f.kind;
      if (typeof kind === "object") return gc(FIXED + kind.shape).refNull;
      return kind === "bool" ? binaryen.i32 : valueTypeOfKind(kind, gc);
    });
    return { ...t, desc, fieldTypes };
  });

  const list = (kind: ListRepr["kind"], l: number, a: number, elem: binaryen.Type, packed: boolean): ListRepr => ({
    kind,
    list: gc(l),
    array: gc(a),
    elem,
    packed,
  });
  const i31: GcType = {
    heap: HeapTypes.i31,
    ref: refI31,
    refNull: binaryen.i31ref,
  };

  return {
    i64Box: gc(T.i64Box),
    f64Box: gc(T.f64Box),
    boolBox: gc(T.boolBox),
    hostBox: gc(T.hostBox),
    cellArray: gc(T.cellArray),
    f64Array: gc(T.f64Array),
    i64Array: gc(T.i64Array),
    u8Array: gc(T.u8Array),
    i32Array: gc(T.i32Array),
    string: gc(T.string),
    cellList: list("cell", T.cellList, T.cellArray, binaryen.eqref, false),
    f64List: list("f64", T.f64List, T.f64Array, binaryen.f64, false),
    i64List: list("i64", T.i64List, T.i64Array, binaryen.i64, false),
    u8List: list("u8", T.u8List, T.u8Array, binaryen.i32, true),
    mapI64: gc(T.mapI64),
    mapCell: gc(T.mapCell),
    structBase: gc(T.structBase),
    fieldOffset,
    shapes: shapeTypes,
    eqref: binaryen.eqref,
    i31,
  };
}

function valueTypeOfKind(kind: Exclude<FieldKind, object | "bool">, gc: (i: number) => GcType): binaryen.Type {
  switch (kind) {
    case "i64":
      return binaryen.i64;
    case "f64":
      return binaryen.f64;
    case "cell":
      return binaryen.eqref;
    case "list":
      return gc(T.cellList).refNull;
    case "f64list":
      return gc(T.f64List).refNull;
    case "i64list":
      return gc(T.i64List).refNull;
    case "u8list":
      return gc(T.u8List).refNull;
    case "string":
      return gc(T.string).refNull;
    case "map_i64":
      return gc(T.mapI64).refNull;
    case "map_cell":
      return gc(T.mapCell).refNull;
    case "host":
      return binaryen.externref;
  }
}
