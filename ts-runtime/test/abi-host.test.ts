// The TypeScript host for handle-ABI modules (handle-abi.md §10): the vm3
// imports called directly (argument ranges, memory, trap codes, check) and
// hand-written guests run through HandleAbiProgram (results, traps, frames,
// peak live slots, engine errors, the module contract).
import { describe, expect, it } from "vitest";
import { Type } from "../../compiler3-emit/src/ir/model.ts";
import {
  HandleAbiError, HandleAbiProgram, IMPORT_NAMES, IMPORT_SIGNATURES, instantiateHandleAbi, LivePeak, type MemoryRef, vm3Imports,
} from "../src/abi-host/index.ts";
import { wasm } from "../src/abi-host/wasm-api.ts";
import { Arena, type Cell, CELL_FALSE, CELL_NULL, CELL_TRUE, cellFromF64, cellFromInt, Heap, makeHandle, TrapCode } from "../src/index.ts";
import { RunUsageError, type RunResult } from "../src/interp/run.ts";
import { fma } from "../src/interp/f64.ts";
import { expectTrap } from "./expect-trap.ts";
import { specImports, wasmType } from "./spec-imports.ts";
import { wat } from "./wat.ts";

/** A Cell as the engine passes an i64: signed. */
const s64 = (c: Cell): bigint => BigInt.asIntN(64, c);

function host(config = {}) {
  const heap = new Heap(config);
  const memory = new wasm.Memory({ initial: 1 });
  const ref: MemoryRef = { memory };
  const peak = new LivePeak(heap);
  const { vm3 } = vm3Imports(heap, ref, { peak });
  // The imports as loosely typed functions, the way a guest reaches them.
  const f = vm3 as unknown as Record<string, (...args: unknown[]) => unknown>;
  return { heap, memory, ref, peak, f };
}

describe("vm3Imports: the table", () => {
  it("has every import of handle-abi.md §10.2, and only those, with the spec's signatures", () => {
    const { f } = host();
    const spec = specImports();
    expect(spec.size).toBe(44);
    expect([...IMPORT_NAMES].sort()).toEqual([...spec.keys()].sort());
    expect(Object.keys(f).sort()).toEqual([...IMPORT_NAMES].sort());
    for (const name of IMPORT_NAMES) {
      const sig = IMPORT_SIGNATURES[name] as { params: readonly string[]; result?: string };
      const want = spec.get(name)!;
      expect(`(${sig.params.join(", ")}) → ${sig.result ?? "()"}`, name).toBe(`(${want.params.map(wasmType).join(", ")}) → ${wasmType(want.result)}`);
      expect(f[name]!.length, name).toBe(sig.params.length);
    }
  });
});

