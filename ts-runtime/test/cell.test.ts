// The Cell encoding and validation (cell.md §1.2, §1.3).
import { describe, expect, it } from "vitest";
import {
  Arena,
  type Cell,
  CELL_FALSE,
  CELL_NULL,
  CELL_TRUE,
  cellFromBool,
  cellFromF64,
  cellFromInt,
  decodeCell,
  formatCell,
  makeHandle,
  TrapCode,
  validateCell,
} from "../src/index.ts";
import { expectTrap } from "./expect-trap.ts";

function bitsOfF64(x: number): Cell {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0);
}

describe("encoding floats", () => {
  it.each([0, 1.5, -2.25, Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, Infinity])("%d is its own bits", (x) => {
    expect(cellFromF64(x)).toBe(bitsOfF64(x));
    expect(decodeCell(cellFromF64(x))).toEqual({ kind: "f64", value: x });
  });

  it("-0 keeps its sign bit, -Infinity is 0xFFF0…", () => {
    expect(cellFromF64(-0)).toBe(0x8000_0000_0000_0000n);
    const back = decodeCell(0x8000_0000_0000_0000n);
    expect(back.kind === "f64" && Object.is(back.value, -0)).toBe(true);
    expect(cellFromF64(-Infinity)).toBe(0xfff0_0000_0000_0000n);
    expect(cellFromF64(Infinity)).toBe(0x7ff0_0000_0000_0000n);
  });

  it("every NaN becomes the canonical NaN", () => {
    const other = new Float64Array(new BigUint64Array([0x7ff0_0000_0000_0001n]).buffer)[0]!;
    expect(Number.isNaN(other)).toBe(true);
    expect(cellFromF64(NaN)).toBe(0x7ff8_0000_0000_0000n);
    expect(cellFromF64(other)).toBe(0x7ff8_0000_0000_0000n);
    expect(cellFromF64(-NaN)).toBe(0x7ff8_0000_0000_0000n);
    const back = decodeCell(0x7ff8_0000_0000_0000n);
    expect(back.kind === "f64" && Number.isNaN(back.value)).toBe(true);
  });
});

describe("encoding integers (the canonical integer rule)", () => {
  const cases: [bigint, Cell][] = [
    [0n, 0xffff_c000_0000_0000n],
    [-1n, 0xffff_c000_7fff_ffffn],
    [1n, 0xffff_c000_0000_0001n],
    [(1n << 30n) - 1n, 0xffff_c000_3fff_ffffn],
    [-(1n << 30n), 0xffff_c000_4000_0000n],
    [1n << 30n, 0xfffa_0000_4000_0000n],
    [-(1n << 30n) - 1n, 0xfffa_ffff_bfff_ffffn],
    [(1n << 47n) - 1n, 0xfffa_7fff_ffff_ffffn],
    [-(1n << 47n), 0xfffa_8000_0000_0000n],
    [-(1n << 32n), 0xfffa_ffff_0000_0000n],
  ];
  it.each(cases)("%s ↔ %s (bigint and number)", (i, bits) => {
    expect(cellFromInt(i)).toBe(bits);
    expect(cellFromInt(Number(i))).toBe(bits);
    expect(decodeCell(bits)).toEqual({ kind: "int", value: i });
  });

  it("traps INT_OVERFLOW just outside 48 bits", () => {
    expectTrap(() => cellFromInt(1n << 47n), TrapCode.INT_OVERFLOW);
    expectTrap(() => cellFromInt(-(1n << 47n) - 1n), TrapCode.INT_OVERFLOW);
    expectTrap(() => cellFromInt(2 ** 47), TrapCode.INT_OVERFLOW);
    expectTrap(() => cellFromInt(-(2 ** 47) - 1), TrapCode.INT_OVERFLOW);
    expectTrap(() => cellFromInt(2 ** 60), TrapCode.INT_OVERFLOW);
  });

  it("a number that is not an integer is a TypeError", () => {
    expect(() => cellFromInt(1.5)).toThrow(TypeError);
    expect(() => cellFromInt(NaN)).toThrow(TypeError);
    expect(() => cellFromInt(Infinity)).toThrow(TypeError);
  });
});

describe("bools, null and handles", () => {
  it("bools and null", () => {
    expect(cellFromBool(false)).toBe(0xfffb_0000_0000_0000n);
    expect(cellFromBool(true)).toBe(0xfffb_0000_0000_0001n);
    expect([CELL_FALSE, CELL_TRUE, CELL_NULL]).toEqual([0xfffb_0000_0000_0000n, 0xfffb_0000_0000_0001n, 0xfffc_0000_0000_0000n]);
    expect(decodeCell(CELL_TRUE)).toEqual({ kind: "bool", value: true });
    expect(decodeCell(CELL_FALSE)).toEqual({ kind: "bool", value: false });
    expect(decodeCell(CELL_NULL)).toEqual({ kind: "null" });
  });

  it("handles at the field extremes", () => {
    expect(makeHandle(Arena.LIST, 0, 0)).toBe(0xffff_1000_0000_0000n);
    expect(makeHandle(Arena.HOST, 4095, 2 ** 32 - 1)).toBe(0xffff_dfff_ffff_ffffn);
    expect(makeHandle(Arena.STRING, 7, 3)).toBe(0xffff_0007_0000_0003n);
    expect(decodeCell(0xffff_dfff_ffff_ffffn)).toEqual({ kind: "handle", arena: 13, generation: 4095, slot: 2 ** 32 - 1 });
    expect(decodeCell(0xffff_b000_0000_0000n)).toEqual({ kind: "handle", arena: 11, generation: 0, slot: 0 });
  });

  it("makeHandle refuses fields outside their widths", () => {
    expect(() => makeHandle(16, 0, 0)).toThrow(RangeError);
    expect(() => makeHandle(1, 4096, 0)).toThrow(RangeError);
    expect(() => makeHandle(1, 0, 2 ** 32)).toThrow(RangeError);
    expect(() => makeHandle(1, 0, -1)).toThrow(RangeError);
  });

  it("encoding a SmallInt-arena handle by makeHandle is the SmallInt", () => {
    expect(makeHandle(Arena.SMALL_INT, 0, 5)).toBe(cellFromInt(5));
  });
});

