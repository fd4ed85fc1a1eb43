// The runner's program path (run.ts runProgramFile) on the in-process program
// backends: the traps suite and one vector per corpus/heap program on interp
// and wasmgc-node (the slow, large-n vectors are left to `npm run
// conformance`), and the runner's handling of skips, usage errors and a
// backend that throws.
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { TesteeRequest, TesteeResponse } from "../protocol/messages.ts";
import type { Backend, VectorKind } from "../runner/backend.ts";
import type { CaseResult } from "../runner/cases.ts";
import { InterpBackend } from "../runner/interp-backend.ts";
import { ProgramCache } from "../runner/program-files.ts";
import { runFile } from "../runner/run.ts";
import { isProblem, loadVectorFile, type VectorFile } from "../runner/vector-files.ts";
import { OUT_OF_MEMORY_SKIP, WasmGcNodeBackend } from "../runner/wasmgc-backend.ts";
import { HandleAbiNodeBackend } from "../runner/handle-abi-backends.ts";
import { testChain } from "../../compiler3-emit/test/large-programs.ts";

const PROGRAMS = fileURLToPath(new URL("../programs/", import.meta.url));

function programFile(path: string): Extract<VectorFile, { kind: "program" }> {
  const loaded = loadVectorFile(path);
  if (isProblem(loaded)) throw new Error(`${loaded.path}: ${loaded.message}`);
  if (loaded.kind !== "program") throw new Error(`${path} is not a program vector file`);
  return loaded;
}

/** The first vector of each program in `file`: every program compiled and run once, at its smallest n. */
function firstPerProgram(file: Extract<VectorFile, { kind: "program" }>): Extract<VectorFile, { kind: "program" }> {
  const seen = new Set<string>();
  const programs = (file.file.programs ?? []).filter((v) => !seen.has(v.program ?? "") && seen.add(v.program ?? ""));
  return { ...file, file: { ...file.file, programs } };
}

async function run(file: VectorFile, backends: Backend[]): Promise<CaseResult[]> {
  return runFile(file, backends, new ProgramCache(), () => {});
}

const failures = (cases: CaseResult[]) => cases.filter((c) => c.status !== "passed").map((c) => `${c.backend} ${c.name}: ${c.status} ${c.detail}`);

describe("program vectors on interp and wasmgc-node", () => {
  const backends = () => [new InterpBackend(), new WasmGcNodeBackend()];

  it("traps suite: every vector passes on both", async () => {
    const file = programFile(join(PROGRAMS, "traps.json"));
    const cases = await run(file, backends());
    expect(failures(cases)).toEqual([]);
    expect(cases).toHaveLength(2 * (file.file.programs ?? []).length);
  });

  it.each(["corpus.json", "heap.json"])("%s: one vector per program passes on both", async (name) => {
    const file = firstPerProgram(programFile(join(PROGRAMS, name)));
    const cases = await run(file, backends());
    expect(failures(cases)).toEqual([]);
    expect(cases.length).toBeGreaterThan(2);
  });

  it("unoptimized WasmGC agrees too (traps suite)", async () => {
    const cases = await run(programFile(join(PROGRAMS, "traps.json")), [new InterpBackend(), new WasmGcNodeBackend({ optimize: false })]);
    expect(failures(cases)).toEqual([]);
  });
});

/** A vector file of made-up vectors in a temp dir beside a copy of fib_rec.ir (FIB): programs are named relative to the vector file, below its folder. */
function madeUp(programs: object[], extra: Record<string, string> = {}): Extract<VectorFile, { kind: "program" }> {
  const dir = mkdtempSync(join(tmpdir(), "vm3-prog-"));
  writeFileSync(join(dir, FIB), readFileSync(join(PROGRAMS, "corpus/fib_rec.ir")));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  const path = join(dir, "made-up.json");
  writeFileSync(path, JSON.stringify({ suite: "made-up", programs }));
  return programFile(path);
}
const FIB = "fib_rec.ir";