describe("vm3Imports: integer arguments over the whole i64 range", () => {
  const HUGE = [2n ** 31n, 2n ** 32n, 2n ** 32n + 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, -1n, -(2n ** 32n), -(2n ** 53n) - 1n, -(2n ** 63n)];

  it("an index outside the object is OUT_OF_BOUNDS, never a wrapped slot", () => {
    const { heap, f } = host();
    const l = f.list_new!(2n) as Cell;
    f.list_set!(s64(l), 1n, s64(cellFromInt(9)));
    const s = f.struct_new!(2n, 0n) as Cell;
    const a = f.f64arr_new!(2n) as Cell;
    const i = f.i64arr_new!(2n) as Cell;
    for (const n of HUGE) {
      expectTrap(() => f.list_get!(s64(l), n), TrapCode.OUT_OF_BOUNDS);
      expectTrap(() => f.list_set!(s64(l), n, s64(CELL_NULL)), TrapCode.OUT_OF_BOUNDS);
      expectTrap(() => f.struct_get!(s64(s), n), TrapCode.OUT_OF_BOUNDS);
      expectTrap(() => f.struct_set!(s64(s), n, s64(CELL_NULL)), TrapCode.OUT_OF_BOUNDS);
      expectTrap(() => f.f64arr_get!(s64(a), n), TrapCode.OUT_OF_BOUNDS);
      expectTrap(() => f.f64arr_set!(s64(a), n, s64(cellFromF64(1))), TrapCode.OUT_OF_BOUNDS);
      expectTrap(() => f.i64arr_get!(s64(i), n), TrapCode.OUT_OF_BOUNDS);
      expectTrap(() => f.i64arr_set!(s64(i), n, s64(cellFromInt(1))), TrapCode.OUT_OF_BOUNDS);
    }
    // 2^32 + 1 is not element 1.
    expect(f.list_get!(s64(l), 1n)).toBe(cellFromInt(9));
    expect(f.list_get!(s64(l), 0n)).toBe(CELL_NULL);
    heap.checkInvariants();
  });

  it("a length, field count or shape outside its range is BAD_ARGUMENT; the extremes inside are accepted", () => {
    const { heap, f } = host();
    for (const n of [...HUGE.filter((n) => n !== 2n ** 31n - 1n), 2n ** 31n]) {
      expectTrap(() => f.list_new!(n), TrapCode.BAD_ARGUMENT);
      expectTrap(() => f.f64arr_new!(n), TrapCode.BAD_ARGUMENT);
      expectTrap(() => f.i64arr_new!(n), TrapCode.BAD_ARGUMENT);
      expectTrap(() => f.struct_new!(n, 0n), TrapCode.BAD_ARGUMENT);
    }
    for (const shape of [2n ** 32n, 2n ** 53n + 1n, -1n, -(2n ** 63n), 2n ** 63n - 1n]) expectTrap(() => f.struct_new!(1n, shape), TrapCode.BAD_ARGUMENT);
    // The field count is checked before the shape.
    expectTrap(() => f.struct_new!(65536n, 2n ** 40n), TrapCode.BAD_ARGUMENT);
    expect(heap.stats().arenas.every((a) => a.total === 0)).toBe(true);
    const s = f.struct_new!(65535n, 2n ** 32n - 1n) as Cell;
    expect(f.struct_len!(s64(s))).toBe(65535n);
    expect(f.struct_shape!(s64(s))).toBe(2n ** 32n - 1n);
    heap.checkInvariants();
  });

  it("scope marks: a huge or negative mark is SCOPE_MISMATCH", () => {
    const { f } = host();
    expect(f.scope_enter!()).toBe(1n);
    for (const n of HUGE) expectTrap(() => f.scope_exit!(n), TrapCode.SCOPE_MISMATCH);
    f.scope_exit!(1n);
  });
});

