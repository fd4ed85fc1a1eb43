// Differential test of both compile targets — WasmGC at -O0 and -O, and the
// handle ABI under Node with the TypeScript heap — against the reference
// interpreter (ir.md §8.3: the interpreter's result or trap code defines a
// program's meaning). fast-check writes random straight-line IR functions over i64,
// f64 and bool values drawn from the edge cases of §8.6 (MinInt64, -1, 0,
// 2^47, NaN, ±0, ±inf, subnormals), with every scalar op, boxing, list<i64>
// pushes and indexed reads, and struct fields (48-bit stores); each program
// runs on every target with random arguments, and the outcomes (value bits
// or trap code) must be identical.
//
// VM3_TARGETS_DIFF_RUNS sets the number of programs (default 300).
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseText } from "../src/ir/text-parser.ts";
import { validate } from "../src/ir/validate.ts";
import { emitWasmGc } from "../src/wasmgc/emit.ts";
import { WasmGcProgram } from "../src/wasmgc/run.ts";
import { emitHandleAbi } from "../src/handleabi/emit.ts";
import { HandleAbiProgram } from "../../ts-runtime/src/abi-host/index.ts";
import { runProgram, type RunResult } from "../../ts-runtime/src/interp/run.ts";

const RUNS = Number(process.env.VM3_TARGETS_DIFF_RUNS ?? 300);

const I64_EDGES = ["0", "1", "-1", "2", "7", "-7", "1073741823", "1073741824", "-1073741824", "-1073741825",
  "140737488355327", "140737488355328", "-140737488355328", "-140737488355329",
  "9223372036854775807", "-9223372036854775808", "4294967296", "-3"];
const F64_EDGES = ["0", "-0", "1", "-1", "0.5", "0.1", "3", "1e308", "-1e308", "5e-324", "2.2250738585072014e-308",
  "inf", "-inf", "nan", "9223372036854775807", "-9223372036854775808", "1.5", "-2.5", "1e-300", "4503599627370497"];

type Kind = "i64" | "f64" | "bool";
type Step = { op: string; arity: Kind[]; result: Kind; imm?: boolean };

const STEPS: Step[] = [
  ...["add", "sub", "mul", "div", "mod"].map((o): Step => ({ op: `${o}.i64`, arity: ["i64", "i64"], result: "i64" })),
  ...["addk", "subk", "mulk", "divk", "modk"].map((o): Step => ({ op: `${o}.i64`, arity: ["i64"], result: "i64", imm: true })),
  { op: "neg.i64", arity: ["i64"], result: "i64" },
  ...["add", "sub", "mul", "div"].map((o): Step => ({ op: `${o}.f64`, arity: ["f64", "f64"], result: "f64" })),
  { op: "neg.f64", arity: ["f64"], result: "f64" },
  { op: "sqrt.f64", arity: ["f64"], result: "f64" },
  { op: "fma.f64", arity: ["f64", "f64", "f64"], result: "f64" },
  { op: "i64.to.f64", arity: ["i64"], result: "f64" },
  { op: "f64.to.i64", arity: ["f64"], result: "i64" },
  ...["eq", "ne", "lt", "le", "gt", "ge"].map((c): Step => ({ op: `cmp.${c}.i64`, arity: ["i64", "i64"], result: "bool" })),
  ...["eq", "lt", "ge"].map((c): Step => ({ op: `cmp.${c}.i64.imm`, arity: ["i64"], result: "bool", imm: true })),
  ...["eq", "ne", "lt", "le", "gt", "ge"].map((c): Step => ({ op: `cmp.${c}.f64`, arity: ["f64", "f64"], result: "bool" })),
  { op: "not.bool", arity: ["bool"], result: "bool" },
  ...["and", "or"].map((o): Step => ({ op: `${o}.bool`, arity: ["bool", "bool"], result: "bool" })),
  ...["eq", "ne"].map((o): Step => ({ op: `cmp.${o}.bool`, arity: ["bool", "bool"], result: "bool" })),
];

/** One generated line: a step with operand picks (indexes into earlier values of the kind) or a special form. */
type Line =
  | { t: "step"; step: number; picks: number[]; imm: number }
  | { t: "const"; kind: Kind; lit: number }
  | { t: "box"; kind: "i64" | "f64"; pick: number; as: "i64" | "f64" | "bool" }
  | { t: "list"; pushes: number[]; index: number }
  | { t: "field"; pick: number };

const line: fc.Arbitrary<Line> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant("step" as const), step: fc.nat(STEPS.length - 1), picks: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), imm: fc.nat(I64_EDGES.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("const" as const), kind: fc.constantFrom<Kind>("i64", "f64", "bool"), lit: fc.nat(100) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("box" as const), kind: fc.constantFrom("i64" as const, "f64" as const), pick: fc.nat(), as: fc.constantFrom("i64" as const, "f64" as const, "bool" as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("list" as const), pushes: fc.array(fc.nat(), { maxLength: 3 }), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("field" as const), pick: fc.nat() }) },
);

