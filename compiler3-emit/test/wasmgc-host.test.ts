// The WasmGC host-call glue (host-calls.ts, host-glue.ts; host.md §11,
// wasmgc.md §9.6) at its edges, where the programs-host vectors (run by
// wasmgc-emit.test.ts against the conformance library) do not reach: the
// i64 range both ways, results of the wrong JS type for every IR type, an
// `any` in every kind, thrown values that are not Errors, freed arguments
// (the host function is then not called), binding (a missing function
// refuses the run), and a host function that calls back into the program.
import { describe, expect, test } from "vitest";
import type { HostFunctions } from "../../ts-runtime/src/host-functions.ts";
import { HostLinkError } from "../../ts-runtime/src/host-functions.ts";
import { RunUsageError, type RunResult } from "../../ts-runtime/src/interp/run.ts";
import { TrapCode } from "../../ts-runtime/src/trap.ts";
import type { Program } from "../src/ir/model.ts";
import { parseText } from "../src/ir/text-parser.ts";
import { validate } from "../src/ir/validate.ts";
import { RunEngine } from "../src/run/engine.ts";
import { emitWasmGc } from "../src/wasmgc/emit.ts";
import { WasmGcProgram } from "../src/wasmgc/run.ts";

function parse(src: string): Program {
  const { program, sourceMap } = parseText(src, "test.ir");
  expect(validate(program, { sourceMap }).map((e) => e.text)).toEqual([]);
  return program;
}

const compiled = new Map<string, WasmGcProgram>();
function compile(src: string, optimize: boolean): WasmGcProgram {
  const key = `${optimize}:${src}`;
  let p = compiled.get(key);
  if (p === undefined) {
    const program = parse(src);
    p = WasmGcProgram.compile(emitWasmGc(program, { optimize }), program);
    compiled.set(key, p);
  }
  return p;
}

/** The trap's name, or the result's value as a string (bigint, number, bool, str, "unit"). */
function shown(r: RunResult): string {
  if (r.kind === "trap") return r.name;
  const v = r.value;
  switch (v.type) {
    case "i64": return `${v.i64}`;
    case "f64": return `${v.f64}`;
    case "bool": return `${v.bool}`;
    case "str": return JSON.stringify(v.str);
    case "unit": return "unit";
  }
}

const SCALARS = `entry @get_i64
import host @i64_out() -> i64
import host @i64_in(i64) -> i64
import host @f64_out() -> f64
import host @bool_out() -> bool
import host @bool_in(bool, bool) -> bool
import host @str_out() -> str
import host @unit_out() -> unit

func get_i64() -> i64 {
b0:
  v0 = host.call.i64 @i64_out()
  return v0
}

func pass_i64(v0: i64) -> i64 {
b0:
  v1 = host.call.i64 @i64_in(v0)
  return v1
}

func get_f64() -> f64 {
b0:
  v0 = host.call.f64 @f64_out()
  return v0
}

func get_bool() -> bool {
b0:
  v0 = host.call.bool @bool_out()
  return v0
}

func pass_bools() -> bool {
b0:
  v0 = const.bool true
  v1 = const.bool false
  v2 = host.call.bool @bool_in(v0, v1)
  return v2
}

func get_str() -> str {
b0:
  v0 = host.call.str @str_out()
  return v0
}

func str_bytes() -> i64 {
b0:
  v0 = host.call.str @str_out()
  v1 = len.str v0
  return v1
}

func get_unit() -> unit {
b0:
  v0 = host.call.unit @unit_out()
  return
}
`;

