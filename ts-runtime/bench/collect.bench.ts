// A full collection of 1M live slots (one rooted list holding 999,999 structs
// of 4 fields) vs a full V8 collection of the same graph built from arrays.
import { cellFromInt, Heap } from "../src/index.ts";
import { type BenchRow, v8FullGc } from "./harness.ts";

const SLOTS = 1_000_000;

export function collectRows(): BenchRow[] {
  const gc = v8FullGc();
  return [
    {
      name: "full collection, 1M live slots",
      ops: SLOTS,
      unit: "slot",
      prepareRuntime() {
        gc();
        const heap = new Heap();
        heap.scopeEnter();
        const root = heap.listNew(0);
        heap.scopeRoot(root);
        const one = cellFromInt(1);
        for (let i = 1; i < SLOTS; i++) {
          const s = heap.structNew(4);
          heap.structSet(s, 0, one);
          heap.listPush(root, s);
        }
        return () => {
          if (heap.collect() !== 0) throw new Error("bench: a live slot was collected");
        };
      },
      preparePlain() {
        gc();
        const root: unknown[][] = [];
        for (let i = 1; i < SLOTS; i++) root.push([1n, null, null, null]);
        (globalThis as { benchKeep?: unknown }).benchKeep = root;
        return () => gc();
      },
    },
  ];
}
