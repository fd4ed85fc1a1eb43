// One test per rule of ir.md §8.11: a program that breaks exactly that rule,
// and the message the validator gives (the first error, by rule order).
import { describe, expect, test } from "vitest";
import type { Program } from "../src/ir/model.ts";
import { OpCode, TermKind, Type } from "../src/ir/model.ts";
import { parseText } from "../src/ir/text-parser.ts";
import { validate } from "../src/ir/validate.ts";

/** A small valid program: a loop with phis, a call, a struct. */
const BASE = `entry @main

struct P { x: i64, y: f64 }

func main(v0: i64) -> i64 {
b0:
  v1 = const.i64 0
  jump b1
b1:
  v2 = phi.i64 [b0: v1], [b2: v4]
  v3 = cmp.lt.i64 v2, v0
  branch v3, b2, b3
b2:
  v4 = call.i64 @inc(v2)
  jump b1
b3:
  return v2
}

func inc(v0: i64) -> i64 {
b0:
  v1 = addk.i64 v0, 1
  v2 = i64.to.f64 v1
  v3 = struct.new P v1, v2
  v4 = struct.get P.x v3
  return v4
}
`;

const base = (): Program => parseText(BASE, "base.ir").program;
const main = (p: Program) => p.functions[0]!;
const inc = (p: Program) => p.functions[1]!;

/** Parses `src` (or mutates BASE) and returns the validator's messages. */
function errorsOf(p: Program | string): string[] {
  const prog = typeof p === "string" ? parseText(p, "t.ir").program : p;
  return validate(prog).map((e) => e.text);
}

function broken(mutate: (p: Program) => void): string[] {
  const p = base();
  mutate(p);
  return errorsOf(p);
}

/** A one-function program around `body` (blocks and values of func main(v0: i64) -> RESULT). */
function fn(body: string, result = "i64", extra = ""): string {
  return `entry @main\n${extra}\nfunc main(v0: i64) -> ${result} {\n${body}\n}\n`;
}

test("the base program is valid", () => {
  expect(errorsOf(BASE)).toEqual([]);
});

describe("rule 1: IDs equal indexes, at least one block", () => {
  test("value id", () => {
    expect(broken((p) => (inc(p).values[2]!.id = 7))[0]).toBe("func inc: v2: value at index 2 has id 7");
  });
  test("block id", () => {
    expect(broken((p) => (main(p).blocks[3]!.id = 9))[0]).toBe("func main: b3: block at index 3 has id 9");
  });
  test("no blocks", () => {
    expect(broken((p) => (inc(p).blocks = []))[0]).toBe("func inc: function has no blocks");
  });
});

describe("rule 2: every value in exactly one block", () => {
  test("listed twice", () => {
    expect(broken((p) => main(p).blocks[3]!.values.push(3))[0]).toBe("func main: b3: v3: listed in b1 and in b3");
  });
  test("in no block", () => {
    expect(broken((p) => main(p).blocks[2]!.values.pop())[0]).toBe("func main: v4: is listed in no block");
  });
  test("listed ID names no value", () => {
    expect(broken((p) => main(p).blocks[2]!.values.push(40))[0]).toBe("func main: b2: lists v40, which is not a value (5 values)");
  });
});

test("rule 3: phis first", () => {
  const errs = errorsOf(fn("b0:\n  jump b1\nb1:\n  v1 = const.i64 1\n  v2 = phi.i64 [b0: v0]\n  return v2"));
  expect(errs[0]).toBe("func main: b1: v2: phi after non-phi v1");
});

describe("rule 4: phi pairs", () => {
  test("a predecessor without a pair", () => {
    const errs = broken((p) => (main(p).values[2]!.args = [0, 1]));
    expect(errs[0]).toBe("func main: b1: v2: phi has 1 incoming pairs, want 2 (one per predecessor)");
    expect(errs[1]).toBe("func main: b1: v2: phi has no incoming value for predecessor b2");
  });
  test("odd args", () => {
    expect(broken((p) => main(p).values[2]!.args.push(1))[0]).toBe("func main: b1: v2: phi has 5 args, want (pred, src) pairs");
  });
  test("not a predecessor", () => {
    expect(broken((p) => (main(p).values[2]!.args[2] = 3))[0]).toBe("func main: b1: v2: phi names b3, which is not a predecessor of b1");
  });
});

describe("rule 5: params", () => {
  test("a non-parameter with op PARAM", () => {
    expect(broken((p) => (main(p).values[1]!.op = OpCode.PARAM))[0]).toBe("func main: b0: v1: op PARAM but not a parameter (1 params)");
  });
  test("params not 0..k-1", () => {
    expect(broken((p) => (inc(p).params = [1]))[0]).toBe("func inc: params[0] is v1, want v0 (params are 0..k-1)");
  });
});

