// List growth and reads: list_push N elements onto one list, then list_get
// each, vs Array push and index.
import { type Cell, cellFromInt, Heap } from "../src/index.ts";
import type { BenchRow } from "./harness.ts";

const N = 1_000_000;

export const listRows: BenchRow[] = [
  {
    name: "list push+get",
    ops: N,
    unit: "pair",
    prepareRuntime() {
      const heap = new Heap();
      const list = heap.listNew(0);
      const values: Cell[] = [];
      for (let i = 0; i < 16; i++) values.push(cellFromInt(i));
      const zero = values[0]!;
      return () => {
        for (let i = 0; i < N; i++) heap.listPush(list, values[i & 15]!);
        let hits = 0;
        for (let i = 0; i < N; i++) if (heap.listGet(list, i) === zero) hits++;
        if (hits < 0) console.log(hits);
      };
    },
    preparePlain() {
      const list: bigint[] = [];
      const values: bigint[] = [];
      for (let i = 0; i < 16; i++) values.push(BigInt(i));
      const zero = values[0]!;
      return () => {
        for (let i = 0; i < N; i++) list.push(values[i & 15]!);
        let hits = 0;
        for (let i = 0; i < N; i++) if (list[i]! === zero) hits++;
        if (hits < 0) console.log(hits);
      };
    },
  },
];
