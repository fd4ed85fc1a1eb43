// Round trips of the three program forms (ir-text.md §Printing "Round trip"):
// text → Program → text is the identity on canonical text, and Program →
// text/JSON/binary → Program is the identity on the Program.
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parseText } from "../src/ir/text-parser.ts";
import { printText } from "../src/ir/text-printer.ts";
import { programFromJsonText, programToJsonText } from "../src/ir/json.ts";
import { programFromBinary, programToBinary } from "../src/ir/binary.ts";
import { validate } from "../src/ir/validate.ts";
import { OpCode, Type } from "../src/ir/model.ts";
import { f64ToBits } from "../src/ir/literals.ts";

const dir = new URL("./fixtures/", import.meta.url);
const fixtures = readdirSync(dir).filter((f) => f.endsWith(".ir")).sort();

describe.each(fixtures)("%s", (name) => {
  const src = readFileSync(new URL(name, dir), "utf8");
  const { program } = parseText(src, name);

  test("is valid", () => {
    expect(validate(program).map((e) => e.text)).toEqual([]);
  });
  test("text → proto → text is the identity", () => {
    expect(printText(program)).toBe(src);
    expect(parseText(printText(program), name).program).toEqual(program);
  });
  test("text → json → text", () => {
    const json = programToJsonText(program);
    const back = programFromJsonText(json, `${name}.json`);
    expect(back).toEqual(program);
    expect(printText(back)).toBe(src);
    expect(programToJsonText(back)).toBe(json);
  });
  test("text → binary → text", () => {
    const back = programFromBinary(programToBinary(program));
    expect(back).toEqual(program);
    expect(printText(back)).toBe(src);
  });
});

describe("what the parser builds", () => {
  test("f64 edge constants keep their bits", () => {
    const { program } = parseText(readFileSync(new URL("f64_edge.ir", dir), "utf8"));
    const c = (id: number): bigint => program.functions[0]!.values[id]!.const;
    expect(c(0)).toBe(0n);
    expect(c(1)).toBe(f64ToBits(-0));
    expect(c(2)).toBe(0x7ff8000000000000n);
    expect(BigInt.asUintN(64, c(3))).toBe(0xfff8000000000001n);
    expect(c(4)).toBe(0x7ff0000000000000n);
    expect(BigInt.asUintN(64, c(5))).toBe(0xfff0000000000000n);
    expect(c(6)).toBe(f64ToBits(0.1));
    expect(c(9)).toBe(1n);
  });
  test("the spec's example maps to the proto as ir-text.md says", () => {
    const { program } = parseText(readFileSync(new URL("list_sum.ir", dir), "utf8"));
    expect(program.entry).toBe("main");
    expect(program.structs[0]!.fields[0]).toEqual({ name: "next", type: Type.STRUCT, elemType: 0, structId: 0 });
    const main = program.functions[0]!;
    expect(main.params).toEqual([0]);
    expect(main.blocks[0]!.values).toEqual([0, 1, 2]);
    expect(main.blocks[1]!.preds).toEqual([0, 2]);
    expect(main.blocks[1]!.succs).toEqual([2, 3]);
    expect(main.values[3]).toEqual({ id: 3, type: Type.I64, elemType: 0, structId: 0, op: OpCode.PHI, args: [0, 2, 2, 7], const: 0n });
    expect(main.values[8]!.const).toBe(1n); // @sum is function 1
    const sum = program.functions[1]!;
    expect(sum.values[5]).toMatchObject({ op: OpCode.STRUCT_GET, type: Type.I64, const: 1n });
    expect(sum.values[7]).toMatchObject({ op: OpCode.STRUCT_GET, type: Type.STRUCT, structId: 0, const: 0n });
  });
  test("escapes, comments and free layout", () => {
    const src = `; a comment
entry @m # another
func m() -> str { str $0 = "a\\u{f6}\\u{1F600}b" b0: v0 = const.str $0 return v0 }`;
    const { program } = parseText(src);
    expect(program.functions[0]!.strings[0]).toBe("aö😀b");
    expect(printText(program)).toBe(`entry @m\n\nfunc m() -> str {\n  str $0 = "aö😀b"\nb0:\n  v0 = const.str $0\n  return v0\n}\n`);
  });
  test("values may be defined in any ID order and used before definition", () => {
    const src = `entry @m

func m(v0: i64) -> i64 {
b0:
  jump b1
b1:
  v2 = phi.i64 [b0: v0], [b1: v1]
  v1 = addk.i64 v2, 1
  v3 = cmp.lt.i64.imm v1, 10
  branch v3, b1, b2
b2:
  return v1
}
`;
    const { program } = parseText(src);
    expect(program.functions[0]!.blocks[1]!.values).toEqual([2, 1, 3]);
    expect(validate(program)).toEqual([]);
    expect(printText(program)).toBe(src);
  });
  test("decimal f64 literals are read to the nearest double and printed shortest", () => {
    const src = "entry @m\n\nfunc m() -> f64 {\nb0:\n  v0 = const.f64 0.30000000000000004441\n  v1 = const.f64 1E3\n  return v0\n}\n";
    const { program } = parseText(src);
    expect(printText(program)).toContain("v0 = const.f64 0.30000000000000004\n  v1 = const.f64 1000\n");
  });
});
