// Tail calls between functions on the handle ABI (handle-abi.md §10.6): a
// `return_call` after the frame is exited. The program vectors
// (conformance/programs/tailcall.json) show the depth; these show the roots:
// the heap references a cycle passes along survive collections mid-cycle,
// without frames they do not (so the vector exercises the rooting), and the
// host holds one frame at a time, not one per call.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadProgram } from "../src/ir/load.ts";
import { emitHandleAbi, emitHandleAbiModule } from "../src/handleabi/emit.ts";
import { HandleAbiProgram } from "../../ts-runtime/src/abi-host/index.ts";

const FILE = join(import.meta.dirname, "../../conformance/programs/tailcall/mutual.ir");
const { program } = loadProgram(FILE, readFileSync(FILE));
/** heap3(n) of mutual.ir, computed here step by step (sum + steps + the sum of xs). */
function heap3(n: number): bigint {
  let sum = 0n;
  let steps = 0n;
  const xs = new Array<bigint>(16).fill(0n);
  for (let k = 0; n > 0; k++, n--) {
    xs[n % 16] = BigInt(n);
    sum += BigInt([1, 2, 3][k % 3]! * n);
    steps++;
  }
  return sum + steps + xs.reduce((a, b) => a + b, 0n);
}

describe("tail calls between functions: frame_exit, then return_call (handle-abi.md §10.6)", () => {
  test("the module uses return_call, each after the caller's frame_exit", () => {
    const m = emitHandleAbiModule(program);
    try {
      const funcs = new Map(
        m
          .emitText()
          .split("\n (func ")
          .map((f) => [/^\$f\d+\.(\w+)/.exec(f)?.[1] ?? "", f] as const),
      );
      const tails: Record<string, string> = { even: "odd", odd: "even", ca: "cb", cb: "cc", cc: "ca", ha: "hb", hb: "hc", hc: "ha" };
      for (const [fn, callee] of Object.entries(tails)) {
        const body = funcs.get(fn)!;
        expect([...body.matchAll(/return_call \$f\d+\.(\w+)/g)].map((x) => x[1]), fn).toEqual([callee]);
        // No guest call is left in a cycle function but heap3's final total.
        expect([...body.matchAll(/\(call \$f\d+\.(\w+)/g)].map((x) => x[1]), fn).toEqual(fn.startsWith("h") ? ["total"] : []);
        if (!fn.startsWith("h")) {
          expect(body, fn).not.toMatch(/frame_/); // no Cells, no frame
          continue;
        }
        // ha, hb, hc hold Cells across an allocation: a frame, exited before the return_call.
        const exit = body.lastIndexOf("frame_exit", body.indexOf("return_call"));
        expect(exit, fn).toBeGreaterThan(body.indexOf("frame_enter"));
      }
    } finally {
      m.dispose();
    }
  });

  test("heap3 under AUTO: collections mid-cycle, the passed struct and list survive, one frame open at a time", () => {
    const p = HandleAbiProgram.compile(emitHandleAbi(program, { optimize: true }), program);
    const run = p.runDetailed("heap3", [30_000n], { variant: "auto", autoMinThreshold: 64 });
    expect(run.result).toEqual({ kind: "ok", value: { type: "i64", i64: heap3(30_000) } });
    const stats = run.heap.stats();
    expect(stats.collections).toBeGreaterThan(100);
    // 60,000 Accs allocated, a handful alive at any time.
    expect(run.peakLiveSlots).toBeLessThan(200);
    expect(stats.frameRoots).toBe(0);
  });

  test("without frames the same cycle traps STALE_HANDLE: a collection mid-cycle frees a passed reference", () => {
    const p = HandleAbiProgram.compile(emitHandleAbi(program, { optimize: true, rooting: false }), program);
    const run = p.runDetailed("heap3", [30_000n], { variant: "auto", autoMinThreshold: 64 });
    expect(run.result).toMatchObject({ kind: "trap", name: "STALE_HANDLE" });
    expect(p.run("heap3", [30_000n], { variant: "minimal" })).toEqual({ kind: "ok", value: { type: "i64", i64: heap3(30_000) } });
  });
});