/** The text of a program `main(v0, v1)` from the lines, returning a fold of every value of `resultKind`. */
function programText(lines: Line[], resultKind: Kind, resultPick: number): string {
  const pools: Record<Kind, string[]> = { i64: ["v0", "v1"], f64: [], bool: [] };
  const out: string[] = [];
  let n = 2;
  const def = (kind: Kind, rhs: string): string => {
    const v = `v${n++}`;
    out.push(`  ${v} = ${rhs}`);
    pools[kind].push(v);
    return v;
  };
  const fresh = (rhs: string): string => {
    const v = `v${n++}`;
    out.push(`  ${v} = ${rhs}`);
    return v;
  };
  def("f64", "i64.to.f64 v0");
  def("bool", "cmp.lt.i64 v0, v1");
  const pick = (kind: Kind, i: number): string => pools[kind][i % pools[kind].length]!;
  for (const l of lines) {
    switch (l.t) {
      case "step": {
        const s = STEPS[l.step]!;
        const args = s.arity.map((k, i) => pick(k, l.picks[i]!));
        const imm = s.imm ? `, ${I64_EDGES[l.imm]!}` : "";
        def(s.result, `${s.op} ${args.join(", ")}${imm}`);
        break;
      }
      case "const":
        if (l.kind === "i64") def("i64", `const.i64 ${I64_EDGES[l.lit % I64_EDGES.length]!}`);
        else if (l.kind === "f64") def("f64", `const.f64 ${F64_EDGES[l.lit % F64_EDGES.length]!}`);
        else def("bool", `const.bool ${l.lit % 2 === 0 ? "true" : "false"}`);
        break;
      case "box": {
        const boxed = fresh(`box.${l.kind} ${pick(l.kind, l.pick)}`);
        def(l.as, `unbox.${l.as} ${boxed}`);
        break;
      }
      case "list": {
        const list = fresh("newlist");
        for (const p of l.pushes) fresh(`list.push.i64 ${list}, ${pick("i64", p)}`);
        def("i64", `list.get.i64 ${list}, ${pick("i64", l.index)}`);
        break;
      }
      case "field": {
        const s = fresh(`struct.new Cell ${pick("i64", l.pick)}, ${pick("f64", l.pick)}`);
        def("i64", `struct.get Cell.i ${s}`);
        break;
      }
    }
  }
  // The result folds every value of its kind, so that no generated op is dead.
  const pool = pools[resultKind];
  const values = pool.length > 1 ? pool.slice(resultPick % 2) : pool;
  let result = values[0]!;
  for (const v of values.slice(1)) {
    if (resultKind === "i64") result = fresh(`add.i64 ${fresh(`mulk.i64 ${result}, 31`)}, ${v}`);
    else if (resultKind === "f64") result = fresh(`fma.f64 ${result}, ${pick("f64", 1)}, ${v}`);
    else result = fresh(`cmp.eq.bool ${result}, ${v}`);
  }
  return `entry @main\nstruct Cell { i: i64, f: f64 }\nfunc main(v0: i64, v1: i64) -> ${resultKind} {\nb0:\n${out.join("\n")}\n  return ${result}\n}\n`;
}

function outcome(r: RunResult): string {
  if (r.kind === "trap") return `trap ${r.name}`;
  const v = r.value;
  switch (v.type) {
    case "f64": return `f64 ${v.bits.toString(16)}`;
    case "i64": return `i64 ${v.i64}`;
    case "bool": return `bool ${v.bool}`;
    default: return v.type;
  }
}

const arg = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...I64_EDGES.map(BigInt)) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }) },
);

describe("the compile targets agree with the interpreter on random programs", () => {
  test(`${RUNS} random programs: WasmGC -O0 and -O, handle ABI -O; 3 argument pairs each`, () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 25 }),
        fc.constantFrom<Kind>("i64", "i64", "i64", "f64", "bool"),
        fc.nat(),
        fc.array(fc.tuple(arg, arg), { minLength: 3, maxLength: 3 }),
        (lines, kind, resultPick, argSets) => {
          const src = programText(lines, kind, resultPick);
          const { program, sourceMap } = parseText(src, "random.ir");
          expect(validate(program, { sourceMap }).map((e) => e.text)).toEqual([]);
          const targets = [
            ...[false, true].map((optimize) => WasmGcProgram.compile(emitWasmGc(program, { optimize }), program)),
            HandleAbiProgram.compile(emitHandleAbi(program, { optimize: true }), program),
          ];
          for (const [a, b] of argSets) {
            const want = outcome(runProgram(program, { args: [a, b] }));
            for (const t of targets) expect(`${outcome(t.run("", [a, b]))}\n${src}`).toBe(`${want}\n${src}`);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