describe("the runner's program path", () => {
  it("reads programs only from below the vector file's folder", async () => {
    const outside = join(PROGRAMS, "corpus/fib_rec.ir");
    const file = madeUp([
      { name: "up", program: "../../etc/passwd", args: [1], expect: { i64: 1 } },
      { name: "absolute", program: outside, args: [1], expect: { i64: 1 } },
      { name: "link", program: "link.ir", args: [1], expect: { i64: 1 } },
      { name: "inside", program: FIB, args: [10], expect: { i64: 55 } },
    ]);
    symlinkSync(outside, join(dirname(file.absolutePath), "link.ir"));
    const cases = await run(file, [new InterpBackend()]);
    expect(cases.map((c) => [c.name, c.status, c.detail.replace(/ to \/.*/, " to …")])).toEqual([
      ["up", "failed", 'program path "../../etc/passwd" leaves the vector file\'s folder (conformance.md §6.5: a relative path below it)'],
      ["absolute", "failed", `program path ${JSON.stringify(outside)} leaves the vector file's folder (conformance.md §6.5: a relative path below it)`],
      ["link", "failed", 'program path "link.ir" leaves the vector file\'s folder (conformance.md §6.5: a relative path below it): it is a link to …'],
      ["inside", "passed", ""],
    ]);
  });

  it("skips OUT_OF_MEMORY vectors on wasmgc-node with the reason, and still runs them on interp", async () => {
    const file = madeUp([{ name: "oom", program: FIB, args: [3], expect: { trap: "OUT_OF_MEMORY" } }]);
    const cases = await run(file, [new InterpBackend(), new WasmGcNodeBackend()]);
    expect(cases).toEqual([
      // fib_rec(3) cannot run out of memory: the interpreter ran it and it fails.
      { suite: "made-up", name: "oom", backend: "interp", status: "failed", detail: "expected trap OUT_OF_MEMORY, got i64 2" },
      { suite: "made-up", name: "oom", backend: "wasmgc-node", status: "skipped", detail: OUT_OF_MEMORY_SKIP },
    ]);
    expect(new WasmGcNodeBackend().skipProgram({ expect: { trap: "STACK_OVERFLOW" } })).toBeUndefined();
  });

  it("reports a wrong argument count as a run that could not start (ir.md §8.9), on both", async () => {
    const file = madeUp([{ name: "no-args", program: FIB, args: [], expect: { i64: 0 } }]);
    const cases = await run(file, [new InterpBackend(), new WasmGcNodeBackend()]);
    expect(cases.map((c) => [c.backend, c.status, c.detail])).toEqual([
      ["interp", "failed", "the run could not start: fib_rec takes 1 argument(s), got 0"],
      ["wasmgc-node", "failed", "the run could not start: fib_rec takes 1 argument(s), got 0"],
    ]);
  });

  it("turns a backend that throws, or answers garbage, into that backend's failed case", async () => {
    const throwing: Backend = {
      name: "throws",
      kinds: new Set<VectorKind>(["program"]),
      serve(_request: TesteeRequest): Promise<TesteeResponse> {
        throw new Error("boom"); // synchronously, not a rejection
      },
      async close() {},
    };
    const empty: Backend = { name: "empty", kinds: new Set<VectorKind>(["program"]), serve: async () => ({}), close: async () => {} };
    const file = madeUp([{ name: "fib-10", program: FIB, args: [10], expect: { i64: 55 } }]);
    const cases = await run(file, [new InterpBackend(), throwing, empty]);
    expect(cases.map((c) => [c.backend, c.status, c.detail])).toEqual([
      ["interp", "passed", ""],
      ["throws", "failed", "backend failed: boom"],
      ["empty", "failed", "answer has no program outcome"],
    ]);
  });

  it("does not count a different trap site as a disagreement (testee.proto: trap_site is for people)", async () => {
    const other: Backend = {
      name: "other-site",
      kinds: new Set<VectorKind>(["program"]),
      serve: async () => ({ program: { trap: "DIVIDE_BY_ZERO", trapSite: "func elsewhere" } }),
      close: async () => {},
    };
    const div = readFileSync(join(PROGRAMS, "traps/divide_by_zero.ir"), "utf8");
    const file = madeUp([{ name: "div0", program: "div.ir", args: [0], expect: { trap: "DIVIDE_BY_ZERO" } }], { "div.ir": div });
    const cases = await run(file, [new InterpBackend(), other]);
    expect(cases.map((c) => c.status)).toEqual(["passed", "passed"]);
  });

  it("fails a backend that passes but observes something else than the first (a NaN that is not canonical)", async () => {
    const nan = "entry @main\n\nfunc main() -> f64 {\nb0:\n  v0 = const.f64 nan\n  return v0\n}\n";
    // ir.md §8.9 reports every NaN as the canonical one; this fake does not.
    const payload: Backend = {
      name: "payload-nan",
      kinds: new Set<VectorKind>(["program"]),
      serve: async () => ({ program: { f64Bits: 0x7ff8_0000_0000_0001n } }),
      close: async () => {},
    };
    const file = madeUp([{ name: "nan", program: "nan.ir", expect: { f64: "NaN" } }], { "nan.ir": nan });
    const cases = await run(file, [new InterpBackend(), payload]);
    expect(cases.map((c) => [c.backend, c.status, c.detail])).toEqual([
      ["interp", "passed", ""],
      ["payload-nan", "failed", "disagrees with interp: f64 NaN (0x7FF8000000000001) vs f64 NaN (0x7FF8000000000000)"],
    ]);
  });
});

describe("a program with a large function (thousands of blocks) compiles for the runner's backends too", () => {
  // compile-thread.ts: binaryen's Relooper overflows the main thread's stack
  // on 5,000 blocks even at -O0; the runner's module caches compile such a
  // program in the compile thread, as `vm3 emit` does.
  it("5,000 blocks: the interpreter, WasmGC -O0 (which overflows the main thread) and the handle-ABI module agree", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vm3-large-"));
    writeFileSync(join(dir, "chain.ir"), testChain(5_000));
    const vectors = [4_999, 5_000, 5_001].map((n) => ({ name: `chain-${n}`, program: "chain.ir", args: [String(n)], expect: { i64: String(n <= 5_000 ? 7 * n : n) } }));
    writeFileSync(join(dir, "large.json"), JSON.stringify({ suite: "large", programs: vectors }));
    const backends = [new InterpBackend(), new WasmGcNodeBackend({ optimize: false }), new HandleAbiNodeBackend()];
    try {
      const cases = await run(programFile(join(dir, "large.json")), backends);
      expect(failures(cases)).toEqual([]);
      expect(cases.length).toBe(9);
    } finally {
      await Promise.all(backends.map((b) => b.close()));
    }
  });
});
