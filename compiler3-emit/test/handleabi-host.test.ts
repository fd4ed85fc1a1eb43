// Host imports on the handle ABI (handle-abi.md §10.8): the `vm3.host`
// custom section the TypeScript host reads and checks at compile, forged
// Cells a hostile guest passes to a host import, host failures, a missing
// host function, re-entry, and the frames that keep Cells alive across a
// host.call while the heap collects. The programs-host vectors themselves run
// in handleabi-emit.test.ts.
import { describe, expect, test } from "vitest";
import { parseText } from "../src/ir/text-parser.ts";
import type { Program } from "../src/ir/model.ts";
import { validate } from "../src/ir/validate.ts";
import { emitHandleAbi, emitHandleAbiModule } from "../src/handleabi/emit.ts";
import { encodeHostSection } from "../src/handleabi/host-imports.ts";
import { RunEngine } from "../src/run/engine.ts";
import { compileHandleAbi, HandleAbiProgram, newHandleAbiInstance, readModuleSections } from "../../ts-runtime/src/abi-host/index.ts";
import { HostReentryError } from "../../ts-runtime/src/abi-host/host-imports.ts";
import { HostLinkError, type HostFunctions } from "../../ts-runtime/src/host-functions.ts";
import { HandleRef } from "../../ts-runtime/src/handle-ref.ts";
import { type ModuleRecipe, op, section, uleb, wasmModule } from "../../ts-runtime/test/wasm-bytes.ts";

function program(text: string): Program {
  const { program } = parseText(text);
  expect(validate(program)).toEqual([]);
  return program;
}

const enc = new TextEncoder();
const name = (s: string) => [...uleb(enc.encode(s).length), ...enc.encode(s)];
/** A custom section `name` with `payload`. */
const custom = (n: string, payload: readonly number[]) => section(0, [...name(n), ...payload]);
const withSections = (bytes: Uint8Array, ...sections: number[][]) => new Uint8Array([...bytes, ...sections.flat()]);

/** A §10.8 type triple. */
const T = { i64: [1, 0, 0], f64: [2, 0, 0], bool: [3, 0, 0], str: [4, 0, 0], listAny: [5, 16, 0], map: [6, 0, 0], struct0: [8, 0, 0], any: [16, 0, 0], unit: [17, 0, 0], host: [18, 0, 0] } as const;
const entry = (n: string, params: readonly (readonly number[])[], result: readonly number[]) => [...name(n), ...uleb(params.length), ...params.flat(), ...result];
const hostSection = (...entries: number[][]) => custom("vm3.host", [...uleb(entries.length), ...entries.flat()]);

const MAIN = { entry: "main", functions: [{ name: "main", params: [], result: 1 }] };
const NULL_CELL = -(1n << 64n) + 0xfffc_0000_0000_0000n;

/**
 * A module importing host.f of Wasm type `hostType` (function 0) and
 * optionally vm3.list_new (function 1); vm3_init and main (returning 0 after
 * `body`) follow.
 */
function guest(hostType: { params: ("i32" | "i64" | "f64")[]; results: ("i32" | "i64" | "f64")[] }, body: number[], listNew = false): Uint8Array {
  const imports = [{ module: "host", name: "f", type: 2 }];
  if (listNew) imports.push({ module: "vm3", name: "list_new", type: 3 });
  const first = imports.length;
  const recipe: ModuleRecipe = {
    types: [{ params: [], results: [] }, { params: [], results: ["i64"] }, hostType, { params: ["i64"], results: ["i64"] }],
    imports,
    funcs: [{ type: 0, body: [] }, { type: 1, body: [...body, ...op.i64(0)] }],
    memory: { min: 1, max: 1 },
    exports: [
      { name: "memory", kind: "memory", index: 0 },
      { name: "vm3_init", kind: "func", index: first },
      { name: "main", kind: "func", index: first + 1 },
    ],
  };
  return wasmModule(recipe);
}

