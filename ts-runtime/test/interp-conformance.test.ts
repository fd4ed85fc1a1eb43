// Every program vector of conformance/programs/*.json (conformance.md §6.5)
// through the reference interpreter. Vectors over the time budget below are
// skipped here (the conformance runner runs them all); set
// VM3_INTERP_ALL=1 to run them too.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadProgram } from "../../compiler3-emit/src/ir/load.ts";
import type { Program } from "../../compiler3-emit/src/ir/model.ts";
import { validate } from "../../compiler3-emit/src/ir/validate.ts";
import { nodeRunner } from "../../compiler3-emit/src/run/node-runner.ts";
import { type RunResult, runProgram } from "../src/interp/index.ts";
import * as conformanceHost from "../../conformance/host/library.ts";
import { vectorHeap } from "../../compiler3-emit/test/program-vectors.ts";
import { trapName } from "../src/trap.ts";

const DIR = join(import.meta.dirname, "../../conformance/programs");

interface Vector {
  name: string;
  program: string;
  entry?: string;
  args?: (string | number)[];
  expect: Record<string, unknown>;
  timeoutMs?: number;
  needsLargeStack?: boolean;
  heap?: { variant?: string; maxSlotsPerArena?: string | number; maxHeapBytes?: string | number };
}

/** Vectors that take more than ~0.3 s each in this interpreter (measured); run with VM3_INTERP_ALL=1. */
const SLOW = new Set(["fib_rec-30", "lists_fill_sum-1000000", "maps_fill_sum-1000000", "mandelbrot-300", "struct_list_sort-2000"]);
const ALL = process.env.VM3_INTERP_ALL === "1";

/** The difference between an outcome and `expect`, or undefined when they agree (conformance.md §6.5). */
export function difference(r: RunResult, want: Record<string, unknown>): string | undefined {
  const [key, value] = Object.entries(want)[0] ?? [];
  const got = r.kind === "trap" ? `trap ${r.name} at ${r.function} b${r.block} v${r.value}` : JSON.stringify(r.value, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
  const bad = (): string => `want ${key} ${String(value)}, got ${got}`;
  if (key === "trap") {
    const code = typeof value === "number" ? trapName(value) : String(value);
    return r.kind === "trap" && r.name === code ? undefined : bad();
  }
  if (r.kind !== "ok") return bad();
  const v = r.value;
  switch (key) {
    case "i64": return v.type === "i64" && v.i64 === BigInt(value as string) ? undefined : bad();
    case "bool": return v.type === "bool" && v.bool === value ? undefined : bad();
    case "str": return v.type === "str" && v.str === value ? undefined : bad();
    case "unit": return v.type === "unit" ? undefined : bad();
    case "f64Bits": return v.type === "f64" && v.bits === BigInt(value as string) ? undefined : bad();
    case "f64": {
      if (v.type !== "f64") return bad();
      const w = typeof value === "string" ? Number(value) : (value as number);
      if (Number.isNaN(w)) return Number.isNaN(v.f64) ? undefined : bad();
      return Object.is(w, v.f64) ? undefined : bad();
    }
    default: return `unknown expect ${key}`;
  }
}

const cache = new Map<string, Program>();
function load(file: string): Program {
  let p = cache.get(file);
  if (p === undefined) {
    p = loadProgram(file, readFileSync(file)).program;
    const errors = validate(p);
    if (errors.length > 0) throw new Error(`${file}: invalid: ${errors[0]!.text}`);
    cache.set(file, p);
  }
  return p;
}

for (const name of readdirSync(DIR).filter((f) => f.endsWith(".json")).sort()) {
  const file = join(DIR, name);
  const vf = JSON.parse(readFileSync(file, "utf8")) as { suite: string; programs: Vector[] };
  describe(`program vectors ${name} (${vf.suite})`, () => {
    for (const v of vf.programs) {
      const slow = SLOW.has(v.name) && !ALL;
      if (v.expect.timeout === true) {
        // embedding.md §7.2: a run that never ends is ended by the time limit, in a worker.
        it(`${v.name} (in a worker, limit ${v.timeoutMs} ms)`, async () => {
          const program = load(join(dirname(file), v.program));
          const runner = nodeRunner();
          try {
            const out = await runner.run({ engine: "interp", key: v.program, program, entry: v.entry ?? "", args: (v.args ?? []).map((a) => BigInt(a)) }, v.timeoutMs!);
            expect(out.kind).toBe("timeout");
          } finally {
            runner.close();
          }
        });
        continue;
      }
      (slow ? it.skip : it)(slow ? `${v.name} (skipped: over the unit-test time budget; VM3_INTERP_ALL=1 runs it)` : v.name, () => {
        const program = load(join(dirname(file), v.program));
        const r = runProgram(program, { entry: v.entry ?? "", args: (v.args ?? []).map((a) => BigInt(a)), heap: vectorHeap(v), host: conformanceHost });
        expect(difference(r, v.expect)).toBeUndefined();
      });
    }
  });
}
