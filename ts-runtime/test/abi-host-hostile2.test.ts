// Hostile guests, second round (issue 10), on the TypeScript host: the shared
// corpus of hostile-modules.ts (which the Go host runs too, in
// go-host/bridge/hostile2_test.go), the lazy tails at the engine's array
// limit (handle-abi.md §10.3), the section reader on malformed binaries, and
// time limits on the start function and vm3_init (embedding.md §7.2).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { Type } from "../../compiler3-emit/src/ir/model.ts";
import type { Program } from "../../compiler3-emit/src/ir/model.ts";
import { nodeRunner } from "../../compiler3-emit/src/run/node-runner.ts";
import {
  capMemoryMaximum, compileHandleAbi, HandleAbiError, HandleAbiProgram, MAX_MEMORY_PAGES, ModuleSectionsError, readModuleSections,
} from "../src/abi-host/index.ts";
import { checkStorable, MAX_STORED } from "../src/null-cells.ts";
import { CELL_NULL, cellFromF64, cellFromInt, Heap, Trap, TrapCode } from "../src/index.ts";
import { CORPUS_DIR, type Expect, HOSTILE_CASES, type HostileCase, manifest, moduleBytes } from "./hostile-modules.ts";
import { section, uleb, wasmModule } from "./wasm-bytes.ts";

const RESULT_TYPES = { i64: Type.I64, unit: Type.UNIT } as const;
const entryTypes = (c: HostileCase) => ({
  entry: c.program.entry,
  functions: c.program.functions.map((f) => ({ name: f.name, params: new Array<number>(f.params).fill(Type.I64), result: RESULT_TYPES[f.result] })),
});

describe("the shared hostile corpus (go-host/bridge/testdata/hostile2)", () => {
  it("the files are what the recipes build (regenerate: npx node ts-runtime/test/hostile-modules.ts)", () => {
    expect(readFileSync(join(CORPUS_DIR, "manifest.json"), "utf8")).toBe(manifest());
    for (const c of HOSTILE_CASES) expect(new Uint8Array(readFileSync(join(CORPUS_DIR, `${c.name}.wasm`))), c.name).toEqual(moduleBytes(c));
  });

  const ran = (c: HostileCase): Expect => {
    let program: HandleAbiProgram;
    try {
      program = HandleAbiProgram.compile(moduleBytes(c), entryTypes(c));
    } catch (e) {
      if (!(e instanceof HandleAbiError)) throw e;
      return { compileError: e.message };
    }
    const run = program.runDetailed(c.program.entry, c.args.map(BigInt), { variant: "auto", ...c.heap });
    run.heap.checkInvariants();
    const r = run.result;
    if (r.kind === "trap") return { trap: r.name };
    if (r.value.type !== "i64") throw new Error(`unexpected result ${r.value.type}`);
    return { i64: String(r.value.i64) };
  };

  for (const c of HOSTILE_CASES) {
    const want = c.ts;
    if ("skip" in want || "timeout" in want || "runError" in want) continue;
    it(`${c.name}: ${c.description}`, () => {
      const got = ran(c);
      if ("compileError" in want) {
        expect("compileError" in got ? got.compileError : JSON.stringify(got)).toContain(want.compileError);
      } else {
        expect(got).toEqual(want);
      }
    });
  }

  describe("in a worker with a time limit: the start function and vm3_init are inside it", () => {
    const runner = nodeRunner();
    afterAll(() => runner.close());
    for (const c of HOSTILE_CASES.filter((h) => "timeout" in h.ts)) {
      it(`${c.name}: ${c.description}`, async () => {
        const t0 = performance.now();
        const outcome = await runner.run(
          // The worker needs of the program only what HandleAbiProgram.compile reads (EntryTypes).
          { engine: "handle-abi", key: c.name, program: entryTypes(c) as unknown as Program, binary: moduleBytes(c), entry: "", args: [] },
          300,
        );
        expect(outcome.kind).toBe("timeout");
        expect(performance.now() - t0).toBeLessThan(30_000);
      }, 60_000);
    }
    it("a start function that returns and a vm3_init that returns are not timed out (the same runner, after terminated workers)", async () => {
      const c = HOSTILE_CASES.find((h) => h.name === "start-guest-trap")!;
      const outcome = await runner.run({ engine: "handle-abi", key: c.name, program: entryTypes(c) as unknown as Program, binary: moduleBytes(c), entry: "", args: [] }, 10_000);
      expect(outcome.kind === "finished" && outcome.result.kind === "trap" && outcome.result.name).toBe("WRONG_TYPE");
    }, 60_000);
  });
});

