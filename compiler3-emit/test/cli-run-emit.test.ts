// `vm3 run` and `vm3 emit`, run as real processes (`node compiler3-emit/src/cli/vm3.ts …`):
// help, results of every entry result type as ir.md §8.9 prints them, traps
// (exit 1), usage errors (exit 2), and the WasmGC module file.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const corpus = (n: string): string => `conformance/programs/corpus/${n}`;
const traps = (n: string): string => `conformance/programs/traps/${n}`;
const heapProgram = (n: string): string => `conformance/programs/heap/${n}`;

function vm3(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ["compiler3-emit/src/cli/vm3.ts", ...args], { cwd: repo, encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), "vm3-run-emit-"));
/** A one-function program `main() -> T` returning `body`'s last value, in the temp dir. */
function program(name: string, text: string): string {
  const path = join(tmp, `${name}.ir`);
  writeFileSync(path, text);
  return path;
}
const ret = (name: string, type: string, lines: string[]): string =>
  program(name, `entry @main\n\nfunc main() -> ${type} {\n${lines.join("\n")}\n}\n`);

describe("help", () => {
  test("vm3 --help lists run and emit", () => {
    const r = vm3("--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/run\s+run a program's entry/);
    expect(r.out).toMatch(/emit\s+compile a program to a WebAssembly GC or handle-ABI module/);
  });
  test.each([
    ["run", "usage: vm3 run PROG [--backend interp|wasmgc|handle-abi]"],
    ["emit", "usage: vm3 emit PROG --target wasmgc|handle-abi [-O] -o OUT"],
  ])("vm3 %s --help", (cmd, usage) => {
    const r = vm3(cmd, "--help");
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toContain(usage);
    expect(r.out).toContain("Exit status:");
    expect(vm3("help", cmd).out).toBe(r.out);
  });
});

describe("vm3 run", () => {
  test.each(["interp", "wasmgc", "handle-abi"])("--timeout ends a loop that never returns on %s (exit 1, the limit on stderr)", (backend) => {
    const r = vm3("run", "conformance/programs/runaway/runaway.ir", "--backend", backend, "--timeout", "0.3", "--", "0");
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^timeout after \d+ ms \(limit 300 ms\)\n$/);
  });

  test("--timeout: a run within the limit prints its result; a trap is still a trap; bad values are usage errors", () => {
    expect(vm3("run", heapProgram("binary_trees.ir"), "--backend", "handle-abi", "--timeout", "60", "--", "10")).toEqual({ code: 0, out: "135854\n", err: "" });
    expect(vm3("run", traps("use_after_free.ir"), "--timeout=60", "1")).toMatchObject({ code: 1, err: expect.stringMatching(/^trap STALE_HANDLE \(code 4\)/) });
    for (const bad of ["0", "-1", "abc", "1e3", "3000000"]) {
      expect(vm3("run", corpus("fib_rec.ir"), `--timeout=${bad}`, "10")).toMatchObject({ code: 2, err: expect.stringContaining("--timeout needs a positive number of seconds") });
    }
  });

  const bombs = "conformance/programs/limits/bombs.ir";
  test.each(["interp", "handle-abi"])("--max-bytes, --max-slots and --variant bound the heap on %s (arenas.md §2.6)", (backend) => {
    const oom = expect.stringMatching(/^trap OUT_OF_MEMORY \(code 8\)/);
    expect(vm3("run", bombs, "--backend", backend, "--entry", "list_push", "--max-bytes", "65536", "--", "0")).toMatchObject({ code: 1, out: "", err: oom });
    expect(vm3("run", bombs, "--backend", backend, "--entry", "chain", "--max-slots=100", "0")).toMatchObject({ code: 1, out: "", err: oom });
    expect(vm3("run", bombs, "--backend", backend, "--entry", "chain", "--variant", "stub", "--max-bytes=65536", "0")).toMatchObject({ code: 1, err: oom });
    // A limit that a finite run stays under changes nothing.
    expect(vm3("run", heapProgram("binary_trees.ir"), "--backend", backend, "--max-bytes", "1000000", "--variant=minimal", "--", "6")).toEqual({ code: 0, out: "4398\n", err: "" });
  });

  test("heap flags: bad values and the WasmGC backend are usage errors; a large --max-bytes raises the worker's heap limit and says so", () => {
    for (const bad of ["--max-bytes=0", "--max-bytes=-1", "--max-bytes=1e6", "--max-slots=x", "--max-slots"]) {
      expect(vm3("run", corpus("fib_rec.ir"), bad, "--", "5")).toMatchObject({ code: 2, err: expect.stringMatching(/--max-(bytes|slots) needs a positive integer/) });
    }
    expect(vm3("run", corpus("fib_rec.ir"), "--variant", "gc", "5")).toMatchObject({ code: 2, err: expect.stringContaining("want auto, minimal or stub") });
    expect(vm3("run", corpus("fib_rec.ir"), "--backend", "wasmgc", "--max-bytes", "1000", "5")).toMatchObject({ code: 2, err: expect.stringContaining("WasmGC's heap is the engine's") });
    const big = vm3("run", corpus("fib_rec.ir"), "--max-bytes", String(2 ** 33), "10");
    expect(big).toMatchObject({ code: 0, out: "55\n" });
    expect(big.err).toMatch(/^vm3 run: --max-bytes 8589934592: the worker's V8 heap limit is raised to \d+ MiB \(arenas.md §2.7\)\n$/);
  });

  test.each(["interp", "wasmgc", "handle-abi"])("--host FILE gives a program its host functions on %s (host.md §11.5)", (backend) => {
    const basic = "conformance/programs/host/basic.ir";
    const lib = "conformance/host/library.ts";
    expect(vm3("run", basic, "--backend", backend, "--host", lib, "--", "-7")).toEqual({ code: 0, out: "-7\n", err: "" });
    expect(vm3("run", basic, "--backend", backend, `--host=${lib}`, "--entry", "greeting")).toEqual({ code: 0, out: "hello, vm3\n", err: "" });
    const failed = vm3("run", basic, "--backend", backend, "--host", lib, "--entry", "failing");
    expect(failed).toMatchObject({ code: 1, out: "" });
    expect(failed.err).toMatch(/^trap HOST_ERROR \(code 16\)/);
    expect(failed.err).toContain("@fail threw: boom");
    // No library, or one without the import: the run is refused before it starts.
    expect(vm3("run", basic, "--backend", backend, "--", "1")).toMatchObject({ code: 2, err: expect.stringContaining("host import @box cannot be bound: no host functions were given") });
    const empty = program(`empty-lib-${backend}`, "");
    const emptyLib = empty.replace(/\.ir$/, ".mjs");
    writeFileSync(emptyLib, "export const unrelated = 1;\n");
    expect(vm3("run", basic, "--backend", backend, "--host", emptyLib, "--", "1")).toMatchObject({ code: 2, err: expect.stringContaining("host import @box cannot be bound: the host functions have none of that name") });
  });

  test("--host: a missing file or value is a usage error", () => {
    expect(vm3("run", corpus("fib_rec.ir"), "--host", "/nonexistent/lib.js", "5")).toMatchObject({ code: 2, err: expect.stringContaining("--host /nonexistent/lib.js: no such file") });
    expect(vm3("run", corpus("fib_rec.ir"), "--host")).toMatchObject({ code: 2, err: expect.stringContaining("--host needs a module file") });
  });

  test("a corpus program on the interpreter (the default backend)", () => {
    expect(vm3("run", corpus("fib_rec.ir"), "10")).toEqual({ code: 0, out: "55\n", err: "" });
    expect(vm3("run", corpus("fib_rec.ir"), "--backend", "interp", "--", "20")).toEqual({ code: 0, out: "6765\n", err: "" });
  });

  test("--entry, and negative arguments with or without --", () => {
    expect(vm3("run", traps("divide_by_zero.ir"), "--entry", "quot", "--", "-7", "2").out).toBe("-3\n");
    expect(vm3("run", traps("divide_by_zero.ir"), "--entry=rem", "-7", "2").out).toBe("-1\n");
    expect(vm3("run", traps("divide_by_zero.ir"), "--entry", "quot", "-9223372036854775808", "-1").out).toBe("-9223372036854775808\n");
  });

  test("every result type, printed as ir.md §8.9 says", () => {
    expect(vm3("run", corpus("f64_sqrt_sum.ir"), "2").out).toBe("2.414213562373095\n");
    const f64 = (name: string, literal: string) => ret(name, "f64", ["b0:", `  v0 = const.f64 ${literal}`, "  return v0"]);
    expect(vm3("run", f64("nan", "nan:0xfff8000000000001")).out).toBe("nan\n"); // every NaN is the canonical one
    expect(vm3("run", f64("negzero", "-0")).out).toBe("-0\n");
    expect(vm3("run", f64("inf", "-inf")).out).toBe("-inf\n");
    expect(vm3("run", f64("big", "1e+21")).out).toBe("1e+21\n");
    expect(vm3("run", ret("bool", "bool", ["b0:", "  v0 = const.bool true", "  return v0"])).out).toBe("true\n");
    const str = ret("str", "str", ['  str $0 = "héllo, wörld"', "b0:", "  v0 = const.str $0", "  return v0"]);
    expect(vm3("run", str)).toEqual({ code: 0, out: "héllo, wörld\n", err: "" });
    expect(vm3("run", ret("unit", "unit", ["b0:", "  return"]))).toEqual({ code: 0, out: "", err: "" });
  });

  test("a trap prints its name, code and site on stderr and exits 1", () => {
    expect(vm3("run", traps("divide_by_zero.ir"), "0")).toEqual({
      code: 1,
      out: "",
      err: "trap DIVIDE_BY_ZERO (code 12) at func divide_by_zero: b0: v2\n",
    });
    const r = vm3("run", traps("out_of_bounds.ir"), "3");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^trap OUT_OF_BOUNDS \(code 5\) at func out_of_bounds: b\d+: v\d+\n$/);
    expect(vm3("run", traps("stack_overflow.ir"), "0")).toMatchObject({ code: 1, err: expect.stringMatching(/^trap STACK_OVERFLOW \(code 15\)/) });
  });

  test("an invalid program prints its violations and exits 1 without running", () => {
    const bad = program("bad", "entry @main\n\nfunc main(v0: i64) -> i64 {\nb0:\n  v1 = i64.to.f64 v0\n  return v1\n}\n");
    expect(vm3("run", bad, "1")).toEqual({ code: 1, out: "", err: `${bad}:6: func main: b0: return v1 has type f64, want i64\n` });
    expect(vm3("run", join(tmp, "missing.ir"))).toMatchObject({ code: 1, err: expect.stringContaining("cannot read") });
  });

  test.each([
    [[], /missing PROG/],
    [[corpus("fib_rec.ir")], /fib_rec\(v0: i64\) takes 1 argument, got 0/],
    [[corpus("fib_rec.ir"), "1", "2"], /fib_rec\(v0: i64\) takes 1 argument, got 2/],
    [[corpus("fib_rec.ir"), "ten"], /argument 1: expected an integer, got "ten"/],
    [[corpus("fib_rec.ir"), "--", "1e3"], /argument 1: expected an integer, got "1e3"/],
    [[corpus("fib_rec.ir"), "9223372036854775808"], /argument 1: integer 9223372036854775808 is outside int64/],
    [[corpus("fib_rec.ir"), "--backend", "jvm", "1"], /--backend jvm: want interp, wasmgc, handle-abi/],
    [[corpus("fib_rec.ir"), "--backend"], /--backend needs a value/],
    [[corpus("fib_rec.ir"), "--entry", "nope", "1"], /no function named nope \(functions: fib_rec\)/],
    [["conformance/programs/heap/binary_trees.ir", "--entry", "check", "1"], /cannot be an entry: parameter v0 is struct<Node>, not i64/],
    [[corpus("fib_rec.ir"), "-O0", "1"], /-O0 applies only to the compiled backends/],
    [[corpus("fib_rec.ir"), "--fast", "1"], /unknown flag --fast/],
  ])("usage error: vm3 run %j exits 2", (args, message) => {
    const r = vm3("run", ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(message);
    expect(r.err).toContain("run 'vm3 run --help' for usage");
  });

  test("--backend wasmgc gives the interpreter's results and traps", () => {
    expect(vm3("run", corpus("fib_rec.ir"), "--backend", "wasmgc", "20")).toEqual({ code: 0, out: "6765\n", err: "" });
    expect(vm3("run", corpus("f64_sqrt_sum.ir"), "--backend=wasmgc", "-O0", "2")).toEqual({ code: 0, out: "2.414213562373095\n", err: "" });
    expect(vm3("run", ret("str2", "str", ['  str $0 = "ok"', "b0:", "  v0 = const.str $0", "  return v0"]), "--backend", "wasmgc").out).toBe("ok\n");
    const r = vm3("run", traps("divide_by_zero.ir"), "--backend", "wasmgc", "0");
    expect(r).toMatchObject({ code: 1, out: "" });
    expect(r.err).toMatch(/^trap DIVIDE_BY_ZERO \(code 12\)/);
    expect(vm3("run", corpus("fib_rec.ir"), "--backend", "wasmgc")).toMatchObject({ code: 2, err: expect.stringContaining("takes 1 argument, got 0") });
  });
});

test("--backend handle-abi runs the module with the TypeScript heap, results and traps as the interpreter's", () => {
  expect(vm3("run", corpus("fib_rec.ir"), "--backend", "handle-abi", "20")).toEqual({ code: 0, out: "6765\n", err: "" });
  expect(vm3("run", heapProgram("binary_trees.ir"), "--backend=handle-abi", "-O0", "8")).toEqual({ code: 0, out: "25774\n", err: "" });
  const r = vm3("run", traps("use_after_free.ir"), "--backend", "handle-abi", "1");
  expect(r).toMatchObject({ code: 1, out: "" });
  expect(r.err).toMatch(/^trap STALE_HANDLE \(code 4\)/);
});

describe("vm3 emit", () => {
  const wasmApi = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;

  test.each([[[]], [["-O"]]])("writes a WasmGC module the engine accepts (flags %j), with a one-line summary", (flags) => {
    const dir = mkdtempSync(join(tmp, "emit-"));
    const out = join(dir, "fib.wasm");
    const r = vm3("emit", corpus("fib_rec.ir"), "--target", "wasmgc", ...flags, "-o", out);
    expect(r).toMatchObject({ code: 0, out: "" });
    const bytes = new Uint8Array(readFileSync(out));
    expect([...bytes.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]); // \0asm
    expect(wasmApi.validate(bytes)).toBe(true);
    expect(r.err).toBe(`vm3 emit: wrote ${out}: ${bytes.length} bytes (wasmgc${flags.length > 0 ? ", optimized" : ""})\n`);
    expect(readdirSync(dir)).toEqual(["fib.wasm"]); // no temp file left beside it
  });

  test.each([[[]], [["-O"]]])("writes a handle-ABI module without GC (flags %j) that imports vm3 and exports memory and vm3_init", (flags) => {
    const dir = mkdtempSync(join(tmp, "emit-abi-"));
    const out = join(dir, "bt.wasm");
    const r = vm3("emit", heapProgram("binary_trees.ir"), "--target", "handle-abi", ...flags, "-o", out);
    expect(r).toMatchObject({ code: 0, out: "" });
    const bytes = new Uint8Array(readFileSync(out));
    const mod = new (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object } }).WebAssembly.Module(bytes);
    const api = (globalThis as unknown as { WebAssembly: { Module: { imports(m: object): { module: string }[]; exports(m: object): { name: string }[] } } }).WebAssembly.Module;
    expect(new Set(api.imports(mod).map((i) => i.module))).toEqual(new Set(["vm3"]));
    expect(api.exports(mod).map((e) => e.name)).toEqual(expect.arrayContaining(["memory", "vm3_init", "binary_trees"]));
    expect(r.err).toBe(`vm3 emit: wrote ${out}: ${bytes.length} bytes (handle-abi${flags.length > 0 ? ", optimized" : ""})\n`);
  });

  test("an invalid program: violations, exit 1, and OUT left as it was", () => {
    const dir = mkdtempSync(join(tmp, "emit-bad-"));
    const out = join(dir, "out.wasm");
    writeFileSync(out, "old");
    const bad = program("bad-emit", "entry @main\n\nfunc main() -> i64 {\nb0:\n  v0 = const.bool true\n  return v0\n}\n");
    const r = vm3("emit", bad, "--target=wasmgc", "-o", out);
    expect(r).toEqual({ code: 1, out: "", err: `${bad}:6: func main: b0: return v0 has type bool, want i64\n` });
    expect(readFileSync(out, "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["out.wasm"]);
  });

  test("a write error exits 1 and leaves nothing behind", () => {
    const dir = mkdtempSync(join(tmp, "emit-ro-"));
    const out = join(dir, "no-such-dir", "fib.wasm");
    const r = vm3("emit", corpus("fib_rec.ir"), "--target", "wasmgc", "-o", out);
    expect(r).toMatchObject({ code: 1, err: expect.stringMatching(/cannot write .*ENOENT/) });
    expect(existsSync(join(dir, "no-such-dir"))).toBe(false);
    // A directory where the file should go: the temp file is written, the rename fails, the temp file is removed.
    const asDir = join(dir, "taken.wasm");
    mkdirSync(asDir);
    expect(vm3("emit", corpus("fib_rec.ir"), "--target", "wasmgc", "-o", asDir).code).toBe(1);
    expect(readdirSync(dir)).toEqual(["taken.wasm"]);
  });

  test.each([
    [[corpus("fib_rec.ir"), "-o", "x.wasm"], /missing --target \(known targets: wasmgc, handle-abi\)/],
    [[corpus("fib_rec.ir"), "--target", "gc", "-o", "x.wasm"], /unknown target "gc" \(known targets: wasmgc, handle-abi\)/],
    [[corpus("fib_rec.ir"), "--target"], /--target needs a value/],
    [[corpus("fib_rec.ir"), "--target", "wasmgc"], /missing -o OUT/],
    [["--target", "wasmgc", "-o", "x.wasm"], /missing PROG/],
    [[corpus("fib_rec.ir"), "-O2", "--target", "wasmgc", "-o", "x.wasm"], /unknown flag -O2/],
  ])("usage error: vm3 emit %j exits 2", (args, message) => {
    const r = vm3("emit", ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(message);
  });
});

test("package.json's bin runs vm3.ts directly (Node's type stripping needs no build step)", () => {
  const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { bin: Record<string, string> };
  const bin = join(repo, pkg.bin.vm3!);
  expect(pkg.bin.vm3).toBe("compiler3-emit/src/cli/vm3.ts");
  expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  expect(statSync(bin).mode & 0o111).not.toBe(0);
});