describe("vm3Imports: Cells", () => {
  it("takes Cells as signed i64 and gives them back with the same bits", () => {
    const { heap, f } = host();
    const l = f.list_new!(0n) as Cell;
    expect(l).toBe(makeHandle(Arena.LIST, 0, 0));
    f.list_push!(s64(l), s64(cellFromF64(-0.5)));
    expect(f.list_get!(s64(l), 0n)).toBe(cellFromF64(-0.5));
    expect(f.list_len!(s64(l))).toBe(1n);
    // The unsigned pattern (a JS caller, not an engine) works too.
    expect(f.list_len!(l)).toBe(1n);
    // Outside the i64 range entirely: BAD_CELL, never an alias.
    expectTrap(() => f.list_len!(l + (1n << 64n)), TrapCode.BAD_CELL);
    expectTrap(() => f.list_len!(-(1n << 64n) - 5n), TrapCode.BAD_CELL);
    heap.checkInvariants();
  });

  it("str_eq and map_has give bool Cells; maps take integer Cells", () => {
    const { f, memory } = host();
    new Uint8Array(memory.buffer).set(new TextEncoder().encode("abab"), 100);
    const a = f.str_new!(100, 2) as Cell;
    const b = f.str_new!(102, 2) as Cell;
    expect(f.str_eq!(s64(a), s64(b))).toBe(CELL_TRUE);
    const ab = f.str_concat!(s64(a), s64(b)) as Cell;
    expect(f.str_len!(s64(ab))).toBe(4n);
    expect(f.str_eq!(s64(a), s64(ab))).toBe(CELL_FALSE);
    const m = f.map_new!() as Cell;
    f.map_set!(s64(m), s64(cellFromInt(-3)), s64(cellFromInt(2 ** 40)));
    expect(f.map_has!(s64(m), s64(cellFromInt(-3)))).toBe(CELL_TRUE);
    expect(f.map_has!(s64(m), s64(cellFromInt(3)))).toBe(CELL_FALSE);
    expect(f.map_get!(s64(m), s64(cellFromInt(-3)))).toBe(cellFromInt(2 ** 40));
    expect(f.map_len!(s64(m))).toBe(1n);
    expectTrap(() => f.map_set!(s64(m), s64(CELL_NULL), s64(cellFromInt(1))), TrapCode.WRONG_TYPE);
  });

  it("host_new_str / host_get_str carry a string's text; another host value is WRONG_TYPE", () => {
    const { heap, f, memory } = host();
    new Uint8Array(memory.buffer).set(new TextEncoder().encode("héllo"), 0);
    const s = f.str_new!(0, 6) as Cell;
    const h = f.host_new_str!(s64(s)) as Cell;
    expect(heap.hostGet(h)).toBe("héllo");
    const back = f.host_get_str!(s64(h)) as Cell;
    expect(heap.strText(back)).toBe("héllo");
    expectTrap(() => f.host_new_str!(s64(h)), TrapCode.WRONG_ARENA);
    const other = heap.hostNew(42);
    expectTrap(() => f.host_get_str!(s64(other)), TrapCode.WRONG_TYPE);
    expectTrap(() => f.host_get_str!(s64(s)), TrapCode.WRONG_ARENA);
  });

  it("check: the arena first (outside 0..13 BAD_ARGUMENT), then handle(c, A)", () => {
    const { heap, f } = host();
    const l = f.list_new!(0n) as Cell;
    f.check!(s64(l), Arena.LIST);
    expectTrap(() => f.check!(s64(l), Arena.STRUCT), TrapCode.WRONG_ARENA);
    for (const a of [14, 15, 16, -1, 2 ** 31 - 1, -(2 ** 31)]) {
      expectTrap(() => f.check!(s64(l), a), TrapCode.BAD_ARGUMENT);
      expectTrap(() => f.check!(s64(0xfff8_0000_0000_0000n), a), TrapCode.BAD_ARGUMENT);
    }
    expectTrap(() => f.check!(s64(0xfff8_0000_0000_0000n), Arena.LIST), TrapCode.BAD_CELL);
    expectTrap(() => f.check!(s64(CELL_NULL), Arena.LIST), TrapCode.NULL_DEREF);
    expectTrap(() => f.check!(s64(cellFromInt(1)), Arena.SMALL_INT), TrapCode.NOT_A_HANDLE);
    expectTrap(() => f.check!(s64(l), Arena.SMALL_INT), TrapCode.WRONG_ARENA);
    expectTrap(() => f.check!(s64(makeHandle(Arena.SET, 0, 0)), Arena.SET), TrapCode.STALE_HANDLE);
    f.free!(s64(l));
    expectTrap(() => f.check!(s64(l), Arena.LIST), TrapCode.STALE_HANDLE);
    heap.checkInvariants();
  });
});

describe("vm3Imports: str_new reads the guest's memory", () => {
  it("copies the bytes; a range outside the memory is BAD_ARGUMENT", () => {
    const { heap, f, memory, ref } = host();
    const bytes = new Uint8Array(memory.buffer);
    bytes.set([0x68, 0x69], 65534);
    const s = f.str_new!(65534, 2) as Cell;
    bytes[65534] = 0; // a copy, not a view
    expect(heap.strText(s)).toBe("hi");
    expect(heap.strLen(f.str_new!(65536, 0) as Cell)).toBe(0);
    for (const [ptr, len] of [[65535, 2], [65536, 1], [-1, 1], [0, -1], [-1, -1], [2 ** 31 - 1, 2 ** 31 - 1], [0, 65537]] as const) {
      expectTrap(() => f.str_new!(ptr, len), TrapCode.BAD_ARGUMENT);
    }
    // The memory grows: the next call reads the new buffer.
    memory.grow(1);
    new Uint8Array(memory.buffer).set([0x7a], 70000);
    expect(heap.strText(f.str_new!(70000, 1) as Cell)).toBe("z");
    ref.memory = undefined;
    expectTrap(() => f.str_new!(0, 0), TrapCode.BAD_ARGUMENT);
    heap.checkInvariants();
  });
});