describe("validation (cell.md §1.3, rules in order)", () => {
  const bad: [string, Cell][] = [
    ["rule 1: tag 0xFFF8", 0xfff8_0000_0000_0000n],
    ["rule 1: tag 0xFFF9", 0xfff9_0000_0000_0001n],
    ["rule 1: tag 0xFFFD", 0xfffd_0000_0000_0000n],
    ["rule 1: tag 0xFFFE", 0xfffe_ffff_ffff_ffffn],
    ["rule 2: signalling NaN", 0x7ff0_0000_0000_0001n],
    ["rule 2: quiet NaN with payload", 0x7ff8_0000_0000_0001n],
    ["rule 2: negative signalling NaN", 0xfff0_0000_0000_0001n],
    ["rule 2: negative quiet NaN 0xFFF7…", 0xfff7_ffff_ffff_ffffn],
    ["rule 3: Int48 0", 0xfffa_0000_0000_0000n],
    ["rule 3: Int48 2^30-1", 0xfffa_0000_3fff_ffffn],
    ["rule 3: Int48 -1", 0xfffa_ffff_ffff_ffffn],
    ["rule 3: Int48 -2^30", 0xfffa_ffff_c000_0000n],
    ["rule 4: bool 2", 0xfffb_0000_0000_0002n],
    ["rule 4: bool high payload", 0xfffb_0001_0000_0000n],
    ["rule 5: null payload", 0xfffc_0000_0000_0001n],
    ["rule 5: null high payload", 0xfffc_8000_0000_0000n],
    ["rule 6: arena 14", 0xffff_e000_0000_0000n],
    ["rule 6: arena 15", 0xffff_f123_0000_0007n],
    ["rule 7: SmallInt generation 1", 0xffff_c001_0000_0000n],
    ["rule 7: SmallInt slot bit 31", 0xffff_c000_8000_0000n],
    ["not a 64-bit pattern: negative", -1n],
    ["not a 64-bit pattern: 2^64", 1n << 64n],
  ];
  it.each(bad)("%s is BAD_CELL", (_, c) => {
    expectTrap(() => validateCell(c), TrapCode.BAD_CELL);
    expectTrap(() => decodeCell(c), TrapCode.BAD_CELL);
    expect(formatCell(c)).toMatch(/^bad /);
  });

  const good: Cell[] = [
    0xfff0_0000_0000_0000n, // -Infinity
    0xffef_ffff_ffff_ffffn, // -MAX_VALUE
    0x7ff8_0000_0000_0000n,
    0xfffa_0000_4000_0000n,
    0xfffa_ffff_bfff_ffffn,
    0xffff_c000_7fff_ffffn,
    0xffff_0fff_ffff_ffffn,
    0xffff_d000_0000_0000n,
  ];
  it.each(good)("%s is valid and round-trips", (c) => {
    validateCell(c);
    const view = decodeCell(c);
    let again: Cell;
    switch (view.kind) {
      case "f64": again = cellFromF64(view.value); break;
      case "int": again = cellFromInt(view.value); break;
      case "bool": again = cellFromBool(view.value); break;
      case "null": again = CELL_NULL; break;
      case "handle": again = makeHandle(view.arena, view.generation, view.slot); break;
    }
    expect(again).toBe(c);
  });

  it("the rule order decides the reason", () => {
    // 0xFFFF_E… breaks rule 6 only; 0xFFFF_C001… rule 7 only.
    expect(expectTrap(() => validateCell(0xffff_e000_0000_0000n), TrapCode.BAD_CELL).detail).toMatch(/rule 6/);
    expect(expectTrap(() => validateCell(0xffff_c001_8000_0000n), TrapCode.BAD_CELL).detail).toMatch(/rule 7/);
    expect(expectTrap(() => validateCell(0xfff8_0000_0000_0001n), TrapCode.BAD_CELL).detail).toMatch(/rule 1/);
  });
});

describe("formatCell", () => {
  it("names every kind", () => {
    expect(formatCell(makeHandle(Arena.LIST, 1, 3))).toBe("List#3@g1");
    expect(formatCell(cellFromInt(5))).toBe("int 5");
    expect(formatCell(cellFromInt(-(2 ** 40)))).toBe(`int ${-(2 ** 40)}`);
    expect(formatCell(cellFromF64(-0))).toBe("f64 -0");
    expect(formatCell(cellFromF64(1.5))).toBe("f64 1.5");
    expect(formatCell(CELL_TRUE)).toBe("bool true");
    expect(formatCell(CELL_NULL)).toBe("null");
    expect(formatCell(0xfff8_0000_0000_0000n)).toBe("bad 0xFFF8_0000_0000_0000");
  });
});