const STR_TO_UNIT = { params: ["i64" as const], results: [] };
const compileError = (bytes: Uint8Array) => {
  try {
    compileHandleAbi(bytes, MAIN);
  } catch (e) {
    return (e as Error).message;
  }
  return "compiled";
};

describe("the vm3.host section is checked at compile (§10.8)", () => {
  const body = [...op.i64(0), ...op.call(0)];
  const good = guest(STR_TO_UNIT, body);

  test("the emitter's section round-trips and is accepted", () => {
    const p = program(`entry @main\nimport host @greet(str) -> str\nimport host @keep(struct<P>) -> host\nstruct P { a: i64 }\nfunc main() -> i64 {\n  str $0 = "x"\nb0:\n  v0 = const.str $0\n  v1 = host.call.str @greet(v0)\n  v2 = const.i64 1\n  v3 = struct.new P v2\n  v4 = host.call.host @keep(v3)\n  v5 = len.str v1\n  return v5\n}\n`);
    const bytes = emitHandleAbi(p, { optimize: true });
    const sections = readModuleSections(bytes);
    const s = sections.customs.filter((c) => c.name === "vm3.host");
    expect(s).toHaveLength(1);
    expect([...s[0]!.bytes]).toEqual([...encodeHostSection(p.hostImports!)]);
    expect(sections.imports.filter((i) => i.module === "host").map((i) => i.name)).toEqual(["greet", "keep"]);
    expect(() => HandleAbiProgram.compile(bytes, p)).not.toThrow();
  });

  test("host imports the optimiser removes are not described", () => {
    const p = program(`entry @main\nimport host @greet(str) -> str\nfunc main() -> i64 {\nb0:\n  v0 = const.i64 7\n  return v0\n}\n`);
    const bytes = emitHandleAbi(p, { optimize: true });
    const s = readModuleSections(bytes);
    expect(s.imports.some((i) => i.module === "host")).toBe(false);
    expect(s.customs.some((c) => c.name === "vm3.host")).toBe(false);
  });

  test("a good hand-made section compiles", () => {
    expect(compileError(withSections(good, hostSection(entry("f", [T.str], T.unit))))).toBe("compiled");
  });

  test("no section", () => {
    expect(compileError(good)).toMatch(/import host\.f: no vm3\.host custom section describes the module's host imports/);
  });

  test("two sections", () => {
    const s = hostSection(entry("f", [T.str], T.unit));
    expect(compileError(withSections(good, s, s))).toMatch(/2 vm3\.host custom sections/);
  });

  test("types that disagree with the import", () => {
    expect(compileError(withSections(good, hostSection(entry("f", [T.bool], T.unit))))).toMatch(
      /import host\.f has type \(i64\) -> \(\), want \(i32\) -> \(\) \(vm3\.host declares \(bool\) -> unit\)/,
    );
    expect(compileError(withSections(good, hostSection(entry("f", [T.str], T.str))))).toMatch(/import host\.f has type \(i64\) -> \(\), want \(i64\) -> \(i64\)/);
  });

  test("another name, too few or too many entries", () => {
    expect(compileError(withSections(good, hostSection(entry("g", [T.str], T.unit))))).toMatch(/import host\.f: host import 0, but vm3\.host entry 0 is g/);
    expect(compileError(withSections(good, hostSection()))).toMatch(/import host\.f: the vm3\.host section describes only 0 host import/);
    expect(compileError(withSections(good, hostSection(entry("f", [T.str], T.unit), entry("g", [], T.unit))))).toMatch(/vm3\.host entry 1 describes host\.g, but the module has only 1 host import/);
  });

  test("malformed payloads name the byte", () => {
    const e = entry("f", [T.str], T.unit);
    const cases: [number[], RegExp][] = [
      [[], /at byte 0: count: unexpected end/],
      [[1, ...e.slice(0, -1)], /f result struct_id: unexpected end/],
      [[1, ...e, 0], /1 bytes after the last entry/],
      [[0x81, 0x80, 0x80, 0x80, 0x80, 0x00], /LEB128 u32 longer than 5 bytes/],
      [[0xff, 0xff, 0xff, 0xff, 0x7f], /LEB128 u32 out of range/],
      [[1, ...entry("f", [[7, 0, 0]], T.unit)], /type 7 is not a host import's type/],
      [[1, ...entry("f", [T.unit], T.unit)], /unit is not a parameter type/],
      [[1, ...entry("f", [[5, 4, 0]], T.unit)], /list elem_type must be I64/],
      [[1, ...entry("f", [[4, 0, 3]], T.unit)], /struct_id 3 on a non-struct type/],
      [[1, 1, 0xff, 1, ...T.str, ...T.unit], /entry 0 name: not UTF-8/],
      [[200, 1], /count 200 does not fit/],
    ];
    for (const [payload, want] of cases) expect(compileError(withSections(good, custom("vm3.host", payload)))).toMatch(want);
  });

  test("a section without host imports must describe none; a host import that is not a function is refused", () => {
    const plain = wasmModule({
      types: [{ params: [], results: [] }, { params: [], results: ["i64"] }],
      funcs: [{ type: 0, body: [] }, { type: 1, body: op.i64(0) }],
      memory: { min: 1, max: 1 },
      exports: [{ name: "memory", kind: "memory", index: 0 }, { name: "vm3_init", kind: "func", index: 0 }, { name: "main", kind: "func", index: 1 }],
    });
    expect(compileError(withSections(plain, hostSection()))).toBe("compiled");
    expect(compileError(withSections(plain, hostSection(entry("f", [], T.unit))))).toMatch(/describes host\.f, but the module has only 0 host import/);
  });
});

describe("forged Cells as host-import arguments trap before the host function runs (§10.8, §10.3)", () => {
  const run = (types: readonly (readonly number[])[], wasmParams: ("i32" | "i64" | "f64")[], args: number[][], listNew = false) => {
    let called = 0;
    const bytes = withSections(
      guest({ params: wasmParams, results: [] }, [...args.flat(), ...op.call(0)], listNew),
      hostSection(entry("f", types, T.unit)),
    );
    const p = HandleAbiProgram.compile(bytes, MAIN);
    const r = p.runDetailed("main", [], undefined, { f: () => void called++ });
    return { result: r.result, called, heap: r.heap };
  };
  const cell = (c: bigint) => op.i64(BigInt.asIntN(64, c));

  test.each([
    ["a malformed Cell as str", T.str, 0xfff9_0000_0000_0000n, "BAD_CELL"],
    ["a float as str", T.str, 0x3ff0_0000_0000_0000n, "NOT_A_HANDLE"],
    ["a SmallInt as host", T.host, 0xffff_c000_0000_0005n, "NOT_A_HANDLE"],
    ["a List handle as str", T.str, 0xffff_1001_0000_0000n, "WRONG_ARENA"],
    ["a String handle of no slot as str", T.str, 0xffff_0001_0000_0007n, "STALE_HANDLE"],
    ["a Map handle as list<any>", T.listAny, 0xffff_2001_0000_0000n, "WRONG_ARENA"],
    ["a dead Struct handle as struct<0>", T.struct0, 0xffff_4001_0000_0003n, "STALE_HANDLE"],
    ["a malformed Cell as any", T.any, 0xfff9_0000_0000_0001n, "BAD_CELL"],
    ["a dead handle as any", T.any, 0xffff_1001_0000_0009n, "STALE_HANDLE"],
  ])("%s", (_n, t, c, trap) => {
    const r = run([t], ["i64"], [cell(c)]);
    expect(r.result).toMatchObject({ kind: "trap", name: trap });
    expect(r.called).toBe(0);
  });

  test("a bool argument other than 0 or 1 is BAD_ARGUMENT", () => {
    expect(run([T.bool], ["i32"], [op.i32(2)]).result).toMatchObject({ kind: "trap", name: "BAD_ARGUMENT" });
    expect(run([T.bool], ["i32"], [op.i32(-1)]).result).toMatchObject({ kind: "trap", name: "BAD_ARGUMENT" });
    expect(run([T.bool], ["i32"], [op.i32(1)])).toMatchObject({ result: { kind: "ok" }, called: 1 });
  });

  test("null, scalars in an any, and a real list pass; a failing later argument leaves no pin behind", () => {
    expect(run([T.str, T.host, T.any], ["i64", "i64", "i64"], [cell(NULL_CELL), cell(NULL_CELL), cell(0xffff_c000_0000_0005n)])).toMatchObject({ result: { kind: "ok" }, called: 1 });
    const listThenBad = [[...op.i64(0), ...op.call(1)], cell(0xfff9_0000_0000_0000n)];
    const r = run([T.listAny, T.str], ["i64", "i64"], listThenBad, true);
    expect(r.result).toMatchObject({ kind: "trap", name: "BAD_CELL" });
    expect(r.called).toBe(0);
    expect(r.heap.stats().pinned).toBe(0);
  });
});

describe("host failures, binding and re-entry (host.md §11.1–§11.2)", () => {
  const p = program(`entry @main
import host @boom(i64) -> i64
import host @again() -> i64
func main() -> i64 {
b0:
  v0 = const.i64 3
  v1 = host.call.i64 @boom(v0)
  return v1
}
func nested() -> i64 {
b0:
  v0 = host.call.i64 @again()
  return v0
}
`);
  const bytes = emitHandleAbi(p, { optimize: true });
  const compiled = HandleAbiProgram.compile(bytes, p);

  test("a throw is HOST_ERROR with the thrown message; a host result that does not convert too", () => {
    const throws: HostFunctions = { boom: () => { throw new Error("kaboom"); }, again: () => 0n };
    expect(compiled.run("main", [], undefined, throws)).toMatchObject({ kind: "trap", name: "HOST_ERROR" });
    const r = compiled.run("main", [], undefined, throws) as { detail?: string; message?: string };
    expect(JSON.stringify(r)).toMatch(/kaboom/);
    expect(compiled.run("main", [], undefined, { boom: () => 1, again: () => 0n })).toMatchObject({ kind: "trap", name: "HOST_ERROR" });
    expect(compiled.run("main", [], undefined, { boom: (n: bigint) => n * 2n, again: () => 0n })).toEqual({ kind: "ok", value: { type: "i64", i64: 6n } });
  });

  test("a missing host function refuses the run before it starts, and RunEngine reports it refused", () => {
    expect(() => compiled.run("main", [], undefined, { boom: () => 1n })).toThrow(HostLinkError);
    expect(() => compiled.run("main", [], undefined, undefined)).toThrow(/host import @boom cannot be bound/);
    expect(() => compiled.run("main", [], undefined, { boom: () => 1n, again: 5 })).toThrow(/it is a number, not a function/);
    const engine = new RunEngine();
    const out = engine.run({ engine: "handle-abi", key: "host-missing", program: p, binary: bytes, entry: "main", args: [] }, () => {}, { boom: () => 1n });
    expect(out).toMatchObject({ kind: "refused" });
    expect((out as { message: string }).message).toMatch(/@again/);
  });

  test("re-entering the instance from a host function is refused; escaping, the outer call is HOST_ERROR", () => {
    const module = compileHandleAbi(bytes, p);
    let caught: unknown;
    const host: HostFunctions = {
      boom: () => {
        try {
          instance.call("nested", []);
        } catch (e) {
          caught = e;
        }
        return 1n;
      },
      again: () => 0n,
    };
    const instance = newHandleAbiInstance(module, undefined, host);
    instance.init();
    expect(instance.run("main", [], 1)).toEqual({ kind: "ok", value: { type: "i64", i64: 1n } });
    expect(caught).toBeInstanceOf(HostReentryError);
    expect((caught as Error).message).toMatch(/inside host\.call @boom/);

    // Through the raw exports, the guest's first host import refuses it.
    let raw: unknown;
    const rawHost: HostFunctions = {
      boom: () => {
        try {
          (rawInstance.exports.nested as () => unknown)();
        } catch (e) {
          raw = e;
        }
        return 2n;
      },
      again: () => 0n,
    };
    const rawInstance = newHandleAbiInstance(module, undefined, rawHost);
    rawInstance.init();
    expect(rawInstance.run("main", [], 1)).toEqual({ kind: "ok", value: { type: "i64", i64: 2n } });
    expect(raw).toBeInstanceOf(HostReentryError);

    const escaping = newHandleAbiInstance(module, undefined, { boom: () => escaping.call("nested", []), again: () => 0n });
    escaping.init();
    expect(escaping.run("main", [], 1)).toMatchObject({ kind: "trap", name: "HOST_ERROR" });
    // After the call the instance is usable again.
    expect(escaping.run("nested", [], 1)).toEqual({ kind: "ok", value: { type: "i64", i64: 0n } });
  });
});

describe("host.call is a collecting call for the frames (§10.5, §10.8)", () => {
  // A struct held across 3,000 host calls that each allocate a String under
  // AUTO: only its frame slot keeps it alive.
  const p = program(`entry @main
import host @greet(str) -> str
import host @keep(struct<P>) -> host
import host @take(host) -> struct<P>
struct P { a: i64 }
func main(v0: i64) -> i64 {
  str $0 = "x"
b0:
  v1 = const.i64 41
  v2 = struct.new P v1
  v3 = const.i64 0
  v4 = const.str $0
  jump b1
b1:
  v5 = phi.i64 [b0: v3], [b2: v8]
  v6 = cmp.lt.i64 v5, v0
  branch v6, b2, b3
b2:
  v7 = host.call.str @greet(v4)
  v9 = const.i64 1
  v8 = add.i64 v5, v9
  jump b1
b3:
  v10 = struct.get P.a v2
  v11 = host.call.host @keep(v2)
  v12 = host.call.struct<P> @take(v11)
  v13 = struct.get P.a v12
  v14 = add.i64 v10, v13
  return v14
}
`);
  const lib: HostFunctions = {
    greet: (s: string) => `hello, ${s}`,
    keep: (x: unknown) => ({ kept: x }),
    take: (h: { kept: unknown }) => h.kept,
  };

  test("the struct survives the collections the host's allocations cause", () => {
    for (const optimize of [false, true]) {
      const compiled = HandleAbiProgram.compile(emitHandleAbi(p, { optimize }), p);
      const run = compiled.runDetailed("main", [3000n], { variant: "auto" }, lib);
      expect(run.result).toEqual({ kind: "ok", value: { type: "i64", i64: 82n } });
      expect(run.heap.stats().collections).toBeGreaterThan(0);
    }
  });

  test("without frames the same module loses the struct (the test can see the difference)", () => {
    const compiled = HandleAbiProgram.compile(emitHandleAbi(p, { optimize: true, rooting: false }), p);
    expect(compiled.run("main", [3000n], { variant: "auto" }, lib)).toMatchObject({ kind: "trap", name: "STALE_HANDLE" });
  });

  test("the module roots the struct in a frame", () => {
    const m = emitHandleAbiModule(p);
    try {
      expect(m.emitText()).toMatch(/frame_enter/);
    } finally {
      m.dispose();
    }
  });

  test("a reference object the host keeps pins its object until released", () => {
    let kept: HandleRef | undefined;
    const compiled = HandleAbiProgram.compile(emitHandleAbi(p, { optimize: true }), p);
    const run = compiled.runDetailed("main", [10n], { variant: "auto" }, { ...lib, keep: (x: HandleRef) => ((kept = x), { kept: x }) });
    expect(run.result).toMatchObject({ kind: "ok" });
    expect(kept).toBeInstanceOf(HandleRef);
    expect(run.heap.stats().pinned).toBeGreaterThan(0);
    kept!.release();
  });
});