describe("vm3Imports: frames", () => {
  it("i32 marks and slots are read unsigned: negative ones trap, never wrap", () => {
    const { heap, f } = host({ variant: "auto", autoMinThreshold: 1 });
    expectTrap(() => f.frame_enter!(-1), TrapCode.BAD_ARGUMENT);
    expectTrap(() => f.frame_enter!(65537), TrapCode.BAD_ARGUMENT);
    const mark = f.frame_enter!(2) as number;
    expect(mark).toBe(1);
    const l = f.list_new!(0n) as Cell;
    f.frame_root!(mark, 1, s64(l));
    for (let k = 0; k < 5; k++) f.list_new!(0n); // collections under AUTO threshold 1
    expect(f.list_len!(s64(l))).toBe(0n);
    expectTrap(() => f.frame_root!(mark, -1, s64(l)), TrapCode.OUT_OF_BOUNDS);
    expectTrap(() => f.frame_root!(mark, 2, s64(l)), TrapCode.OUT_OF_BOUNDS);
    expectTrap(() => f.frame_root!(-1, 0, s64(l)), TrapCode.SCOPE_MISMATCH);
    expectTrap(() => f.frame_root!(mark, 0, s64(0xfff9_0000_0000_0000n)), TrapCode.BAD_CELL);
    expectTrap(() => f.frame_exit!(-1), TrapCode.SCOPE_MISMATCH);
    f.frame_exit!(mark);
    expect(heap.stats().frameRoots).toBe(0);
  });
});

describe("vm3Imports: trap and fma_slow", () => {
  it("trap(code) raises that code; a code outside traps.md's enum is BAD_ARGUMENT", () => {
    const { f } = host();
    for (const code of Object.values(TrapCode)) {
      if (code === TrapCode.TRAP_NONE) continue;
      expectTrap(() => f.trap!(code), code);
    }
    for (const code of [0, 17, 99, -1, 2 ** 31 - 1, -(2 ** 31)]) expectTrap(() => f.trap!(code), TrapCode.BAD_ARGUMENT);
  });

  it("fma_slow is the exact fused multiply-add", () => {
    const { f } = host();
    const a = 1 + 2 ** -30, b = 1 - 2 ** -30, c = -1;
    expect(f.fma_slow!(a, b, c)).toBe(fma(a, b, c));
    expect(f.fma_slow!(a, b, c)).toBe(-(2 ** -60));
  });
});

describe("vm3Imports: peak live slots", () => {
  it("is the exact maximum of live slots, sampled after each allocating import", () => {
    const { heap, f, peak } = host();
    const cells: Cell[] = [];
    for (let k = 0; k < 5; k++) cells.push(f.list_new!(0n) as Cell);
    for (const c of cells) f.free!(s64(c));
    f.struct_new!(0n, 0n);
    expect(heap.liveSlots()).toBe(1);
    expect(peak.peak).toBe(5);
  });
});

// ---- Guests ---------------------------------------------------------------

