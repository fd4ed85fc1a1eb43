// model.ts's Type / OpCode / TermKind must be ir.proto's enums exactly, and
// the op table must cover every opcode with a distinct mnemonic.
import { describe, expect, test } from "vitest";
import { OpCode, TermKind, Type } from "../src/ir/model.ts";
import { OPS, opByMnemonic, opByPrefix, opInfo } from "../src/ir/ops.ts";
import { irEnumType } from "../src/ir/schema.ts";

function withPrefix(e: Record<string, number>, prefix: string): Record<string, number> {
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [prefix + k, v]));
}

describe("enums match ir.proto", () => {
  test.each([
    ["Type", Type, "TYPE_"],
    ["OpCode", OpCode, "OP_"],
    ["TermKind", TermKind, "TERM_"],
  ] as const)("%s", (name, e, prefix) => {
    expect(withPrefix(e, prefix)).toEqual(irEnumType(name).values);
  });
});

describe("op table", () => {
  test("one entry per opcode except INVALID, in opcode order", () => {
    const ops = Object.values(OpCode).filter((n) => n !== OpCode.INVALID);
    expect(OPS.map((i) => i.op)).toEqual(ops);
    for (const i of OPS) expect(OpCode[i.name as keyof typeof OpCode]).toBe(i.op);
    expect(opInfo(OpCode.INVALID)).toBeUndefined();
  });
  test("mnemonics are distinct and resolve back", () => {
    for (const i of OPS) {
      if (i.syntax === "param") continue;
      const back = ["const", "phi", "call", "hostCall", "typed"].includes(i.syntax) ? opByPrefix(i.mnemonic) : opByMnemonic(i.mnemonic);
      expect(back?.op).toBe(i.op);
    }
    const names = OPS.filter((i) => i.syntax !== "param").map((i) => i.mnemonic);
    expect(new Set(names).size).toBe(names.length);
  });
  test("const use follows ir.md §8.4", () => {
    const uses = Object.fromEntries(OPS.filter((i) => i.constUse !== "none").map((i) => [i.name, i.constUse]));
    expect(uses).toEqual({
      CONST: "literal",
      ADD_I64_IMM: "imm", SUB_I64_IMM: "imm", MUL_I64_IMM: "imm", DIV_I64_IMM: "imm", MOD_I64_IMM: "imm",
      CMP_EQ_I64_IMM: "imm", CMP_NE_I64_IMM: "imm", CMP_LT_I64_IMM: "imm", CMP_LE_I64_IMM: "imm",
      CMP_GT_I64_IMM: "imm", CMP_GE_I64_IMM: "imm",
      CALL: "callee", TAIL_CALL: "callee", HOST_CALL: "hostImport", STRUCT_GET: "field", STRUCT_SET: "field",
    });
  });
});