const ANYS = `entry @any_int
import host @any_out() -> any
import host @any_in(any) -> unit

func any_int() -> i64 {
b0:
  v0 = host.call.any @any_out()
  v1 = unbox.i64 v0
  return v1
}

func any_f64() -> f64 {
b0:
  v0 = host.call.any @any_out()
  v1 = unbox.f64 v0
  return v1
}

func any_bool() -> bool {
b0:
  v0 = host.call.any @any_out()
  v1 = unbox.bool v0
  return v1
}

func any_null() -> bool {
b0:
  v0 = host.call.any @any_out()
  v1 = is.null v0
  return v1
}

func give_int(v0: i64) -> unit {
b0:
  v1 = box.i64 v0
  v2 = host.call.unit @any_in(v1)
  return
}

func give_f64() -> unit {
b0:
  v0 = const.f64 -2.5
  v1 = box.f64 v0
  v2 = host.call.unit @any_in(v1)
  return
}

func give_bool() -> unit {
b0:
  v0 = const.bool true
  v1 = box.bool v0
  v2 = host.call.unit @any_in(v1)
  return
}

func give_null() -> unit {
b0:
  v0 = null.any
  v1 = host.call.unit @any_in(v0)
  return
}

# A list through an any and back: the same list (a push shows in the original).
func list_round() -> i64 {
b0:
  v0 = newlist
  v1 = box.ref v0
  v2 = host.call.unit @any_in(v1)
  v3 = host.call.any @any_out()
  v4 = unbox.list<i64> v3
  v5 = const.i64 9
  v6 = list.push.i64 v4, v5
  v7 = list.len.i64 v0
  return v7
}
`;

const REFS = `entry @get_list
import host @list_out() -> list<i64>
import host @keep_map(map) -> unit
import host @pair_out() -> struct<Pair>
import host @keep_other(struct<Other>) -> unit
import host @keep_pair(struct<Pair>) -> unit

struct Pair { a: i64 }
struct Other { a: i64 }

func get_list() -> i64 {
b0:
  v0 = host.call.list<i64> @list_out()
  v1 = is.null v0
  branch v1, b1, b2
b1:
  v2 = const.i64 -1
  return v2
b2:
  v3 = list.len.i64 v0
  return v3
}

# A map kept by the host, then given back where a list<i64> is wanted.
func map_as_list() -> i64 {
b0:
  v0 = newmap
  v1 = host.call.unit @keep_map(v0)
  v2 = host.call.list<i64> @list_out()
  v3 = list.len.i64 v2
  return v3
}

func get_pair() -> i64 {
b0:
  v0 = host.call.struct<Pair> @pair_out()
  v1 = struct.get Pair.a v0
  return v1
}

func make_other() -> i64 {
b0:
  v0 = const.i64 4
  v1 = struct.new Other v0
  v2 = struct.new Pair v0
  v3 = host.call.unit @keep_other(v1)
  v4 = host.call.struct<Pair> @pair_out()
  v5 = struct.get Pair.a v4
  return v5
}

func pair_round() -> i64 {
b0:
  v0 = const.i64 4
  v1 = struct.new Pair v0
  v2 = host.call.unit @keep_pair(v1)
  v3 = host.call.struct<Pair> @pair_out()
  v4 = struct.get Pair.a v3
  return v4
}
`;

const FREED = `entry @freed_str
import host @str_in(str) -> i64
import host @host_in(host) -> i64
import host @host_out() -> host

func freed_str() -> i64 {
  str $0 = "ab"
b0:
  v0 = const.str $0
  v1 = concat.str v0, v0
  v2 = free v1
  v3 = host.call.i64 @str_in(v1)
  return v3
}

func null_str() -> i64 {
b0:
  v0 = null.str
  v1 = host.call.i64 @str_in(v0)
  return v1
}

func freed_host() -> i64 {
b0:
  v0 = host.call.host @host_out()
  v1 = free v0
  v2 = host.call.i64 @host_in(v0)
  return v2
}

# The first argument's check comes first: the host function sees nothing.
func live_host() -> i64 {
b0:
  v0 = host.call.host @host_out()
  v1 = host.call.i64 @host_in(v0)
  return v1
}
`;

