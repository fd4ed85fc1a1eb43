// HandleRef: pinning wrappers for host code (embedding.md §7).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CELL_NULL, HandleRef, Heap, TrapCode } from "../src/index.ts";
import { expectTrap } from "./expect-trap.ts";

const ROOT = join(import.meta.dirname, "../..");

describe("HandleRef", () => {
  it("pins on construction and unpins exactly once", () => {
    const heap = new Heap();
    const s = heap.structNew(0);
    const a = new HandleRef(heap, s);
    const b = new HandleRef(heap, s);
    expect(a.cell).toBe(s);
    expect(heap.pinCount(s)).toBe(2);
    a.release();
    a.release();
    a[Symbol.dispose]();
    expect(a.released).toBe(true);
    expect(heap.pinCount(s)).toBe(1);
    expect(heap.collect()).toBe(0);
    b.release();
    expect(heap.pinCount(s)).toBe(0);
    expect(heap.collect()).toBe(1);
  });

  it("releases at the end of a using block", () => {
    const heap = new Heap();
    const s = heap.structNew(0);
    {
      using ref = new HandleRef(heap, s);
      expect(heap.pinCount(ref.cell)).toBe(1);
      expect(heap.collect()).toBe(0);
    }
    expect(heap.pinCount(s)).toBe(0);
    expect(heap.collect()).toBe(1);
  });

  it("releasing after the slot was freed (taking its pins) is a no-op", () => {
    const heap = new Heap();
    const s = heap.structNew(0);
    const ref = new HandleRef(heap, s);
    heap.free(s);
    ref.release();
    const again = heap.structNew(0);
    const other = new HandleRef(heap, again);
    ref.release();
    expect(heap.pinCount(other.cell)).toBe(1);
  });

  it("refuses what pin refuses", () => {
    const heap = new Heap();
    expectTrap(() => new HandleRef(heap, CELL_NULL), TrapCode.NULL_DEREF);
    const s = heap.structNew(0);
    heap.free(s);
    expectTrap(() => new HandleRef(heap, s), TrapCode.STALE_HANDLE);
  });

  it("the FinalizationRegistry unpins a wrapper dropped without release (node --expose-gc)", () => {
    const node = join(ROOT, "node_modules/.bin/node");
    const run = spawnSync(node, ["--expose-gc", join(import.meta.dirname, "fixtures/handle-ref-gc.ts")], { encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout.trim()) as { pinnedBefore: number; pinnedAfter: number; freed: number; tries: number };
    expect(result).toMatchObject({ pinnedBefore: 1, pinnedAfter: 0, freed: 1 });
  });
});