describe("rule 6: terminators", () => {
  test("branch condition is bool", () => {
    expect(errorsOf(fn("b0:\n  branch v0, b1, b2\nb1:\n  return v0\nb2:\n  return v0"))[0]).toBe(
      "func main: b0: branch condition v0 has type i64, want bool",
    );
  });
  test("if_true ≠ if_false", () => {
    const errs = broken((p) => (main(p).blocks[1]!.term.ifFalse = 2));
    expect(errs[0]).toBe("func main: b1: branch has the same target b2 twice");
  });
  test("return type", () => {
    expect(errorsOf(fn("b0:\n  v1 = i64.to.f64 v0\n  return v1"))[0]).toBe("func main: b0: return v1 has type f64, want i64");
  });
  test("kind INVALID", () => {
    expect(broken((p) => (main(p).blocks[3]!.term.kind = TermKind.INVALID))[0]).toBe("func main: b3: terminator kind is INVALID");
  });
  test("jump target", () => {
    // Also takes b2 out of b1's preds, so b1's phi breaks rule 4 too.
    expect(broken((p) => (main(p).blocks[2]!.term.target = 8))).toContain("func main: b2: jump target b8 is not a block");
  });
});

describe("rule 7: operands and results per op", () => {
  test("operand type (the spec's example message)", () => {
    expect(errorsOf(fn("b0:\n  v1 = i64.to.f64 v0\n  v2 = add.i64 v0, v1\n  return v2"))[0]).toBe(
      "func main: b0: v2: arg 1 v1 has type f64, want i64",
    );
  });
  test("operand count", () => {
    expect(errorsOf(fn("b0:\n  v1 = add.i64 v0\n  return v1"))[0]).toBe("func main: b0: v1: has 1 args, want 2");
  });
  test("result type", () => {
    expect(broken((p) => (inc(p).values[1]!.type = Type.F64))[0]).toBe("func inc: b0: v1: has type f64, want i64");
  });
  test("operand is not a value", () => {
    expect(broken((p) => (inc(p).values[1]!.args = [9]))[0]).toBe("func inc: b0: v1: arg 0 v9 is not a value");
  });
  test("box.ref of a scalar", () => {
    expect(errorsOf(fn("b0:\n  v1 = box.ref v0\n  return v0"))[0]).toBe(
      "func main: b0: v1: arg 0 v0 has type i64, want a reference type other than any",
    );
  });
  test("INVALID op", () => {
    expect(broken((p) => (inc(p).values[1]!.op = OpCode.INVALID))[0]).toBe("func inc: b0: v1: op is INVALID");
  });
});

describe("rule 8: returns match the result", () => {
  test("a returned value of the wrong type", () => {
    expect(errorsOf(fn("b0:\n  return v0", "f64"))[0]).toBe("func main: b0: return v0 has type i64, want f64");
  });
  // In the model a return's value 0 is also the unit return, so JSON or
  // binary input with no value reaches the validator as `return v0`; the text
  // parser refuses a bare `return` in a non-unit function first (ir-text.md).
  test("the text parser names the bare return", () => {
    expect(() => parseText(fn("b0:\n  return", "f64"), "t.ir")).toThrow(
      "t.ir:5:3: func main: b0: return without a value in a function whose result is not unit (write return vN)",
    );
  });
});

describe("rule 9: types", () => {
  test("reserved type", () => {
    expect(broken((p) => (main(p).values[1]!.type = Type.SET))[0]).toBe("func main: b0: v1: type SET is reserved");
  });
  test("elem_type on a non-list", () => {
    expect(broken((p) => (main(p).values[1]!.elemType = Type.I64))[0]).toBe("func main: b0: v1: elem_type I64 on a non-list type");
  });
  test("struct_id naming no shape", () => {
    // v4 = struct.get reads v3, so rule 7 fails there too (and sorts first).
    expect(broken((p) => (inc(p).values[3]!.structId = 4))).toContain("func inc: b0: v3: struct_id 4 names no struct shape (1 shapes)");
  });
  test("a unit field", () => {
    expect(broken((p) => (p.structs[0]!.fields[1]!.type = Type.UNIT))[0]).toBe("struct P: field y: unit is not a field type");
  });
  test("a unit parameter", () => {
    expect(broken((p) => (inc(p).values[0]!.type = Type.UNIT))).toContain("func inc: b0: v0: a parameter cannot have type unit");
  });
});

