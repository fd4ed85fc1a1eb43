// The op table: for every opcode of ir.md §8.5, its text mnemonic and syntax
// (ir-text.md `op`), its operand types, where its result type comes from and
// what `const` means for it (§8.4). The parser, the printer and the validator
// all read this one table (and later the interpreter and the emitters), so an
// op's shape is stated exactly once.
import type { FullType } from "./model.ts";
import { OpCode } from "./model.ts";
import { ANY, BOOL, F64, F64_ARR, HOST, I64, LIST_ANY, LIST_I64, MAP, STR, UNIT } from "./types.ts";

/** How an op is written in the text form (ir-text.md `op`). */
export type Syntax =
  /** PARAM: only in the function header. */
  | "param"
  /** `const.T literal`. */
  | "const"
  /** `phi.T [bP: vS], …`. */
  | "phi"
  /** `call.T @f(…)` / `tailcall.T @f(…)`. */
  | "call"
  /** `host.call.T @name(…)` (host.md §11.2). */
  | "hostCall"
  /** `null.T` / `unbox.T v` (UNBOX_REF): the mnemonic is a prefix of a type. */
  | "typed"
  /** `struct.new S v, …`. */
  | "structNew"
  /** `struct.get S.f v` / `struct.set S.f v, v`. */
  | "structField"
  /** `mnemonic v, INT`: the immediate is `const`. */
  | "imm"
  /** `mnemonic [v, …]`. */
  | "plain";

/** One operand's required type (§8.5 "args"). */
export type Operand =
  /** Exactly this full type. */
  | { kind: "exact"; type: FullType }
  /** "ref": a reference type other than `any` (box.ref). */
  | { kind: "ref" }
  /** "ref or any": any reference type (is.null, free). */
  | { kind: "refOrAny" };

/** The operand list: fixed, or one of the op-specific rules. */
export type Operands =
  | { kind: "fixed"; list: readonly Operand[] }
  /** PHI: (pred, src) pairs, src of the phi's type (rules 4, 15). */
  | { kind: "phi" }
  /** CALL/TAIL_CALL: the callee's parameter types (rule 12). */
  | { kind: "callee" }
  /** HOST_CALL: the host import's parameter types (rule 12). */
  | { kind: "hostImport" }
  /** STRUCT_NEW: one per field of the shape `struct_id`, of its type (rule 11). */
  | { kind: "shapeFields" }
  /** STRUCT_GET: struct<S>; STRUCT_SET: struct<S>, field `const`'s type. */
  | { kind: "structField"; set: boolean };

/** Where the value's full type (type, elem_type, struct_id) comes from. */
export type Result =
  /** A fixed type; elem_type and struct_id are those of that type. */
  | { kind: "fixed"; type: FullType }
  /** Written in the text after the mnemonic; constrained by `allowed`. */
  | { kind: "written"; allowed: "const" | "any" | "reference" | "referenceNotAny" }
  /** The callee's result type (CALL, TAIL_CALL). */
  | { kind: "callee" }
  /** The host import's result type (HOST_CALL). */
  | { kind: "hostImport" }
  /** The type of field `const` of the operand's shape (STRUCT_GET). */
  | { kind: "field" }
  /** STRUCT of the shape being built; struct_id names it (STRUCT_NEW). */
  | { kind: "shape" };

/** What `const` holds (ir.md §8.4); "none" means it must be 0. */
export type ConstUse = "none" | "literal" | "imm" | "callee" | "hostImport" | "field";

export interface OpInfo {
  readonly op: OpCode;
  /** The proto name without `OP_`. */
  readonly name: string;
  /** Text mnemonic; for "const"/"phi"/"call"/"typed" the part before the written type. */
  readonly mnemonic: string;
  readonly syntax: Syntax;
  readonly operands: Operands;
  readonly result: Result;
  readonly constUse: ConstUse;
}

const fixed = (...list: FullType[]): Operands => ({ kind: "fixed", list: list.map((type) => ({ kind: "exact", type })) });
const to = (type: FullType): Result => ({ kind: "fixed", type });

const TABLE: OpInfo[] = [];

function def(
  name: keyof typeof OpCode,
  mnemonic: string,
  syntax: Syntax,
  operands: Operands,
  result: Result,
  constUse: ConstUse = syntax === "imm" ? "imm" : "none",
): void {
  TABLE.push({ op: OpCode[name], name, mnemonic, syntax, operands, result, constUse });
}

