// The compiler3 IR program model (ir.md §8.1) as plain TypeScript objects that
// mirror vm3.v1.Program of vm3-spec/proto/vm3/v1/ir.proto field for field
// (lowerCamelCase, the proto3 JSON names), so the text form, the JSON form and
// the binary form all convert to and from one shape. IDs are numbers (uint32);
// `const` is a bigint because it is an int64 (an f64 bit pattern needs all 64
// bits). Type, OpCode and TermKind carry the proto enum numbers;
// test/ir-model.test.ts checks them against ir.proto so they cannot drift.

/** ir.proto `enum Type` (ir.md §8.2), without the `TYPE_` prefix. */
export const Type = {
  INVALID: 0,
  I64: 1,
  F64: 2,
  BOOL: 3,
  STR: 4,
  LIST: 5,
  MAP: 6,
  SET: 7,
  STRUCT: 8,
  CLOSURE: 9,
  BIGNUM: 10,
  BYTES: 11,
  PAIR: 12,
  F64_ARR: 13,
  I64_ARR: 14,
  U8_ARR: 15,
  ANY: 16,
  UNIT: 17,
  HOST: 18,
} as const;
export type Type = (typeof Type)[keyof typeof Type];

/** ir.proto `enum OpCode` (ir.md §8.5), without the `OP_` prefix. */
export const OpCode = {
  INVALID: 0,
  PARAM: 1,
  CONST: 2,
  PHI: 3,
  ADD_I64: 4,
  SUB_I64: 5,
  MUL_I64: 6,
  DIV_I64: 7,
  MOD_I64: 8,
  NEG_I64: 9,
  ADD_I64_IMM: 10,
  SUB_I64_IMM: 11,
  MUL_I64_IMM: 12,
  DIV_I64_IMM: 13,
  MOD_I64_IMM: 14,
  ADD_F64: 15,
  SUB_F64: 16,
  MUL_F64: 17,
  DIV_F64: 18,
  NEG_F64: 19,
  CMP_EQ_I64: 20,
  CMP_NE_I64: 21,
  CMP_LT_I64: 22,
  CMP_LE_I64: 23,
  CMP_GT_I64: 24,
  CMP_GE_I64: 25,
  CMP_EQ_I64_IMM: 26,
  CMP_NE_I64_IMM: 27,
  CMP_LT_I64_IMM: 28,
  CMP_LE_I64_IMM: 29,
  CMP_GT_I64_IMM: 30,
  CMP_GE_I64_IMM: 31,
  LEN_STR: 32,
  CONCAT_STR: 33,
  CMP_EQ_STR: 34,
  CMP_NE_STR: 35,
  NEW_LIST: 36,
  LIST_LEN_I64: 37,
  LIST_PUSH_I64: 38,
  LIST_GET_I64: 39,
  LIST_SET_I64: 40,
  NEW_MAP: 41,
  MAP_SET_I64_I64: 42,
  MAP_GET_I64_I64: 43,
  CALL: 44,
  TAIL_CALL: 45,
  NULL: 46,
  IS_NULL: 47,
  FREE: 48,
  STRUCT_NEW: 49,
  STRUCT_GET: 50,
  STRUCT_SET: 51,
  NEW_LIST_ANY: 52,
  LIST_ANY_LEN: 53,
  LIST_ANY_PUSH: 54,
  LIST_ANY_GET: 55,
  LIST_ANY_SET: 56,
  NEW_F64_ARRAY: 57,
  F64_ARRAY_LEN: 58,
  F64_ARRAY_PUSH: 59,
  F64_ARRAY_GET: 60,
  F64_ARRAY_SET: 61,
  BOX_I64: 62,
  BOX_F64: 63,
  BOX_BOOL: 64,
  BOX_REF: 65,
  UNBOX_I64: 66,
  UNBOX_F64: 67,
  UNBOX_BOOL: 68,
  UNBOX_REF: 69,
  CMP_EQ_F64: 70,
  CMP_NE_F64: 71,
  CMP_LT_F64: 72,
  CMP_LE_F64: 73,
  CMP_GT_F64: 74,
  CMP_GE_F64: 75,
  I64_TO_F64: 76,
  F64_TO_I64: 77,
  SQRT_F64: 78,
  FMA_F64: 79,
  NOT_BOOL: 80,
  AND_BOOL: 81,
  OR_BOOL: 82,
  CMP_EQ_BOOL: 83,
  CMP_NE_BOOL: 84,
  MAP_HAS_I64: 85,
  MAP_LEN: 86,
  HOST_NEW: 87,
  HOST_STR: 88,
  HOST_CALL: 89,
} as const;
export type OpCode = (typeof OpCode)[keyof typeof OpCode];

