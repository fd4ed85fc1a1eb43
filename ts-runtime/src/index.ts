// The TypeScript reference runtime of the vm3 handle ABI (vm3-spec/).
export { Arena, arenaName } from "./arena.ts";
export {
  type Cell,
  CELL_FALSE,
  CELL_NAN,
  CELL_NULL,
  CELL_TRUE,
  cellFromBool,
  cellFromF64,
  cellFromInt,
  type CellView,
  decodeCell,
  formatCell,
  makeHandle,
  validateCell,
} from "./cell.ts";
export { MAX_FRAME_SLOTS, MAX_FRAME_TOTAL, MAX_FRAMES } from "./frames.ts";
export { HandleRef } from "./handle-ref.ts";
export { Heap, MAX_FIELDS, MAX_LENGTH } from "./heap.ts";
export type { HeapConfig, Variant } from "./heap-config.ts";
export type { ArenaStats, HeapStats } from "./stats.ts";
export { Trap, TrapCode, type TrapName, trapName } from "./trap.ts";