// Scalars (Mochi 1–35).
def("PARAM", "", "param", fixed(), { kind: "written", allowed: "any" });
def("CONST", "const", "const", fixed(), { kind: "written", allowed: "const" }, "literal");
def("PHI", "phi", "phi", { kind: "phi" }, { kind: "written", allowed: "any" });
def("ADD_I64", "add.i64", "plain", fixed(I64, I64), to(I64));
def("SUB_I64", "sub.i64", "plain", fixed(I64, I64), to(I64));
def("MUL_I64", "mul.i64", "plain", fixed(I64, I64), to(I64));
def("DIV_I64", "div.i64", "plain", fixed(I64, I64), to(I64));
def("MOD_I64", "mod.i64", "plain", fixed(I64, I64), to(I64));
def("NEG_I64", "neg.i64", "plain", fixed(I64), to(I64));
def("ADD_I64_IMM", "addk.i64", "imm", fixed(I64), to(I64));
def("SUB_I64_IMM", "subk.i64", "imm", fixed(I64), to(I64));
def("MUL_I64_IMM", "mulk.i64", "imm", fixed(I64), to(I64));
def("DIV_I64_IMM", "divk.i64", "imm", fixed(I64), to(I64));
def("MOD_I64_IMM", "modk.i64", "imm", fixed(I64), to(I64));
def("ADD_F64", "add.f64", "plain", fixed(F64, F64), to(F64));
def("SUB_F64", "sub.f64", "plain", fixed(F64, F64), to(F64));
def("MUL_F64", "mul.f64", "plain", fixed(F64, F64), to(F64));
def("DIV_F64", "div.f64", "plain", fixed(F64, F64), to(F64));
def("NEG_F64", "neg.f64", "plain", fixed(F64), to(F64));
for (const c of ["EQ", "NE", "LT", "LE", "GT", "GE"] as const) {
  def(`CMP_${c}_I64`, `cmp.${c.toLowerCase()}.i64`, "plain", fixed(I64, I64), to(BOOL));
}
for (const c of ["EQ", "NE", "LT", "LE", "GT", "GE"] as const) {
  def(`CMP_${c}_I64_IMM`, `cmp.${c.toLowerCase()}.i64.imm`, "imm", fixed(I64), to(BOOL));
}
def("LEN_STR", "len.str", "plain", fixed(STR), to(I64));
def("CONCAT_STR", "concat.str", "plain", fixed(STR, STR), to(STR));
def("CMP_EQ_STR", "cmp.eq.str", "plain", fixed(STR, STR), to(BOOL));
def("CMP_NE_STR", "cmp.ne.str", "plain", fixed(STR, STR), to(BOOL));

// Typed lists and maps (Mochi 36–43).
def("NEW_LIST", "newlist", "plain", fixed(), to(LIST_I64));
def("LIST_LEN_I64", "list.len.i64", "plain", fixed(LIST_I64), to(I64));
def("LIST_PUSH_I64", "list.push.i64", "plain", fixed(LIST_I64, I64), to(UNIT));
def("LIST_GET_I64", "list.get.i64", "plain", fixed(LIST_I64, I64), to(I64));
def("LIST_SET_I64", "list.set.i64", "plain", fixed(LIST_I64, I64, I64), to(UNIT));
def("NEW_MAP", "newmap", "plain", fixed(), to(MAP));
def("MAP_SET_I64_I64", "map.set.i64.i64", "plain", fixed(MAP, I64, I64), to(UNIT));
def("MAP_GET_I64_I64", "map.get.i64.i64", "plain", fixed(MAP, I64), to(I64));

// Calls (Mochi 44–45).
def("CALL", "call", "call", { kind: "callee" }, { kind: "callee" }, "callee");
def("TAIL_CALL", "tailcall", "call", { kind: "callee" }, { kind: "callee" }, "callee");