describe("rule 10: names and entry", () => {
  test("duplicate function name", () => {
    expect(broken((p) => (inc(p).name = "main"))[0]).toBe("func main: duplicate function name main");
  });
  test("keyword name", () => {
    expect(broken((p) => (p.structs[0]!.name = "func"))[0]).toBe('struct 0: name "func" is a keyword');
  });
  test("entry names no function", () => {
    expect(broken((p) => (p.entry = "nope"))[0]).toBe('entry "nope" names no function');
  });
  test("entry parameters are i64", () => {
    expect(broken((p) => (main(p).values[0]!.type = Type.BOOL))).toContain("func main: v0: entry parameter v0 has type bool, want i64");
  });
  test("entry result", () => {
    const src = "entry @main\n\nfunc main() -> any {\nb0:\n  v0 = null.any\n  return v0\n}\n";
    expect(errorsOf(src)[0]).toBe("func main: entry result type any is not i64, f64, bool, str or unit");
  });
  test("duplicate field", () => {
    expect(broken((p) => (p.structs[0]!.fields[1]!.name = "x"))[0]).toBe("struct P: duplicate field x");
  });
});

describe("rule 11: const and written types", () => {
  test("const.bool is 0 or 1", () => {
    expect(broken((p) => {
      const v = main(p).values[1]!;
      v.type = Type.BOOL;
      v.const = 2n;
    }).find((e) => e.includes("v1:"))).toBe("func main: b0: v1: const.bool is 2, want 0 or 1");
  });
  test("an op with no use for const", () => {
    expect(broken((p) => (inc(p).values[2]!.const = 3n))[0]).toBe("func inc: b0: v2: I64_TO_F64 has const 3, want 0");
  });
  test("null of a scalar type", () => {
    expect(errorsOf(fn("b0:\n  v1 = null.i64\n  return v0"))[0]).toBe("func main: b0: v1: null has type i64, want a reference type");
  });
  test("unbox.any", () => {
    expect(errorsOf(fn("b0:\n  v1 = box.i64 v0\n  v2 = unbox.any v1\n  return v0"))[0]).toBe(
      "func main: b0: v2: unbox.T has type any, want a reference type other than any",
    );
  });
  test("struct.get field index in range", () => {
    expect(broken((p) => (inc(p).values[4]!.const = 5n))[0]).toBe(
      "func inc: b0: v4: field index 5 is out of range for struct P (2 fields)",
    );
  });
  test("struct.new args match the shape's fields", () => {
    expect(broken((p) => (inc(p).values[3]!.args = [2, 1]))[0]).toBe("func inc: b0: v3: arg 0 v2 has type f64, want i64");
  });
  test("call names a function", () => {
    expect(broken((p) => (main(p).values[4]!.const = 7n))[0]).toBe(
      "func main: b2: v4: calls function index 7, which does not exist (2 functions)",
    );
  });
  test("const.str index", () => {
    expect(broken((p) => {
      const v = main(p).values[1]!;
      v.type = Type.STR;
      v.const = 0n;
    })[0]).toBe("func main: b0: v1: const.str index 0 is out of range (0 strings)");
  });
});

describe("rule 12: calls", () => {
  test("argument type", () => {
    const extra = "\nfunc g(v0: f64) -> i64 {\nb0:\n  v1 = f64.to.i64 v0\n  return v1\n}\n";
    const src = `entry @main\n\nfunc main(v0: i64) -> i64 {\nb0:\n  v1 = call.i64 @g(v0)\n  return v1\n}\n${extra}`;
    expect(errorsOf(src)[0]).toBe("func main: b0: v1: arg 0 v0 has type i64, want f64");
  });
  test("result type", () => {
    expect(broken((p) => (main(p).values[4]!.type = Type.F64))[0]).toBe("func main: b2: v4: has type f64, but @inc returns i64");
  });
  test("argument count", () => {
    expect(broken((p) => main(p).values[4]!.args.push(2))[0]).toBe("func main: b2: v4: has 2 args, want 1");
  });
});

describe("rule 13: tail calls", () => {
  test("not the last value of its block", () => {
    const src = fn("b0:\n  v1 = tailcall.i64 @main(v0)\n  v2 = addk.i64 v0, 1\n  return v1");
    expect(errorsOf(src)[0]).toBe("func main: b0: v1: tailcall is not the last value of its block");
  });
  test("the terminator returns it", () => {
    const src = fn("b0:\n  v1 = tailcall.i64 @main(v0)\n  return v0");
    expect(errorsOf(src)[0]).toBe("func main: b0: v1: the block's terminator must be return v1");
  });
  test("same result as the caller", () => {
    const src = `entry @main\n\nfunc main(v0: i64) -> unit {\nb0:\n  v1 = tailcall.i64 @g(v0)\n  return\n}\n\nfunc g(v0: i64) -> i64 {\nb0:\n  return v0\n}\n`;
    expect(errorsOf(src)[0]).toBe("func main: b0: v1: tailcall of @g returning i64 from a function returning unit");
  });
});

