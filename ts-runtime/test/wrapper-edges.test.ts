// Wrapper-owned weak host edges (collection.md §4.7) in `npm test`: the
// property test (wrapper-edges-property.ts, which needs --expose-gc, so it
// runs as a child process) with a bounded count, and its mutation check —
// each barrier site left out in turn must be caught losing a host value.
// The long run (10,000 programs) is `npm run test:edges`.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { HandleRef } from "../src/handle-ref.ts";
import { Heap } from "../src/heap.ts";

const script = fileURLToPath(new URL("./wrapper-edges-property.ts", import.meta.url));

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("weak host edges: the property test", () => {
  test("200 random programs lose no reachable host value", async () => {
    const r = await run(["--runs", "200", "--seed", "1"]);
    expect(r.out).toContain("no reachable host value lost");
    expect(r.code).toBe(0);
  });
  test.each(["frame", "value", "anyHandle"])("with the barrier left out at %s, it finds a lost host value", async (site) => {
    const r = await run(["--runs", "3000", "--seed", "1", "--skip", site]);
    expect(r.out).toContain("a lost host value found");
    expect(r.code).toBe(0);
  });
});

describe("weak host edges: a region's traversal names quarantined slots (collection.md §4.4 step 1, §4.7)", () => {
  test.each(["weak", "strong"] as const)("a quarantined slot named only from a region stays quarantined (%s)", (hostEdges) => {
    const heap = new Heap({ variant: "minimal", hostEdges });
    const s = heap.structNew(1);
    const wrapper = new HandleRef(heap, s); // s is reached only from a wrapper: a region on the weak design
    let l = heap.listNew(0);
    while (((l >> 32n) & 0xfffn) !== 4095n) {
      heap.free(l);
      l = heap.listNew(0);
    }
    heap.structSet(s, 0, l);
    heap.free(l); // at generation 4095 the slot is quarantined while any Cell may name it (arenas.md §2.5)
    heap.collect();
    expect(heap.stats().quarantined).toBe(1);
    const next = heap.listNew(0);
    expect(next & 0xffff_ffffn).not.toBe(l & 0xffff_ffffn); // not the quarantined slot
    wrapper.release();
  });
});
