// String constants of any length (ir.md §8.10) on every Node backend: the
// WasmGC target built each constant with one `array.new_fixed` in its
// global's initializer, which V8 caps at 10,000 operands, so a longer
// constant did not compile; longer ones are now data segments copied by
// `array.new_data` in the start function (wasmgc.md §9.6). The conformance
// vector programs-strings-large runs the committed large.ir on every backend;
// this checks that file against its generator, and runs 100 KB and 1 MB
// constants, ASCII and multi-byte, on the interpreter, WasmGC at -O0 and -O,
// and the handle ABI.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { HandleAbiProgram } from "../../ts-runtime/src/abi-host/index.ts";
import { runProgram } from "../../ts-runtime/src/interp/run.ts";
import { emitHandleAbi } from "../src/handleabi/emit.ts";
import { parseText } from "../src/ir/text-parser.ts";
import { validate } from "../src/ir/validate.ts";
import { emitWasmGc, emitWasmGcModule } from "../src/wasmgc/emit.ts";
import { WasmGcProgram } from "../src/wasmgc/run.ts";
import { MAX_FIXED } from "../src/wasmgc/string-ops.ts";
import { asciiText, LARGE_IR, largeStringsProgram, returnConstant, utf8Text } from "./strings-large.ts";

const load = (text: string) => {
  const program = parseText(text).program;
  expect(validate(program).map((e) => e.text)).toEqual([]);
  return program;
};

test("conformance/programs/strings-large is what its generator writes", () => {
  expect(readFileSync(LARGE_IR, "utf8"), "stale: regenerate with `npx node compiler3-emit/test/strings-large.ts`").toBe(largeStringsProgram());
  const vectors = JSON.parse(readFileSync(new URL("../../conformance/programs/strings-large.json", import.meta.url), "utf8")) as {
    programs: { entry: string; expect: Record<string, unknown> }[];
  };
  expect(vectors.programs.map((p) => [p.entry, p.expect])).toEqual([
    ["ascii", { i64: 100_000 }],
    ["utf8", { str: utf8Text(30_000) }],
  ]);
});

describe.each([
  ["100 KB of ASCII", () => asciiText(100_000)],
  ["100 KB of multi-byte UTF-8", () => utf8Text(100_000)],
  ["1 MB of ASCII", () => asciiText(1_000_000)],
  ["1 MB of multi-byte UTF-8", () => utf8Text(1_000_000)],
])("a constant of %s is returned whole by every backend", (_name, make) => {
  const text = make();
  const program = load(returnConstant(text));
  const want = { kind: "ok", value: { type: "str", str: text } };

  test("interpreter", () => {
    expect(runProgram(program, { args: [] })).toEqual(want);
  });
  test.each([false, true])("WasmGC, optimize %s", (optimize) => {
    expect(WasmGcProgram.compile(emitWasmGc(program, { optimize }), program).run("main", [])).toEqual(want);
  });
  test("handle ABI", () => {
    expect(HandleAbiProgram.compile(emitHandleAbi(program, { optimize: true }), program).run("main", [])).toEqual(want);
  });
});

test.each([
  [MAX_FIXED, false],
  [MAX_FIXED + 1, true],
])("a %i-byte constant: start function %s (an initializer up to MAX_FIXED bytes)", (n, start) => {
  const text = asciiText(n, 7);
  const program = load(returnConstant(text));
  const m = emitWasmGcModule(program, { optimize: false });
  try {
    expect(m.getStart() !== 0).toBe(start);
  } finally {
    m.dispose();
  }
  expect(WasmGcProgram.compile(emitWasmGc(program, { optimize: true }), program).run("main", [])).toEqual({ kind: "ok", value: { type: "str", str: text } });
});