describe("rule 14: preds and succs agree with the terminators", () => {
  test("succs", () => {
    expect(broken((p) => (main(p).blocks[1]!.succs = [3, 2]))[0]).toBe("func main: b1: succs [b3, b2], want [b2, b3] (the terminator's targets)");
  });
  test("preds", () => {
    expect(broken((p) => (main(p).blocks[1]!.preds = [2, 0]))[0]).toBe("func main: b1: preds [b2, b0], want [b0, b2]");
  });
  test("block 0 has no predecessors", () => {
    const src = fn("b0:\n  v1 = const.bool true\n  branch v1, b0, b1\nb1:\n  return v0");
    expect(errorsOf(src)).toContain("func main: b0: entry block b0 has predecessors [b0]");
  });
});

test("rule 15: phi src types", () => {
  const src = fn("b0:\n  v1 = i64.to.f64 v0\n  jump b1\nb1:\n  v2 = phi.i64 [b0: v1]\n  return v2");
  expect(errorsOf(src)[0]).toBe("func main: b1: v2: phi src v1 for b0 has type f64, want i64");
});

describe("rule 16: dominance", () => {
  test("a use in a block its definition does not dominate", () => {
    const src = fn("b0:\n  v1 = const.bool true\n  branch v1, b1, b2\nb1:\n  v2 = addk.i64 v0, 1\n  jump b3\nb2:\n  jump b3\nb3:\n  v3 = addk.i64 v2, 1\n  return v3");
    expect(errorsOf(src)).toEqual(["func main: b3: v3: arg 0 v2 (defined in b1) is not defined before this use"]);
  });
  test("a use before its definition in the same block", () => {
    const src = fn("b0:\n  v2 = addk.i64 v1, 1\n  v1 = addk.i64 v0, 1\n  return v2");
    expect(errorsOf(src)).toEqual(["func main: b0: v2: arg 0 v1 (defined in b0) is not defined before this use"]);
  });
  test("a phi src that does not dominate its predecessor", () => {
    const src = fn("b0:\n  v1 = const.bool true\n  branch v1, b1, b2\nb1:\n  v2 = addk.i64 v0, 1\n  jump b3\nb2:\n  jump b3\nb3:\n  v3 = phi.i64 [b1: v2], [b2: v2]\n  return v3");
    expect(errorsOf(src)).toEqual(["func main: b3: v3: phi src v2 (defined in b1) does not dominate predecessor b2"]);
  });
  test("a terminator operand", () => {
    const src = fn("b0:\n  v1 = const.bool true\n  branch v1, b1, b2\nb1:\n  v2 = addk.i64 v0, 1\n  jump b2\nb2:\n  return v2");
    expect(errorsOf(src)).toEqual(["func main: b2: terminator operand v2 (defined in b1) is not defined before the end of b2"]);
  });
  test("unreachable blocks are not checked for dominance", () => {
    const src = fn("b0:\n  return v0\nb1:\n  v1 = addk.i64 v2, 1\n  v2 = addk.i64 v0, 1\n  return v1");
    expect(errorsOf(src)).toEqual([]);
  });
});

describe("messages and limits", () => {
  test("text input adds FILE:LINE", () => {
    const { program, sourceMap } = parseText(fn("b0:\n  v1 = i64.to.f64 v0\n  v2 = add.i64 v0, v1\n  return v2"), "t.ir");
    expect(validate(program, { sourceMap }).map((e) => e.text)).toEqual(["t.ir:6: func main: b0: v2: arg 1 v1 has type f64, want i64"]);
  });
  test("all errors are returned, sorted by rule; limit cuts them", () => {
    const p = base();
    inc(p).values[1]!.type = Type.F64; // rule 7
    main(p).blocks[1]!.succs = []; // rule 14
    p.entry = ""; // rule 10
    const errs = validate(p);
    // v2 = i64.to.f64 v1 (rule 7), v1's own result (7), entry (10), struct.new P v1 (11), succs (14).
    expect(errs.map((e) => e.rule)).toEqual([7, 7, 10, 11, 14]);
    expect(validate(p, { limit: 1 })).toHaveLength(1);
  });
});