// Appended by this ABI (46–88).
def("NULL", "null", "typed", fixed(), { kind: "written", allowed: "reference" });
def("IS_NULL", "is.null", "plain", { kind: "fixed", list: [{ kind: "refOrAny" }] }, to(BOOL));
def("FREE", "free", "plain", { kind: "fixed", list: [{ kind: "refOrAny" }] }, to(UNIT));
def("STRUCT_NEW", "struct.new", "structNew", { kind: "shapeFields" }, { kind: "shape" });
def("STRUCT_GET", "struct.get", "structField", { kind: "structField", set: false }, { kind: "field" }, "field");
def("STRUCT_SET", "struct.set", "structField", { kind: "structField", set: true }, to(UNIT), "field");
def("NEW_LIST_ANY", "newlistany", "plain", fixed(), to(LIST_ANY));
def("LIST_ANY_LEN", "listany.len", "plain", fixed(LIST_ANY), to(I64));
def("LIST_ANY_PUSH", "listany.push", "plain", fixed(LIST_ANY, ANY), to(UNIT));
def("LIST_ANY_GET", "listany.get", "plain", fixed(LIST_ANY, I64), to(ANY));
def("LIST_ANY_SET", "listany.set", "plain", fixed(LIST_ANY, I64, ANY), to(UNIT));
def("NEW_F64_ARRAY", "newf64array", "plain", fixed(), to(F64_ARR));
def("F64_ARRAY_LEN", "f64arr.len.i64", "plain", fixed(F64_ARR), to(I64));
def("F64_ARRAY_PUSH", "f64arr.push.f64", "plain", fixed(F64_ARR, F64), to(UNIT));
def("F64_ARRAY_GET", "f64arr.get.f64", "plain", fixed(F64_ARR, I64), to(F64));
def("F64_ARRAY_SET", "f64arr.set.f64", "plain", fixed(F64_ARR, I64, F64), to(UNIT));
def("BOX_I64", "box.i64", "plain", fixed(I64), to(ANY));
def("BOX_F64", "box.f64", "plain", fixed(F64), to(ANY));
def("BOX_BOOL", "box.bool", "plain", fixed(BOOL), to(ANY));
def("BOX_REF", "box.ref", "plain", { kind: "fixed", list: [{ kind: "ref" }] }, to(ANY));
// unbox.i64/f64/bool are plain mnemonics; `unbox.T` for any other T is UNBOX_REF (ir-text.md).
def("UNBOX_I64", "unbox.i64", "plain", fixed(ANY), to(I64));
def("UNBOX_F64", "unbox.f64", "plain", fixed(ANY), to(F64));
def("UNBOX_BOOL", "unbox.bool", "plain", fixed(ANY), to(BOOL));
def("UNBOX_REF", "unbox", "typed", fixed(ANY), { kind: "written", allowed: "referenceNotAny" });
for (const c of ["EQ", "NE", "LT", "LE", "GT", "GE"] as const) {
  def(`CMP_${c}_F64`, `cmp.${c.toLowerCase()}.f64`, "plain", fixed(F64, F64), to(BOOL));
}
def("I64_TO_F64", "i64.to.f64", "plain", fixed(I64), to(F64));
def("F64_TO_I64", "f64.to.i64", "plain", fixed(F64), to(I64));
def("SQRT_F64", "sqrt.f64", "plain", fixed(F64), to(F64));
def("FMA_F64", "fma.f64", "plain", fixed(F64, F64, F64), to(F64));
def("NOT_BOOL", "not.bool", "plain", fixed(BOOL), to(BOOL));
def("AND_BOOL", "and.bool", "plain", fixed(BOOL, BOOL), to(BOOL));
def("OR_BOOL", "or.bool", "plain", fixed(BOOL, BOOL), to(BOOL));
def("CMP_EQ_BOOL", "cmp.eq.bool", "plain", fixed(BOOL, BOOL), to(BOOL));
def("CMP_NE_BOOL", "cmp.ne.bool", "plain", fixed(BOOL, BOOL), to(BOOL));
def("MAP_HAS_I64", "map.has.i64", "plain", fixed(MAP, I64), to(BOOL));
def("MAP_LEN", "map.len", "plain", fixed(MAP), to(I64));
def("HOST_NEW", "host.new", "plain", fixed(STR), to(HOST));
def("HOST_STR", "host.str", "plain", fixed(HOST), to(STR));
def("HOST_CALL", "host.call", "hostCall", { kind: "hostImport" }, { kind: "hostImport" }, "hostImport");

const BY_OP: ReadonlyMap<number, OpInfo> = new Map(TABLE.map((i) => [i.op, i]));

/** Ops written as one fixed mnemonic (plain, imm, struct.*), by mnemonic. */
const BY_MNEMONIC: ReadonlyMap<string, OpInfo> = new Map(
  TABLE.filter((i) => ["plain", "imm", "structNew", "structField"].includes(i.syntax)).map((i) => [i.mnemonic, i]),
);

/** Ops whose mnemonic is `PREFIX.TYPE` (const, phi, call, tailcall, host.call, null, unbox), by prefix. */
const BY_PREFIX: ReadonlyMap<string, OpInfo> = new Map(
  TABLE.filter((i) => ["const", "phi", "call", "hostCall", "typed"].includes(i.syntax)).map((i) => [i.mnemonic, i]),
);

/** Every op of ir.md §8.5, in opcode order. */
export const OPS: readonly OpInfo[] = TABLE;

/** The table entry of an opcode, or undefined for INVALID / unknown numbers. */
export function opInfo(op: number): OpInfo | undefined {
  return BY_OP.get(op);
}

/** The op a fixed mnemonic names (`add.i64`, `struct.get`, `unbox.i64`). */
export function opByMnemonic(mnemonic: string): OpInfo | undefined {
  return BY_MNEMONIC.get(mnemonic);
}

/** The op a typed mnemonic prefix names (`phi` of `phi.i64`). */
export function opByPrefix(prefix: string): OpInfo | undefined {
  return BY_PREFIX.get(prefix);
}