/** Every host function of the programs above, each unused one a throw; `fns` replaces some. */
function host(fns: Record<string, (...args: any[]) => unknown>): HostFunctions {
  const unused = () => {
    throw new Error("not expected to be called");
  };
  const names = ["i64_out", "i64_in", "f64_out", "bool_out", "bool_in", "str_out", "unit_out", "any_out", "any_in", "list_out", "keep_map", "pair_out", "keep_other", "keep_pair", "str_in", "host_in", "host_out"];
  return { ...Object.fromEntries(names.map((n) => [n, unused])), ...fns };
}

for (const optimize of [false, true]) {
  describe(`WasmGC host calls ${optimize ? "-O" : "-O0"}`, () => {
    const run = (src: string, entry: string, fns: Record<string, (...args: any[]) => unknown>, args: bigint[] = []) =>
      compile(src, optimize).run(entry, args, host(fns));

    test("an i64 result is a bigint in [-2^63, 2^63), never wrapped", () => {
      for (const x of [0n, (1n << 63n) - 1n, -(1n << 63n), 1n << 47n]) expect(shown(run(SCALARS, "get_i64", { i64_out: () => x }))).toBe(`${x}`);
      for (const x of [1n << 63n, -(1n << 63n) - 1n, 1n << 64n, 1, 1.5, "1", true, null, undefined, {}]) {
        const r = run(SCALARS, "get_i64", { i64_out: () => x });
        expect(r).toMatchObject({ kind: "trap", code: TrapCode.HOST_ERROR, name: "HOST_ERROR" });
      }
    });

    test("an i64 argument is the exact bigint", () => {
      let seen: unknown;
      const r = run(SCALARS, "pass_i64", { i64_in: (x: unknown) => ((seen = x), -1n) }, [-(1n << 63n)]);
      expect(shown(r)).toBe("-1");
      expect(seen).toBe(-(1n << 63n));
    });

    test("f64, bool, str and unit results are checked, not coerced", () => {
      expect(shown(run(SCALARS, "get_f64", { f64_out: () => -0.5 }))).toBe("-0.5");
      expect(shown(run(SCALARS, "get_f64", { f64_out: () => NaN }))).toBe("NaN");
      for (const x of [1n, "1", true, null, undefined]) expect(shown(run(SCALARS, "get_f64", { f64_out: () => x }))).toBe("HOST_ERROR");
      expect(shown(run(SCALARS, "get_bool", { bool_out: () => true }))).toBe("true");
      expect(shown(run(SCALARS, "get_bool", { bool_out: () => false }))).toBe("false");
      for (const x of [1, 0, 1n, "true", null, undefined]) expect(shown(run(SCALARS, "get_bool", { bool_out: () => x }))).toBe("HOST_ERROR");
      expect(shown(run(SCALARS, "get_str", { str_out: () => "wörld" }))).toBe('"wörld"');
      for (const x of [1, 1n, null, undefined, { toString: () => "x" }]) expect(shown(run(SCALARS, "get_str", { str_out: () => x }))).toBe("HOST_ERROR");
      // A lone surrogate becomes U+FFFD (3 bytes), as TextEncoder does (host.md §11.3).
      expect(shown(run(SCALARS, "str_bytes", { str_out: () => "\uD800" }))).toBe("3");
      for (const x of [undefined, null, 5, "anything", {}]) expect(shown(run(SCALARS, "get_unit", { unit_out: () => x }))).toBe("unit");
    });

    test("bool arguments are booleans", () => {
      let seen: unknown[] = [];
      expect(shown(run(SCALARS, "pass_bools", { bool_in: (...a: unknown[]) => ((seen = a), a[0] === true && a[1] === false) }))).toBe("true");
      expect(seen).toEqual([true, false]);
    });

    test("a thrown value of any kind is HOST_ERROR, its text the detail", () => {
      const thrown = (value: unknown) => run(SCALARS, "get_i64", {
        i64_out: () => {
          throw value;
        },
      });
      const cases: [unknown, string][] = [
        [new Error("boom"), "boom"],
        [new TypeError(""), "TypeError"],
        ["a string", "a string"],
        [42, "42"],
        [undefined, "undefined"],
        [null, "null"],
        [{ toString: () => "custom" }, "custom"],
        [Object.create(null), "a value that cannot be printed"],
      ];
      for (const [value, detail] of cases) {
        const r = thrown(value);
        expect(r).toMatchObject({ kind: "trap", code: TrapCode.HOST_ERROR });
        expect(r.kind === "trap" && r.message).toContain(`@i64_out threw: ${detail}`);
      }
    });

    test("an any result in every kind, and what does not convert", () => {
      expect(shown(run(ANYS, "any_int", { any_out: () => 5n }))).toBe("5");
      expect(shown(run(ANYS, "any_int", { any_out: () => -(1n << 47n) }))).toBe(`${-(1n << 47n)}`);
      expect(shown(run(ANYS, "any_int", { any_out: () => (1n << 47n) - 1n }))).toBe(`${(1n << 47n) - 1n}`);
      expect(shown(run(ANYS, "any_int", { any_out: () => 1n << 47n }))).toBe("HOST_ERROR");
      expect(shown(run(ANYS, "any_int", { any_out: () => -(1n << 47n) - 1n }))).toBe("HOST_ERROR");
      // A number is an f64 even when it is integral (never an i31).
      expect(shown(run(ANYS, "any_f64", { any_out: () => 3 }))).toBe("3");
      expect(shown(run(ANYS, "any_int", { any_out: () => 3 }))).toBe("WRONG_TYPE");
      expect(shown(run(ANYS, "any_bool", { any_out: () => true }))).toBe("true");
      expect(shown(run(ANYS, "any_bool", { any_out: () => false }))).toBe("false");
      expect(shown(run(ANYS, "any_null", { any_out: () => null }))).toBe("true");
      for (const x of ["text", undefined, {}, [1], () => 1, Symbol("s")]) expect(shown(run(ANYS, "any_null", { any_out: () => x }))).toBe("HOST_ERROR");
    });

    test("an any argument in every kind", () => {
      const seen: unknown[] = [];
      const any_in = (x: unknown) => void seen.push(x);
      for (const n of [5n, -(1n << 30n), 1n << 30n, (1n << 47n) - 1n, -(1n << 47n)]) run(ANYS, "give_int", { any_in }, [n]);
      run(ANYS, "give_f64", { any_in });
      run(ANYS, "give_bool", { any_in });
      run(ANYS, "give_null", { any_in });
      expect(seen).toEqual([5n, -(1n << 30n), 1n << 30n, (1n << 47n) - 1n, -(1n << 47n), -2.5, true, null]);
      let kept: unknown;
      const r = run(ANYS, "list_round", { any_in: (x: unknown) => void (kept = x), any_out: () => kept });
      expect(shown(r)).toBe("1");
      expect(typeof kept).toBe("object");
    });

    test("a typed reference result: null, the right type, or HOST_ERROR", () => {
      expect(shown(run(REFS, "get_list", { list_out: () => null }))).toBe("-1");
      for (const x of [undefined, 0, 5, 1n, "list", {}, [], () => 1]) expect(shown(run(REFS, "get_list", { list_out: () => x }))).toBe("HOST_ERROR");
      let kept: unknown;
      expect(shown(run(REFS, "map_as_list", { keep_map: (m: unknown) => void (kept = m), list_out: () => kept }))).toBe("HOST_ERROR");
      // Another shape, even with the same fields (another type of the rec group), is not the Pair wanted.
      expect(shown(run(REFS, "make_other", { keep_other: (o: unknown) => void (kept = o), pair_out: () => kept }))).toBe("HOST_ERROR");
      expect(shown(run(REFS, "pair_round", { keep_pair: (o: unknown) => void (kept = o), pair_out: () => kept }))).toBe("4");
    });

    test("a freed string or Host slot argument is STALE_HANDLE and the host function is not called", () => {
      let calls = 0;
      const count = () => (calls++, 0n);
      expect(shown(run(FREED, "freed_str", { str_in: count }))).toBe("STALE_HANDLE");
      expect(shown(run(FREED, "freed_host", { host_out: () => ({}), host_in: count }))).toBe("STALE_HANDLE");
      expect(calls).toBe(0);
      let seen: unknown = "unset";
      expect(shown(run(FREED, "null_str", { str_in: (s: unknown) => ((seen = s), 1n) }))).toBe("1");
      expect(seen).toBeNull();
      const value = { mine: true };
      expect(shown(run(FREED, "live_host", { host_out: () => value, host_in: (h: unknown) => (h === value ? 7n : 0n) }))).toBe("7");
    });

    test("a missing host function refuses the run, before anything runs", () => {
      const p = compile(SCALARS, optimize);
      const { i64_out: _, ...rest } = host({}) as Record<string, unknown>;
      expect(() => p.run("get_i64", [], rest)).toThrow(HostLinkError);
      expect(() => p.run("get_i64", [], rest)).toThrow(/@i64_out/);
      expect(() => p.run("get_i64", [], undefined)).toThrow(HostLinkError);
      expect(() => p.run("get_i64", [], { ...rest, i64_out: 5 })).toThrow(/not a function/);
      // Only own properties bind (a module namespace's are its exports).
      expect(() => p.run("get_i64", [], Object.setPrototypeOf({ ...rest }, { i64_out: () => 1n }) as HostFunctions)).toThrow(HostLinkError);
      // Through the engine of the workers: a refused run.
      const program = parse(SCALARS);
      const outcome = new RunEngine().run({ engine: "wasmgc", key: `link${optimize}`, program, binary: emitWasmGc(program, { optimize }), entry: "", args: [] }, () => {}, rest);
      expect(outcome).toMatchObject({ kind: "refused" });
      expect(outcome.kind === "refused" && outcome.message).toContain("@i64_out");
      // A program without host imports needs no host functions.
      const plain = parse("entry @f\nfunc f() -> i64 {\nb0:\n  v0 = const.i64 3\n  return v0\n}\n");
      expect(shown(WasmGcProgram.compile(emitWasmGc(plain, { optimize }), plain).run("", []))).toBe("3");
    });

    test("a trap from the engine side: HOST_ERROR with code 16 through RunEngine", () => {
      const program = parse(SCALARS);
      const outcome = new RunEngine().run(
        { engine: "wasmgc", key: `trap${optimize}`, program, binary: emitWasmGc(program, { optimize }), entry: "", args: [] },
        () => {},
        host({ i64_out: () => 2n ** 63n }),
      );
      expect(outcome).toMatchObject({ kind: "finished", result: { kind: "trap", code: 16, name: "HOST_ERROR" } });
    });

    test("a host function calling back into the program is refused (host.md §11.2)", () => {
      const p = compile(SCALARS, optimize);
      let caught: unknown;
      const fns = host({
        i64_out: () => {
          try {
            p.run("get_i64", [], fns);
          } catch (e) {
            caught = e;
          }
          return 7n;
        },
      });
      expect(shown(p.run("get_i64", [], fns))).toBe("7");
      expect(caught).toBeInstanceOf(RunUsageError);
      expect((caught as Error).message).toMatch(/in progress/);
      // Let escape, the refusal is the outer call's HOST_ERROR.
      const escaping = host({ i64_out: () => p.run("get_i64", [], escaping) });
      const r = p.run("get_i64", [], escaping);
      expect(r).toMatchObject({ kind: "trap", code: TrapCode.HOST_ERROR });
      expect(r.kind === "trap" && r.message).toMatch(/in progress/);
      // Not busy any more, after a result or a trap.
      expect(shown(p.run("get_i64", [], host({ i64_out: () => 1n })))).toBe("1");
    });
  });
}