const GUEST = wat(`
(module
  (import "vm3" "str_new" (func $str_new (param i32 i32) (result i64)))
  (import "vm3" "pin" (func $pin (param i64)))
  (import "vm3" "list_new" (func $list_new (param i64) (result i64)))
  (import "vm3" "list_len" (func $list_len (param i64) (result i64)))
  (import "vm3" "list_push" (func $list_push (param i64 i64)))
  (import "vm3" "frame_enter" (func $frame_enter (param i32) (result i32)))
  (import "vm3" "frame_root" (func $frame_root (param i32 i32 i64)))
  (import "vm3" "frame_exit" (func $frame_exit (param i32)))
  (import "vm3" "trap" (func $trap (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello")
  (global $hello (mut i64) (i64.const 0))
  (func (export "vm3_init")
    (global.set $hello (call $str_new (i32.const 16) (i32.const 5)))
    (call $pin (global.get $hello)))
  (func (export "greet") (result i64) (global.get $hello))
  ;; n lists, each rooted in the same frame slot; then 7 pushed on the last: its length
  (func (export "churn") (param $n i64) (result i64)
    (local $mark i32) (local $l i64)
    (local.set $mark (call $frame_enter (i32.const 1)))
    (local.set $l (call $list_new (i64.const 0)))
    (call $frame_root (local.get $mark) (i32.const 0) (local.get $l))
    (block $done (loop $top
      (br_if $done (i64.eqz (local.get $n)))
      (local.set $l (call $list_new (i64.const 0)))
      (call $frame_root (local.get $mark) (i32.const 0) (local.get $l))
      (local.set $n (i64.sub (local.get $n) (i64.const 1)))
      (br $top)))
    (call $list_push (local.get $l) (i64.const 0xFFFFC00000000007))
    (call $frame_exit (local.get $mark))
    (call $list_len (local.get $l)))
  ;; a list kept only in a local across n allocations: under AUTO it goes stale
  (func (export "unrooted") (param $n i64) (result i64)
    (local $l i64)
    (local.set $l (call $list_new (i64.const 0)))
    (block $done (loop $top
      (br_if $done (i64.eqz (local.get $n)))
      (drop (call $list_new (i64.const 0)))
      (local.set $n (i64.sub (local.get $n) (i64.const 1)))
      (br $top)))
    (call $list_len (local.get $l)))
  (func (export "null_deref") (result i64) (call $list_len (i64.const 0xFFFC000000000000)))
  (func (export "guest_trap") (param $c i64) (result i64) (call $trap (i32.wrap_i64 (local.get $c))) (i64.const 0))
  (func $rec (export "recurse") (param $n i64) (result i64)
    (i64.add (call $rec (i64.add (local.get $n) (i64.const 1))) (i64.const 1)))
  (func (export "bad_unreachable") (result i64) (unreachable))
  (func (export "str_oob") (result i64) (call $str_new (i32.const 65534) (i32.const 5)))
  (func (export "null_str") (result i64) (i64.const 0xFFFC000000000000))
  (func (export "half") (param $x i64) (result f64) (f64.div (f64.convert_i64_s (local.get $x)) (f64.const 2)))
  (func (export "nan") (result f64) (f64.reinterpret_i64 (i64.const 0x7FF0000000000001)))
  (func (export "is_even") (param $x i64) (result i32) (i64.eqz (i64.rem_s (local.get $x) (i64.const 2))))
  (func (export "not_bool") (result i32) (i32.const 2))
  (func (export "add") (param $a i64) (param $b i64) (result i64) (i64.add (local.get $a) (local.get $b)))
  (func (export "nothing")))
`);

const fn = (name: string, params: number, result: number) => ({ name, params: new Array<number>(params).fill(Type.I64), result });
const GUEST_TYPES = {
  entry: "greet",
  functions: [
    fn("greet", 0, Type.STR), fn("churn", 1, Type.I64), fn("unrooted", 1, Type.I64), fn("null_deref", 0, Type.I64),
    fn("guest_trap", 1, Type.I64), fn("recurse", 1, Type.I64), fn("bad_unreachable", 0, Type.I64), fn("str_oob", 0, Type.STR),
    fn("null_str", 0, Type.STR), fn("half", 1, Type.F64), fn("nan", 0, Type.F64), fn("is_even", 1, Type.BOOL),
    fn("not_bool", 0, Type.BOOL), fn("add", 2, Type.I64), fn("nothing", 0, Type.UNIT), fn("missing", 0, Type.I64),
  ],
};

const trapOf = (r: RunResult) => (r.kind === "trap" ? r.name : `ok ${JSON.stringify(r.value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))}`);

