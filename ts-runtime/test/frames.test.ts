// Frames (collection.md §4.6): fixed, overwritable root slots per guest activation.
import { describe, expect, it } from "vitest";
import { Arena, type Cell, CELL_NULL, CELL_TRUE, cellFromF64, cellFromInt, Heap, makeHandle, MAX_FRAME_SLOTS, MAX_FRAME_TOTAL, TrapCode } from "../src/index.ts";
import { expectTrap } from "./expect-trap.ts";

/** `f` traps with `code` and changes neither stats nor what a collection would keep. */
function unchanged(heap: Heap, f: () => unknown, code: TrapCode, invariants = true): void {
  const before = JSON.stringify(heap.stats());
  expectTrap(f, code);
  expect(JSON.stringify(heap.stats())).toBe(before);
  if (invariants) heap.checkInvariants();
}

const BAD_CELLS: Cell[] = [
  0xfff8_0000_0000_0000n, 0x7ff0_0000_0000_0001n, 0xfffb_0000_0000_0002n, 0xffff_e000_0000_0000n,
  0xffff_c001_0000_0000n, 0xfffc_0000_0000_0001n, 0xfffa_0000_0000_0005n, 0xfffd_0000_0000_0000n,
  -1n, 1n << 64n,
];

describe("frames (collection.md §4.6)", () => {
  for (const variant of ["minimal", "auto"] as const) {
    it(`a frame slot keeps its object alive across collect (${variant})`, () => {
      const heap = new Heap({ variant, autoMinThreshold: 1 });
      const mark = heap.frameEnter(2);
      expect(mark).toBe(1);
      const l = heap.listNew(0);
      heap.frameRoot(mark, 0, l);
      const inner = heap.structNew(0); // may collect: l is rooted already
      heap.listPush(l, inner);
      for (let i = 0; i < 10; i++) heap.structNew(0); // under AUTO threshold 1: collections
      heap.collect();
      expect(heap.listLen(l)).toBe(1);
      expect(heap.structLen(inner)).toBe(0);
      expect(heap.stats().frameRoots).toBe(2);
      heap.frameExit(mark);
      expect(heap.stats().frameRoots).toBe(0);
      expect(heap.collect()).toBe(2);
      expectTrap(() => heap.listLen(l), TrapCode.STALE_HANDLE);
      heap.checkInvariants();
    });
  }

  it("overwriting a slot releases the old object; scalars and null mark nothing", () => {
    const heap = new Heap();
    const mark = heap.frameEnter(1);
    const a = heap.listNew(0);
    const b = heap.listNew(0);
    heap.frameRoot(mark, 0, a);
    heap.frameRoot(mark, 0, b);
    expect(heap.collect()).toBe(1);
    expectTrap(() => heap.listLen(a), TrapCode.STALE_HANDLE);
    expect(heap.listLen(b)).toBe(0);
    heap.frameRoot(mark, 0, cellFromF64(2.5));
    expect(heap.collect()).toBe(1);
    const h = heap.hostNew("x");
    heap.frameRoot(mark, 0, h);
    heap.frameRoot(mark, 0, CELL_NULL);
    expect(heap.collect()).toBe(1);
    heap.frameExit(mark);
    heap.checkInvariants();
  });

  it("SCOPE_MISMATCH: exit with none open or not the innermost; root with a mark naming no open frame", () => {
    const heap = new Heap();
    const l = heap.listNew(0);
    for (const m of [0, 1, -1, 2 ** 53, NaN, 1.5]) {
      unchanged(heap, () => heap.frameExit(m), TrapCode.SCOPE_MISMATCH);
      unchanged(heap, () => heap.frameRoot(m, 0, l), TrapCode.SCOPE_MISMATCH);
    }
    const outer = heap.frameEnter(3);
    const inner = heap.frameEnter(0);
    expect([outer, inner]).toEqual([1, 2]);
    unchanged(heap, () => heap.frameExit(outer), TrapCode.SCOPE_MISMATCH);
    unchanged(heap, () => heap.frameExit(3), TrapCode.SCOPE_MISMATCH);
    unchanged(heap, () => heap.frameRoot(3, 0, l), TrapCode.SCOPE_MISMATCH);
    unchanged(heap, () => heap.frameRoot(0, 0, l), TrapCode.SCOPE_MISMATCH);
    unchanged(heap, () => heap.frameRoot(1.5, 0, l), TrapCode.SCOPE_MISMATCH);
    // The mark is checked before the slot and the Cell.
    unchanged(heap, () => heap.frameRoot(7, 99, BAD_CELLS[0]!), TrapCode.SCOPE_MISMATCH);
    heap.frameExit(inner);
    heap.frameExit(outer);
    unchanged(heap, () => heap.frameExit(outer), TrapCode.SCOPE_MISMATCH);
  });

  it("OUT_OF_BOUNDS for a slot outside the frame, before the Cell check", () => {
    const heap = new Heap();
    const l = heap.listNew(0);
    const mark = heap.frameEnter(3);
    for (const s of [-1, 3, 2 ** 32, 2 ** 53, -(2 ** 53), 0.5, NaN, Infinity]) {
      unchanged(heap, () => heap.frameRoot(mark, s, l), TrapCode.OUT_OF_BOUNDS);
    }
    unchanged(heap, () => heap.frameRoot(mark, 5, BAD_CELLS[0]!), TrapCode.OUT_OF_BOUNDS);
    const empty = heap.frameEnter(0);
    unchanged(heap, () => heap.frameRoot(empty, 0, l), TrapCode.OUT_OF_BOUNDS);
    heap.frameRoot(mark, 2, l); // an outer frame stays writable
  });

  it("BAD_CELL for every invalid pattern, leaving the slot as it was", () => {
    const heap = new Heap();
    const mark = heap.frameEnter(1);
    const l = heap.listNew(0);
    heap.frameRoot(mark, 0, l);
    for (const c of BAD_CELLS) unchanged(heap, () => heap.frameRoot(mark, 0, c), TrapCode.BAD_CELL);
    expect(heap.collect()).toBe(0);
    expect(heap.listLen(l)).toBe(0);
  });

  it("BAD_ARGUMENT for a slot count outside [0, 2^16]; OUT_OF_MEMORY beyond 2^24 slots in all", () => {
    const heap = new Heap();
    for (const n of [-1, MAX_FRAME_SLOTS + 1, 2 ** 32, 0.5, NaN, Infinity, -Infinity]) {
      unchanged(heap, () => heap.frameEnter(n), TrapCode.BAD_ARGUMENT);
    }
    for (let k = 1; k <= MAX_FRAME_TOTAL / MAX_FRAME_SLOTS; k++) expect(heap.frameEnter(MAX_FRAME_SLOTS)).toBe(k);
    expect(heap.stats().frameRoots).toBe(MAX_FRAME_TOTAL);
    // (Invariants walk all 2^24 slots: checked once, at the end.)
    unchanged(heap, () => heap.frameEnter(1), TrapCode.OUT_OF_MEMORY, false);
    unchanged(heap, () => heap.frameEnter(MAX_FRAME_SLOTS + 1), TrapCode.BAD_ARGUMENT, false);
    expect(heap.frameEnter(0)).toBe(257);
    heap.checkInvariants();
  });

  it("accepts any valid Cell: stale, forged, unimplemented arenas, scalars; none keeps a reused slot alive", () => {
    const heap = new Heap();
    const mark = heap.frameEnter(2);
    const l = heap.listNew(0);
    heap.free(l);
    for (const c of [l, makeHandle(Arena.LIST, 77, 0), makeHandle(Arena.SET, 0, 5), cellFromInt(-7), CELL_TRUE, CELL_NULL]) {
      heap.frameRoot(mark, 1, c);
      heap.checkInvariants();
    }
    heap.frameRoot(mark, 0, l);
    const m = heap.listNew(0);
    expect(m).toBe(makeHandle(Arena.LIST, 1, 0));
    expect(heap.collect()).toBe(1);
  });

  it("nested frames: outer slots writable while inner open; exit drops only the inner slots; reopened frames are null", () => {
    const heap = new Heap();
    const outer = heap.frameEnter(1);
    const a = heap.listNew(0);
    heap.frameRoot(outer, 0, a);
    const inner = heap.frameEnter(2);
    const b = heap.listNew(0);
    const c = heap.listNew(0);
    heap.frameRoot(inner, 1, b);
    heap.frameRoot(outer, 0, c);
    expect(heap.stats().frameRoots).toBe(3);
    expect(heap.collect()).toBe(1); // a
    heap.frameExit(inner);
    expect(heap.stats().frameRoots).toBe(1);
    expect(heap.collect()).toBe(1); // b
    const again = heap.frameEnter(2);
    expect(again).toBe(2);
    expect(heap.collect()).toBe(0);
    heap.frameExit(again);
    heap.frameExit(outer);
    expect(heap.collect()).toBe(1); // c
    heap.checkInvariants();
  });

  it("frames and scopes are independent stacks with their own marks", () => {
    const heap = new Heap();
    expect(heap.scopeEnter()).toBe(1);
    expect(heap.frameEnter(1)).toBe(1);
    expect(heap.frameEnter(1)).toBe(2);
    heap.scopeExit(1);
    expect(heap.stats()).toMatchObject({ scopeRoots: 0, frameRoots: 2 });
    heap.frameExit(2);
    heap.frameExit(1);
  });

  it("a loop of 10,000 overwrites of one slot keeps live slots bounded under AUTO", () => {
    const heap = new Heap({ variant: "auto", autoMinThreshold: 16 });
    const mark = heap.frameEnter(1);
    let peak = 0;
    for (let i = 0; i < 10_000; i++) {
      heap.frameRoot(mark, 0, heap.listNew(0));
      peak = Math.max(peak, heap.stats().arenas[1]!.live);
    }
    expect(peak).toBe(17);
    expect(heap.stats().arenas[1]!.total).toBe(17);
    heap.frameExit(mark);
    heap.checkInvariants();
  });

  it("grows its storage past the first block without losing slots", () => {
    const heap = new Heap();
    const cells: Cell[] = [];
    const marks: number[] = [];
    for (let k = 0; k < 40; k++) {
      const mark = heap.frameEnter(k % 7);
      marks.push(mark);
      for (let s = 0; s < k % 7; s++) {
        const c = heap.structNew(0);
        heap.frameRoot(mark, s, c);
        cells.push(c);
      }
    }
    expect(heap.collect()).toBe(0);
    for (const c of cells) expect(heap.structLen(c)).toBe(0);
    heap.checkInvariants();
    for (const m of marks.reverse()) heap.frameExit(m);
    expect(heap.collect()).toBe(cells.length);
  });
});
