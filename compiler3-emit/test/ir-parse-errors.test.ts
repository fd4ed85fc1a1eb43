// Parse errors name file, line, column and, where known, the function, block
// and value (ir-text.md "A name or ID that does not resolve …").
import { describe, expect, test } from "vitest";
import { parseText } from "../src/ir/text-parser.ts";
import { programFromJsonText } from "../src/ir/json.ts";

function parseError(src: string, file = "fib.ir"): string {
  try {
    parseText(src, file);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("parsed without error");
}

const FIB = (line7: string): string => `entry @fib

func fib(v0: i64) -> i64 {
b0:
  v1 = cmp.lt.i64.imm v0, 2
  branch v1, b1, b2
b1:${line7}
`;

describe("parse errors", () => {
  test.each([
    ["unknown op", `entry @fib\n\nfunc fib(v0: i64) -> i64 {\nb0:\n  v1 = const.i64 1\n  v5 = ad.i64 v0, v1\n  return v5\n}\n`,
      'fib.ir:6:8: func fib: b0: v5: unknown op "ad.i64"'],
    ["undefined value", `entry @f\nfunc f() -> i64 {\nb0:\n  v0 = addk.i64 v9, 1\n  return v0\n}`,
      "fib.ir:4:17: func f: b0: v0: undefined value v9"],
    ["undefined block", `entry @f\nfunc f() -> unit {\nb0:\n  jump b4\n}`, "fib.ir:4:8: func f: b0: undefined block b4"],
    ["block out of order", `entry @f\nfunc f() -> unit {\nb1:\n  return\n}`, "fib.ir:3:1: func f: block b1 out of order (want b0)"],
    ["duplicate value", `entry @f\nfunc f() -> i64 {\nb0:\n  v0 = const.i64 1\n  v0 = const.i64 2\n  return v0\n}`,
      "fib.ir:5:3: func f: b0: v0: duplicate definition of v0"],
    ["missing ID", `entry @f\nfunc f() -> i64 {\nb0:\n  v1 = const.i64 1\n  return v1\n}`,
      "fib.ir:6:1: func f: missing value v0 (IDs 0..1 must all be defined)"],
    ["leading zero", `entry @f\nfunc f() -> i64 {\nb0:\n  v01 = const.i64 1\n}`, 'fib.ir:4:3: func f: b0: expected a value ID (vN), got "v01"'],
    ["bad character after a call to a later function: the character, not @g", `entry @f\nfunc f() -> i64 {\nb0:\n  v0 = call.i64 @g() %% x\n  return v0\n}\nfunc g() -> i64 {\nb0:\n  v0 = const.i64 1\n  return v0\n}`,
      'fib.ir:4:22: func f: b0: v0: unexpected character "%"'],
    ["bare return in an i64 function (it would return v0)", `entry @f\nfunc f(v0: i64) -> i64 {\nb0:\n  return\n}`,
      "fib.ir:4:3: func f: b0: return without a value in a function whose result is not unit (write return vN)"],
    ["bare return with no parameters", `entry @f\nfunc f() -> struct<S> {\nb0:\n  return\n}\nstruct S { x: i64 }`,
      "fib.ir:4:3: func f: b0: return without a value in a function whose result is not unit (write return vN)"],
    ["undefined function", `entry @f\nfunc f() -> i64 {\nb0:\n  v0 = call.i64 @g()\n  return v0\n}`,
      "fib.ir:4:18: func f: b0: v0: undefined function @g"],
    ["undefined struct", `entry @f\nfunc f() -> i64 {\nb0:\n  v0 = null.struct<S>\n  return v0\n}`,
      "fib.ir:4:8: func f: b0: v0: undefined struct S"],
    ["unknown field (struct declared later)", `entry @f\nfunc f() -> i64 {\nb0:\n  v0 = null.struct<S>\n  v1 = struct.get S.y v0\n  return v1\n}\nstruct S { x: i64 }`,
      "fib.ir:5:19: func f: b0: v1: struct S has no field y"],
    ["no terminator", `entry @f\nfunc f() -> i64 {\nb0:\n  v0 = const.i64 1\nb1:\n  return v0\n}`,
      'fib.ir:5:1: func f: b0: block b0 has no terminator before b1'],
    ["bad f64", `entry @f\nfunc f() -> f64 {\nb0:\n  v0 = const.f64 1.\n  return v0\n}`, 'fib.ir:4:18: func f: b0: v0: bad f64 literal "1."'],
    ["NaN pattern that is not a NaN", `entry @f\nfunc f() -> f64 {\nb0:\n  v0 = const.f64 nan:0x7ff0000000000000\n  return v0\n}`,
      "fib.ir:4:18: func f: b0: v0: nan:0x7ff0000000000000 is not a NaN bit pattern"],
    ["int64 range", `entry @f\nfunc f() -> i64 {\nb0:\n  v0 = const.i64 9223372036854775808\n  return v0\n}`,
      "fib.ir:4:18: func f: b0: v0: integer 9223372036854775808 is outside int64"],
    ["bad escape", `entry @f\nfunc f() -> str {\n  str $0 = "a\\qb"\nb0:\n  v0 = const.str $0\n  return v0\n}`,
      "fib.ir:3:12: func f: unknown escape \\q in a string literal"],
    ["surrogate escape", `entry @f\nfunc f() -> str {\n  str $0 = "\\u{d800}"\nb0:\n  v0 = const.str $0\n  return v0\n}`,
      "fib.ir:3:12: func f: \\u{d800} is not a Unicode scalar value"],
    ["keyword name", `entry @f\nfunc return() -> unit {\nb0:\n  return\n}`, 'fib.ir:2:6: function name "return" is a keyword'],
    ["no entry", `func f() -> unit {\nb0:\n  return\n}\n`, "fib.ir:5:1: no entry declaration (entry @NAME)"],
    ["params out of order", `entry @f\nfunc f(v1: i64) -> unit {\nb0:\n  return\n}`,
      "fib.ir:2:8: func f: v1: parameter v1 out of order: parameters are v0, v1, … in order (want v0)"],
    ["duplicate func", `entry @f\nfunc f() -> unit {\nb0:\n  return\n}\nfunc f() -> unit {\nb0:\n  return\n}`, "fib.ir:6:6: duplicate func f"],
  ])("%s", (_name, src, message) => {
    expect(parseError(src)).toBe(message);
  });

  test("the brief's example position: line 7, column of the op", () => {
    expect(parseError(FIB("\n  v5 = ad.i64 v0, v1\n  return v5\n}"))).toBe('fib.ir:8:8: func fib: b1: v5: unknown op "ad.i64"');
  });
});

describe("JSON input errors name the file and JSON path", () => {
  test.each([
    ['{"functions": [{"name": "f", "values": [{"op": "OP_NOPE"}]}]}', "p.json: $.functions[0].values[0].op: unknown OpCode value \"OP_NOPE\""],
    ['{"entry": "f", "bogus": 1}', 'p.json: $.bogus: unknown field "bogus" in Program'],
    ['{"functions": [{"values": [{"const": 1.5}]}]}', "p.json: $.functions[0].values[0].const: expected an integer (int64), got 1.5"],
    ["{", "p.json: not JSON"],
  ])("%s", (json, prefix) => {
    expect(() => programFromJsonText(json, "p.json")).toThrow(prefix);
  });
  test("const as a decimal string and enum numbers are accepted", () => {
    const p = programFromJsonText('{"functions": [{"values": [{"op": 2, "type": "TYPE_I64", "const": "-9223372036854775808"}]}]}');
    expect(p.functions[0]!.values[0]).toEqual({ id: 0, type: 1, elemType: 0, structId: 0, op: 2, args: [], const: -(1n << 63n) });
  });
});
