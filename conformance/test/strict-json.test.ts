import { describe, expect, it } from "vitest";
import { messageType } from "../protocol/schema.ts";
import { fromStrictJson } from "../protocol/strict-json.ts";

const parse = (type: string, json: unknown) => fromStrictJson(messageType(type), json);

describe("strict proto3 JSON", () => {
  it("accepts camelCase and snake_case names, enum names and 64-bit strings", () => {
    expect(parse("HeapConfig", { variant: "AUTO", maxHeapBytes: "18446744073709551615", auto_min_threshold: 4 })).toEqual({
      variant: "AUTO",
      maxHeapBytes: (1n << 64n) - 1n,
      autoMinThreshold: 4n,
    });
  });

  it("names the path of an unknown field", () => {
    expect(() => parse("AbiVectorFile", { vectors: [{ steps: [{ op: "FREE", cels: [] }] }] })).toThrow(
      /\$\.vectors\[0\]\.steps\[0\]\.cels: unknown field "cels" in Step/,
    );
  });

  it("rejects two members of one oneof", () => {
    expect(() => parse("CellValue", { int: 1, bool: true })).toThrow(/both members of oneof kind/);
  });

  it("rejects unknown enum names, wrong types and out-of-range integers", () => {
    expect(() => parse("Step", { op: "LIST_FETCH" })).toThrow(/unknown Op value "LIST_FETCH"/);
    expect(() => parse("Step", { ints: ["1.5"] })).toThrow(/expected an integer/);
    expect(() => parse("Handle", { generation: -1 })).toThrow(/outside the range of uint32/);
    expect(() => parse("Step", { ints: [2 ** 60] })).toThrow(/write 64-bit integers beyond 2\^53 as strings/);
    expect(() => parse("CellValue", { bool: "yes" })).toThrow(/expected true or false/);
  });

  it("reads NaN and infinities as proto3 JSON spells them", () => {
    expect(parse("CellValue", { f64: "NaN" }).f64).toBeNaN();
    expect(parse("CellValue", { f64: "-Infinity" }).f64).toBe(Number.NEGATIVE_INFINITY);
  });
});