describe("HandleAbiProgram: guests", () => {
  const program = HandleAbiProgram.compile(GUEST, GUEST_TYPES);

  it("reads results by the IR result type", () => {
    expect(program.run("", [])).toEqual({ kind: "ok", value: { type: "str", str: "hello" } });
    expect(program.run("add", [2n ** 62n, 2n ** 62n])).toEqual({ kind: "ok", value: { type: "i64", i64: -(2n ** 63n) } });
    expect(program.run("half", [3n])).toEqual({ kind: "ok", value: { type: "f64", f64: 1.5, bits: 0x3ff8_0000_0000_0000n } });
    const nan = program.run("nan", []);
    expect(nan.kind === "ok" && nan.value.type === "f64" && nan.value.bits).toBe(0x7ff8_0000_0000_0000n);
    expect(program.run("is_even", [4n])).toEqual({ kind: "ok", value: { type: "bool", bool: true } });
    expect(program.run("is_even", [-3n])).toEqual({ kind: "ok", value: { type: "bool", bool: false } });
    expect(program.run("nothing", [])).toEqual({ kind: "ok", value: { type: "unit" } });
    expect(() => program.run("not_bool", [])).toThrow(HandleAbiError);
    // A module whose entries do not match the program's types is refused at compile (§10.1), naming both signatures.
    expect(() => HandleAbiProgram.compile(GUEST, { entry: "nothing", functions: [fn("nothing", 0, Type.I64), fn("half", 1, Type.STR)] })).toThrow(
      /export nothing has type \(\) -> \(\), want \(\) -> \(i64\).*; export half has type \(i64\) -> \(f64\), want \(i64\) -> \(i64\)/,
    );
    // A str and an i64 are both i64 Cells in Wasm: the signature cannot tell them apart, reading the result does.
    const mismatched = HandleAbiProgram.compile(GUEST, { entry: "add", functions: [fn("add", 2, Type.STR)] });
    expect(trapOf(mismatched.run("", [1n, 2n]))).toBe("NOT_A_HANDLE");
  });

  it("a frame slot keeps the guest's list alive under AUTO; live slots stay bounded", () => {
    const run = program.runDetailed("churn", [10_000n], { variant: "auto", autoMinThreshold: 16 });
    expect(run.result).toEqual({ kind: "ok", value: { type: "i64", i64: 1n } });
    // 1 pinned string + at most 17 lists (collection.md §4.5 with one root).
    expect(run.peakLiveSlots).toBeLessThanOrEqual(18);
    expect(run.peakLiveSlots).toBeGreaterThan(2);
    expect(run.heap.stats().frameRoots).toBe(0);
    run.heap.checkInvariants();
    // MINIMAL never collects: every list stays, and the peak says so exactly.
    const minimal = program.runDetailed("churn", [10_000n], { variant: "minimal" });
    expect(minimal.result.kind).toBe("ok");
    expect(minimal.peakLiveSlots).toBe(1 + 10_001);
  });

  it("a Cell held only in a Wasm local is collected under AUTO (why frames exist)", () => {
    expect(trapOf(program.run("unrooted", [2000n], { variant: "auto", autoMinThreshold: 16 }))).toBe("STALE_HANDLE");
    expect(trapOf(program.run("unrooted", [2000n], { variant: "minimal" }))).toBe('ok {"type":"i64","i64":"0n"}');
  });

  it("maps thrown Traps, the guest's trap and stack exhaustion to trap results", () => {
    expect(trapOf(program.run("null_deref", []))).toBe("NULL_DEREF");
    expect(trapOf(program.run("guest_trap", [12n]))).toBe("DIVIDE_BY_ZERO");
    expect(trapOf(program.run("guest_trap", [7n]))).toBe("INT_OVERFLOW");
    expect(trapOf(program.run("guest_trap", [99n]))).toBe("BAD_ARGUMENT");
    expect(trapOf(program.run("guest_trap", [0n]))).toBe("BAD_ARGUMENT");
    expect(trapOf(program.run("guest_trap", [-1n]))).toBe("BAD_ARGUMENT");
    expect(trapOf(program.run("str_oob", []))).toBe("BAD_ARGUMENT");
    expect(trapOf(program.run("null_str", []))).toBe("NULL_DEREF");
    expect(trapOf(program.run("recurse", [0n]))).toBe("STACK_OVERFLOW");
  });

  it("an engine trap outside the ABI is an error, not a trap code (§10.4)", () => {
    expect(() => program.run("bad_unreachable", [])).toThrow(/unreachable/);
  });

  it("usage errors: unknown entry, not exported, argument count, argument range", () => {
    expect(() => program.run("nope", [])).toThrow(RunUsageError);
    expect(() => program.run("missing", [])).toThrow(RunUsageError);
    expect(() => program.run("add", [1n])).toThrow(RunUsageError);
    expect(() => program.run("add", [1n, 2n ** 63n])).toThrow(RunUsageError);
  });

  it("each run has a fresh heap", () => {
    const a = program.runDetailed("churn", [3n], { variant: "minimal" });
    const b = program.runDetailed("churn", [3n], { variant: "minimal" });
    expect(a.heap).not.toBe(b.heap);
    expect(b.heap.stats().arenas[1]!.total).toBe(4);
  });

  it("instantiateHandleAbi: one instance, vm3_init run, entries callable with a result type", () => {
    const inst = instantiateHandleAbi(GUEST, { variant: "minimal" });
    expect(inst.heap.stats().pinned).toBe(1);
    expect(inst.run("greet", [], Type.STR)).toEqual({ kind: "ok", value: { type: "str", str: "hello" } });
    expect(inst.run("churn", [2n], Type.I64)).toEqual({ kind: "ok", value: { type: "i64", i64: 1n } });
    expect(inst.peakLiveSlots).toBe(4);
    expect(trapOf(inst.run("null_deref", [], Type.I64))).toBe("NULL_DEREF");
    // The heap stays usable after a trap.
    expect(inst.run("churn", [0n], Type.I64)).toEqual({ kind: "ok", value: { type: "i64", i64: 1n } });
  });
});

