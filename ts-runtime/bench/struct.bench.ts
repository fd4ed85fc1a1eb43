// Struct field access: struct_set then struct_get over 1,024 structs of 4 fields,
// vs the same on 4-element arrays.
import { type Cell, cellFromInt, Heap } from "../src/index.ts";
import type { BenchRow } from "./harness.ts";

const N = 2_000_000;
const STRUCTS = 1024;

export const structRows: BenchRow[] = [
  {
    name: "struct set+get",
    ops: N,
    unit: "pair",
    prepareRuntime() {
      const heap = new Heap();
      const structs: Cell[] = [];
      for (let i = 0; i < STRUCTS; i++) structs.push(heap.structNew(4));
      const values: Cell[] = [];
      for (let i = 0; i < 16; i++) values.push(cellFromInt(i));
      const zero = values[0]!;
      return () => {
        let hits = 0;
        for (let i = 0; i < N; i++) {
          const s = structs[i & (STRUCTS - 1)]!;
          heap.structSet(s, i & 3, values[i & 15]!);
          if (heap.structGet(s, (i + 1) & 3) === zero) hits++;
        }
        if (hits < 0) console.log(hits);
      };
    },
    preparePlain() {
      const structs: bigint[][] = [];
      for (let i = 0; i < STRUCTS; i++) structs.push([0n, 0n, 0n, 0n]);
      const values: bigint[] = [];
      for (let i = 0; i < 16; i++) values.push(BigInt(i));
      const zero = values[0]!;
      return () => {
        let hits = 0;
        for (let i = 0; i < N; i++) {
          const s = structs[i & (STRUCTS - 1)]!;
          s[i & 3] = values[i & 15]!;
          if (s[(i + 1) & 3]! === zero) hits++;
        }
        if (hits < 0) console.log(hits);
      };
    },
  },
];