/** ir.proto `enum TermKind` (ir.md §8.7), without the `TERM_` prefix. */
export const TermKind = {
  INVALID: 0,
  JUMP: 1,
  BRANCH: 2,
  RETURN: 3,
  UNREACHABLE: 4,
} as const;
export type TermKind = (typeof TermKind)[keyof typeof TermKind];

/** A full type (ir.md §8.2): two types are equal when all three parts are. */
export interface FullType {
  type: Type;
  elemType: Type;
  structId: number;
}

/** ir.proto `Value`: one SSA definition; `id` equals its index in `values`. */
export interface Value extends FullType {
  id: number;
  op: OpCode;
  /** Operand value IDs; for PHI, (pred block ID, src value ID) pairs. */
  args: number[];
  /** ir.md §8.4: literal, f64 bits, immediate, callee, string or field index. */
  const: bigint;
}

/** ir.proto `Terminator`; fields a kind does not use are 0. */
export interface Terminator {
  kind: TermKind;
  target: number;
  ifTrue: number;
  ifFalse: number;
  value: number;
}

/** ir.proto `Block`; `id` equals its index in `blocks`. */
export interface Block {
  id: number;
  values: number[];
  preds: number[];
  succs: number[];
  term: Terminator;
}

/** ir.proto `Function` (named Func here: `Function` is a JS global). */
export interface Func {
  name: string;
  params: number[];
  result: Type;
  resultElemType: Type;
  resultStructId: number;
  blocks: Block[];
  values: Value[];
  strings: string[];
}

/** ir.proto `Field`. */
export interface Field extends FullType {
  name: string;
}

/** ir.proto `StructShape`; its index in `Program.structs` is its StructID. */
export interface StructShape {
  name: string;
  fields: Field[];
}

/** ir.proto `HostImport` (host.md §11.1); `params` are ir.proto `TypeRef`s. */
export interface HostImport {
  name: string;
  params: FullType[];
  result: Type;
  resultElemType: Type;
  resultStructId: number;
}

/** ir.proto `Program`. */
export interface Program {
  functions: Func[];
  entry: string;
  structs: StructShape[];
  /** Absent in programs made before host imports existed: read as empty. */
  hostImports?: HostImport[];
}

/** A full type of a non-list, non-struct type. */
export function scalarType(type: Type): FullType {
  return { type, elemType: Type.INVALID, structId: 0 };
}

export function fullTypeEquals(a: FullType, b: FullType): boolean {
  return a.type === b.type && a.elemType === b.elemType && a.structId === b.structId;
}

/** The full type of a function's result (`result`, `result_elem_type`, `result_struct_id`). */
export function resultType(f: Func): FullType {
  return { type: f.result, elemType: f.resultElemType, structId: f.resultStructId };
}

/** The full type of a host import's result. */
export function importResultType(h: HostImport): FullType {
  return { type: h.result, elemType: h.resultElemType, structId: h.resultStructId };
}

/** A terminator with every field 0 (the proto default). */
export function emptyTerminator(): Terminator {
  return { kind: TermKind.INVALID, target: 0, ifTrue: 0, ifFalse: 0, value: 0 };
}

/** The reverse maps (number → name without prefix), for messages and the JSON form. */
export function enumName<T extends Record<string, number>>(e: T, n: number): string | undefined {
  for (const [k, v] of Object.entries(e)) if (v === n) return k;
  return undefined;
}