describe("HandleAbiProgram: vm3_init and the module contract", () => {
  const types = { entry: "main", functions: [fn("main", 0, Type.I64)] };

  it("a trap in vm3_init is the run's trap", () => {
    const bin = wat(`(module (import "vm3" "trap" (func $trap (param i32))) (memory (export "memory") 1)
      (func (export "vm3_init") (call $trap (i32.const 13))) (func (export "main") (result i64) (i64.const 1)))`);
    expect(trapOf(HandleAbiProgram.compile(bin, types).run("", []))).toBe("UNREACHABLE");
    expectTrap(() => instantiateHandleAbi(bin), TrapCode.UNREACHABLE);
  });

  it("rejects modules that break §10.1–§10.2, naming why", () => {
    const bad = (text: string) => () => HandleAbiProgram.compile(wat(text), types);
    const ok = `(memory (export "memory") 1) (func (export "vm3_init")) (func (export "main") (result i64) (i64.const 1))`;
    expect(HandleAbiProgram.compile(wat(`(module ${ok})`), types).run("", [])).toEqual({ kind: "ok", value: { type: "i64", i64: 1n } });
    expect(bad(`(module (import "env" "f" (func)) ${ok})`)).toThrow(/imports only from module vm3/);
    expect(bad(`(module (import "vm3" "nope" (func)) ${ok})`)).toThrow(/vm3.nope: no such import/);
    expect(bad(`(module (import "vm3" "g" (global i32)) ${ok})`)).toThrow(/are functions/);
    expect(bad(`(module (func (export "vm3_init")) (func (export "main") (result i64) (i64.const 1)))`)).toThrow(/no memory exported/);
    expect(bad(`(module (memory (export "memory") 1) (func (export "main") (result i64) (i64.const 1)))`)).toThrow(/vm3_init/);
    expect(() => HandleAbiProgram.compile(new Uint8Array([0, 1, 2, 3]), types)).toThrow(HandleAbiError);
  });
});