describe("lazy tails at the engine's array limit (§10.3): OUT_OF_MEMORY, the heap unchanged and usable", () => {
  const big = { variant: "minimal" as const, maxHeapBytes: 2 ** 34 };
  const int7 = cellFromInt(7);

  it("checkStorable refuses exactly the writes past MAX_STORED elements", () => {
    expect(() => checkStorable(MAX_STORED - 1, "list_set")).not.toThrow();
    const t = (() => { try { checkStorable(MAX_STORED, "list_set"); } catch (e) { return e; } })();
    expect(t instanceof Trap && t.code).toBe(TrapCode.OUT_OF_MEMORY);
  });

  for (const kind of ["i64arr", "f64arr"] as const) {
    it(`${kind}_set at 2^28 - 1 and ${kind}_push onto a lazy 2^27: OUT_OF_MEMORY; the heap stays usable`, () => {
      const heap = new Heap(big);
      const value = kind === "i64arr" ? int7 : cellFromF64(1.5);
      const make = (n: number) => (kind === "i64arr" ? heap.i64arrNew(n) : heap.f64arrNew(n));
      const set = (a: bigint, i: number) => (kind === "i64arr" ? heap.i64arrSet(a, i, value) : heap.f64arrSet(a, i, value));
      const get = (a: bigint, i: number) => (kind === "i64arr" ? heap.i64arrGet(a, i) : heap.f64arrGet(a, i));
      const push = (a: bigint) => (kind === "i64arr" ? heap.i64arrPush(a, value) : heap.f64arrPush(a, value));
      const a = make(2 ** 28);
      const bytes = heap.stats().heapBytes;
      const trapOf = (f: () => void) => { try { f(); } catch (e) { if (e instanceof Trap) return e.code; throw e; } return undefined; };
      expect(trapOf(() => set(a, 2 ** 28 - 1))).toBe(TrapCode.OUT_OF_MEMORY);
      const b = make(MAX_STORED);
      const bytesB = heap.stats().heapBytes;
      expect(trapOf(() => push(b))).toBe(TrapCode.OUT_OF_MEMORY);
      // Nothing changed: no bytes accounted for the refused push, lengths as they were, the tail still reads as zero.
      expect(heap.stats().heapBytes).toBe(bytesB);
      expect(bytesB - bytes).toBe(16 + 8 * MAX_STORED);
      expect(kind === "i64arr" ? heap.i64arrLen(b) : heap.f64arrLen(b)).toBe(MAX_STORED);
      expect(get(a, 2 ** 28 - 1)).toBe(kind === "i64arr" ? cellFromInt(0) : cellFromF64(0));
      heap.checkInvariants();
      // Usable: writes within the limit work, the arrays can be freed.
      set(a, 1000);
      expect(get(a, 1000)).toBe(value);
      heap.free(a);
      heap.free(b);
      heap.checkInvariants();
    });
  }

  it("list_set at the last index of list_new(536870000): OUT_OF_MEMORY; the heap stays usable", () => {
    const heap = new Heap(big);
    const l = heap.listNew(536870000);
    let code: TrapCode | undefined;
    try { heap.listSet(l, 536869999, int7); } catch (e) { if (e instanceof Trap) code = e.code; else throw e; }
    expect(code).toBe(TrapCode.OUT_OF_MEMORY);
    expect(heap.listGet(l, 536869999)).toBe(CELL_NULL);
    heap.listSet(l, 5, int7);
    expect(heap.listGet(l, 5)).toBe(int7);
    heap.checkInvariants();
  });
});

