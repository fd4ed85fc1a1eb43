// Allocation: struct_new with 4 fields vs a 4-element array literal.
import { type Cell, Heap } from "../src/index.ts";
import type { BenchRow } from "./harness.ts";

const N = 1_000_000;

export const allocRows: BenchRow[] = [
  {
    name: "allocate struct (4 fields)",
    ops: N,
    unit: "op",
    prepareRuntime() {
      const heap = new Heap();
      const keep = new Array<Cell>(N);
      return () => {
        for (let i = 0; i < N; i++) keep[i] = heap.structNew(4);
      };
    },
    preparePlain() {
      const keep = new Array<unknown[]>(N);
      return () => {
        for (let i = 0; i < N; i++) keep[i] = [null, null, null, null];
      };
    },
  },
  {
    // The same, dropping each handle at once: compared with the row above, how
    // much of the cost is keeping a million bigint Cells alive in the JS heap.
    name: "allocate struct, handle dropped",
    ops: N,
    unit: "op",
    prepareRuntime() {
      const heap = new Heap();
      return () => {
        for (let i = 0; i < N; i++) heap.structNew(4);
      };
    },
    preparePlain() {
      const keep = new Array<unknown[]>(N);
      return () => {
        for (let i = 0; i < N; i++) keep[i] = [null, null, null, null];
      };
    },
  },
];
