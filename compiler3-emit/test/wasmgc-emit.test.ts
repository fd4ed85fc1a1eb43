// The IR → WasmGC emitter, end to end: every program vector of
// conformance/programs/*.json compiled at -O0 and -O and run in this engine
// (ir.md §8.9's result, or the same trap code), plus the properties the
// spec asks of the target that no vector shows: call depth of at least
// 10,000 frames (§8.8), mutual tail calls in constant stack, a program
// without `free` paying nothing for it, and clear errors.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import * as conformanceHost from "../../conformance/host/library.ts";
import { loadProgram } from "../src/ir/load.ts";
import type { Program } from "../src/ir/model.ts";
import { parseText } from "../src/ir/text-parser.ts";
import { validate } from "../src/ir/validate.ts";
import { emitWasmGc, emitWasmGcModule } from "../src/wasmgc/emit.ts";
import { WasmGcProgram } from "../src/wasmgc/run.ts";
import { inWorker, shown, shownOutcome, wanted, wasmGcSkip, workerOutcome, type Vector } from "./program-vectors.ts";

const DIR = join(import.meta.dirname, "../../conformance/programs");

const compiled = new Map<string, WasmGcProgram>();
function compile(file: string, optimize: boolean): WasmGcProgram {
  const key = `${file}:${optimize}`;
  let p = compiled.get(key);
  if (p === undefined) {
    const { program } = loadProgram(file, readFileSync(file));
    expect(validate(program)).toEqual([]);
    p = WasmGcProgram.compile(emitWasmGc(program, { optimize }), program);
    compiled.set(key, p);
  }
  return p;
}

for (const optimize of [false, true]) {
  for (const name of readdirSync(DIR).filter((f) => f.endsWith(".json")).sort()) {
    const file = join(DIR, name);
    const vf = JSON.parse(readFileSync(file, "utf8")) as { suite: string; programs: Vector[] };
    describe(`${vf.suite} on WasmGC ${optimize ? "-O" : "-O0"}`, () => {
      for (const v of vf.programs.filter((v) => wasmGcSkip(v) !== undefined)) test.skip(`${v.name} (skipped: ${wasmGcSkip(v)})`, () => {});
      test.each(vf.programs.filter((v) => wasmGcSkip(v) === undefined).map((v) => [v.name, v] as const))("%s", async (_n, v) => {
        if (inWorker(v)) {
          const { program } = loadProgram(v.program, readFileSync(join(dirname(file), v.program)));
          expect(shownOutcome(await workerOutcome("wasmgc", program, emitWasmGc(program, { optimize }), v))).toEqual(wanted(v.expect));
          return;
        }
        const p = compile(join(dirname(file), v.program), optimize);
        const r = p.run(v.entry ?? "", (v.args ?? []).map((a) => BigInt(a)), conformanceHost);
        expect(shown(r)).toEqual(wanted(v.expect));
      });
    });
  }
}

function program(src: string): Program {
  const { program, sourceMap } = parseText(src, "test.ir");
  expect(validate(program, { sourceMap }).map((e) => e.text)).toEqual([]);
  return program;
}

const DEPTH = `entry @depth
func depth(v0: i64) -> i64 {
b0:
  v1 = cmp.le.i64.imm v0, 0
  branch v1, b1, b2
b1:
  return v0
b2:
  v2 = subk.i64 v0, 1
  v3 = call.i64 @depth(v2)
  v4 = addk.i64 v3, 1
  return v4
}
`;

const MUTUAL = `entry @even
func even(v0: i64) -> bool {
b0:
  v1 = cmp.eq.i64.imm v0, 0
  branch v1, b1, b2
b1:
  v2 = const.bool true
  return v2
b2:
  v3 = subk.i64 v0, 1
  v4 = tailcall.bool @odd(v3)
  return v4
}
func odd(v0: i64) -> bool {
b0:
  v1 = cmp.eq.i64.imm v0, 0
  branch v1, b1, b2
b1:
  v2 = const.bool false
  return v2
b2:
  v3 = subk.i64 v0, 1
  v4 = tailcall.bool @even(v3)
  return v4
}
`;

describe("WasmGC target properties", () => {
  test.each([false, true])("non-tail calls reach at least 10,000 frames (ir.md §8.8), -O %s", (optimize) => {
    const p = program(DEPTH);
    const run = WasmGcProgram.compile(emitWasmGc(p, { optimize }), p);
    expect(run.run("", [10_000n])).toEqual({ kind: "ok", value: { type: "i64", i64: 10_000n } });
  });

  test("mutual tail calls (return_call) run 1,000,000 deep in constant stack", () => {
    const p = program(MUTUAL);
    const run = WasmGcProgram.compile(emitWasmGc(p, { optimize: true }), p);
    expect(run.run("", [1_000_001n])).toEqual({ kind: "ok", value: { type: "bool", bool: false } });
  });

  test("a program without free has no freed marks; one with free has them", () => {
    const text = (p: Program) => {
      const m = emitWasmGcModule(p);
      try {
        return m.emitText();
      } finally {
        m.dispose();
      }
    };
    const free = (file: string) => loadProgram(file, readFileSync(join(DIR, file))).program;
    expect(text(free("heap/binary_trees.ir"))).not.toMatch(/freed/);
    expect(text(free("traps/use_after_free.ir"))).toMatch(/freed/);
  });

  test("a wrong argument count or an unknown entry is a usage error, not a trap", () => {
    const p = program(DEPTH);
    const run = WasmGcProgram.compile(emitWasmGc(p), p);
    expect(() => run.run("", [])).toThrow(/takes 1 argument/);
    expect(() => run.run("nope", [1n])).toThrow(/no function named nope/);
  });

  test("a string constant past array.new_fixed's 10,000 operands compiles (a data segment, wasmgc.md §9.6; it was an EmitError)", () => {
    const long = "x".repeat(10_001);
    const p = program(`entry @f\nfunc f() -> i64 {\n  str $0 = "${long}"\nb0:\n  v0 = const.str $0\n  v1 = len.str v0\n  return v1\n}\n`);
    expect(WasmGcProgram.compile(emitWasmGc(p), p).run("f", [])).toEqual({ kind: "ok", value: { type: "i64", i64: 10_001n } });
  });
});

test("an engine allocation failure (V8: 'requested new array is too large') is the trap OUT_OF_MEMORY, not an exception", async () => {
  const bomb = program(`entry @push_forever
func push_forever(v0: i64) -> i64 {
b0:
  v1 = newf64array
  v2 = const.f64 1.5
  jump b1
b1:
  v3 = f64arr.push.f64 v1, v2
  jump b1
}
`);
  // In a worker, as every Node run is: the arrays the doubling makes before V8 refuses stay off the test thread's heap.
  const out = await workerOutcome("wasmgc", bomb, emitWasmGc(bomb, { optimize: true }), { name: "bomb", program: "bomb", args: [0], expect: {}, timeoutMs: 120_000 });
  expect(out).toMatchObject({ kind: "finished", result: { kind: "trap", name: "OUT_OF_MEMORY" } });
});
