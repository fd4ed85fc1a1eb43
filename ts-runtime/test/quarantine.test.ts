// Generation wrap and quarantine (arenas.md §2.5, collection.md §4.4 step 2).
import { describe, expect, it } from "vitest";
import { Arena, type Cell, CELL_NULL, Heap, makeHandle, TrapCode } from "../src/index.ts";
import { expectTrap } from "./expect-trap.ts";

const S = (generation: number, slot: number) => makeHandle(Arena.STRUCT, generation, slot);

/** Frees and reallocates slot 0 (the only free slot) until it has been freed `frees` times; → the last handle. */
function cycle(heap: Heap, first: Cell, frees: number): void {
  let c = first;
  for (let i = 0; i < frees; i++) {
    heap.free(c);
    if (i < frees - 1) c = heap.structNew(0);
  }
}

describe("quarantine", () => {
  it("the 4096th free of a slot wraps its generation to 0 and quarantines it until a collection", () => {
    const heap = new Heap();
    const first = heap.structNew(0);
    cycle(heap, first, 4095);
    expect(heap.structNew(0)).toBe(S(4095, 0));
    heap.free(S(4095, 0));
    expect(heap.stats().quarantined).toBe(1);
    heap.checkInvariants();
    // Quarantined: not on the free list, so allocation appends slot 1.
    expect(heap.structNew(0)).toBe(S(0, 1));
    expectTrap(() => heap.structLen(first), TrapCode.STALE_HANDLE);
    // Nothing names slot 0: the collection releases it, and it comes back at generation 0.
    expect(heap.collect()).toBe(1);
    expect(heap.stats().quarantined).toBe(0);
    expect(heap.structNew(0)).toBe(S(1, 1)); // slot 1 was swept after slot 0 was released: top of the stack
    expect(heap.structNew(0)).toBe(S(0, 0));
    heap.checkInvariants();
  });

  it("G3: a reachable stale Cell keeps its slot quarantined across collections", () => {
    const heap = new Heap();
    const holder = heap.listNew(1);
    heap.pin(holder);
    const first = heap.structNew(0);
    heap.listSet(holder, 0, first); // holds Struct#0@g0 as data
    cycle(heap, first, 4096);
    expect(heap.stats().quarantined).toBe(1);
    for (let i = 0; i < 3; i++) {
      expect(heap.collect()).toBe(0);
      expect(heap.stats().quarantined).toBe(1);
    }
    // The slot is never handed out while the stale Cell exists.
    const fresh = heap.structNew(0);
    expect(fresh).toBe(S(0, 1));
    expect(fresh).not.toBe(first);
    expectTrap(() => heap.structLen(heap.listGet(holder, 0)), TrapCode.STALE_HANDLE);
    // Names in the root stack count too.
    heap.listSet(holder, 0, CELL_NULL);
    heap.scopeEnter();
    heap.free(fresh);
    heap.scopeRoot(heap.structNew(0)); // slot 1 again, rooted
    expect(heap.collect()).toBe(0);
    expect(heap.stats().quarantined).toBe(0);
    expect(heap.structNew(0)).toBe(S(0, 0));
    heap.checkInvariants();
  });

  it("a stale Cell naming the slot under any generation counts", () => {
    const heap = new Heap();
    const holder = heap.listNew(1);
    heap.pin(holder);
    const first = heap.structNew(0);
    cycle(heap, first, 100);
    const mid = heap.structNew(0); // Struct#0@g100
    expect(mid).toBe(S(100, 0));
    heap.listSet(holder, 0, mid);
    cycle(heap, mid, 4096 - 100);
    expect(heap.stats().quarantined).toBe(1);
    expect(heap.collect()).toBe(0);
    expect(heap.stats().quarantined).toBe(1);
  });

  it("a slot whose generation wraps in a sweep waits for the next collection", () => {
    const heap = new Heap();
    const first = heap.structNew(0);
    cycle(heap, first, 4095);
    heap.structNew(0); // Struct#0@g4095, unreachable
    expect(heap.collect()).toBe(1);
    expect(heap.stats().quarantined).toBe(1);
    expect(heap.structNew(0)).toBe(S(0, 1));
    expect(heap.collect()).toBe(1);
    expect(heap.stats().quarantined).toBe(0);
  });

  it("5,000 reuse cycles of one slot never hand out a live alias", () => {
    const heap = new Heap();
    const seen = new Set<Cell>();
    let c = heap.structNew(0);
    for (let i = 0; i < 5000; i++) {
      expect(seen.has(c)).toBe(false);
      seen.add(c);
      heap.free(c);
      c = heap.structNew(0);
      if (i % 1000 === 999) heap.checkInvariants();
    }
  });
});