describe("the section reader (module-sections.ts): malformed input is a ModuleSectionsError naming the offset", () => {
  const valid = moduleBytes(HOSTILE_CASES.find((c) => c.name === "start-traps")!);
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const errorOf = (bytes: number[] | Uint8Array): ModuleSectionsError => {
    try {
      readModuleSections(new Uint8Array(bytes));
    } catch (e) {
      if (e instanceof ModuleSectionsError) return e;
      throw e;
    }
    throw new Error("read without an error");
  };

  it("reads a valid module's types, imports, functions, memory, exports and start", () => {
    const s = readModuleSections(valid);
    expect(s.imports).toEqual([{ module: "vm3", name: "list_len", kind: "func", type: { params: ["i64"], results: ["i64"] } }]);
    expect(s.functions.map((f) => f.results)).toEqual([["i64"], [], ["i64"], []]);
    expect(s.memories).toEqual([{ limits: { min: 1, max: 1 } }]);
    expect(s.exports.map((e) => `${e.kind} ${e.name} ${e.index}`)).toEqual(["memory memory 0", "func vm3_init 1", "func main 2"]);
    expect(s.start).toBe(3);
  });

  it.each([
    ["too short", [0x00, 0x61, 0x73], 0, /at least 8 bytes/],
    ["no magic", [0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0], 0, /magic/],
    ["version 2", [0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0], 4, /version/],
    ["section size past the end", [...header, 1, 10, 0], 8, /runs past the end/],
    ["section size LEB truncated", [...header, 1, 0x80], 10, /section size: unexpected end/],
    ["LEB of 6 bytes", [...header, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 9, /longer than 5 bytes/],
    ["LEB u32 over 32 bits", [...header, 1, 0xff, 0xff, 0xff, 0xff, 0x1f], 9, /out of range/],
    ["unknown section id", [...header, 14, 0], 8, /unknown section id 14/],
    ["repeated section", [...header, 1, 1, 0, 1, 1, 0], 11, /out of order or repeated/],
    ["out of order", [...header, ...section(3, [0]), ...section(1, [0])], 11, /type section out of order/],
    ["GC struct type form", [...header, ...section(1, [1, 0x5f, 0, 0])], 11, /form 0x5f is not a Wasm 2.0 function type/],
    ["bad value type", [...header, ...section(1, [1, 0x60, 1, 0x40, 0])], 13, /0x40 is not a Wasm 2.0 value type/],
    ["type count larger than the section", [...header, ...section(1, [100, 0x60, 0, 0])], 10, /count 100 does not fit/],
    ["section read short (trailing bytes)", [...header, ...section(1, [1, 0x60, 0, 0, 0xaa])], 14, /ends at byte 14, but its size says 15/],
    ["import type index out of range", [...header, ...section(1, [0]), ...section(2, [1, 1, 0x76, 1, 0x66, 0x00, 3])], 19, /type index 3 out of range \(0 types\)/],
    ["import kind 4 (a tag)", [...header, ...section(2, [1, 1, 0x76, 1, 0x66, 0x04, 0, 0])], 15, /kind 4 is not a Wasm 2.0 import kind/],
    ["import name not UTF-8", [...header, ...section(2, [1, 1, 0xff, 1, 0x66, 0x00, 0])], 12, /module name: not UTF-8/],
    ["name length past the end", [...header, ...section(2, [1, 50, 0x76, 0, 0])], 12, /50 bytes run past the end/],
    ["memory64 limits", [...header, ...section(5, [1, 0x04, 1])], 11, /limits flags 0x4/],
    ["export function index out of range", [...header, ...section(7, [1, 1, 0x66, 0x00, 5])], 14, /function index 5 out of range \(0 functions\)/],
    ["start index out of range", [...header, ...section(8, [2])], 10, /start function index 2 out of range/],
  ])("%s", (_what, bytes, offset, message) => {
    const e = errorOf(bytes);
    expect(e.message).toMatch(message);
    expect(e.offset).toBe(offset);
    expect(e.message).toContain(`at byte offset ${offset}`);
  });

  it("no truncation or byte change of a valid module throws anything but a ModuleSectionsError", () => {
    fc.assert(
      fc.property(fc.nat(valid.length), fc.array(fc.record({ at: fc.nat(valid.length - 1), b: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }), (cut, edits) => {
        const bytes = valid.slice(0, cut);
        for (const { at, b } of edits) if (at < bytes.length) bytes[at] = b;
        try {
          readModuleSections(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(ModuleSectionsError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("a malformed section is a HandleAbiError at compile even when the engine's validation does not run first", () => {
    expect(() => compileHandleAbi(new Uint8Array([...header, 1, 0x80]))).toThrow(HandleAbiError);
  });
});

describe("the memory limit (§10.1): the maximum capped in the binary", () => {
  it("a missing or too-large maximum becomes the limit; one within it leaves the binary as it was", () => {
    for (const [memory, want] of [[{ min: 1 }, MAX_MEMORY_PAGES], [{ min: 2, max: 65536 }, MAX_MEMORY_PAGES], [{ min: 1, max: 300 }, 300]] as const) {
      const bin = wasmModule({ types: [{ params: [], results: [] }], funcs: [{ type: 0, body: [] }], memory, exports: [{ name: "memory", kind: "memory", index: 0 }, { name: "vm3_init", kind: "func", index: 0 }] });
      const capped = capMemoryMaximum(bin, readModuleSections(bin));
      const s = readModuleSections(capped);
      expect(s.memories[0]!.limits).toEqual({ min: memory.min, max: want });
      if ("max" in memory && memory.max === want) expect(capped).toBe(bin);
      // Everything else is unchanged: the same exports, functions and types.
      expect(s.exports).toEqual(readModuleSections(bin).exports);
      expect(s.functions).toEqual(readModuleSections(bin).functions);
    }
    expect(uleb(MAX_MEMORY_PAGES)).toEqual([0x80, 0x20]);
  });
});
