// Fresh payloads of nulls for list_new and struct_new (operations.md §3.2).
import { type Cell, CELL_NULL } from "./cell.ts";

const N = CELL_NULL;

/**
 * Up to this length the nulls are written out. Longer lists start as holes
 * that read as null (heap.ts reads `cells[i] ?? CELL_NULL`), so that
 * `list_new(2^31-1)` under an unlimited byte budget costs what the guest
 * later uses instead of 16 GiB at once.
 */
export const EAGER_NULLS = 1 << 16;

/**
 * `n` nulls. Small counts come from array literals: V8 pretenures a
 * literal's allocation site once its arrays survive, as a heap's payloads
 * do. Measured for 1M four-field payloads kept alive on Node 24: literal
 * 19 ns, `new Array(4).fill(…)` 175 ns, four pushes 148 ns.
 */
export function nullCells(n: number): Cell[] {
  switch (n) {
    case 0: return [];
    case 1: return [N];
    case 2: return [N, N];
    case 3: return [N, N, N];
    case 4: return [N, N, N, N];
    case 5: return [N, N, N, N, N];
    case 6: return [N, N, N, N, N, N];
    case 7: return [N, N, N, N, N, N, N];
    case 8: return [N, N, N, N, N, N, N, N];
  }
  return n <= EAGER_NULLS ? new Array<Cell>(n).fill(N) : new Array<Cell>(n);
}
