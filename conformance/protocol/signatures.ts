// Each vector operation's argument counts and result kind (operations.md §3.2,
// conformance.md §6.1). Shared by the TS testee and the runner's checks.
import type { OpName } from "./messages.ts";

export type ResultKind = "cell" | "int" | "host" | "stats" | "none" | "loop";

export interface Signature {
  /** The operation's name in the spec. */
  readonly spec: string;
  readonly cells: number;
  readonly ints: number;
  readonly result: ResultKind;
}

export const SIGNATURES: Readonly<Record<Exclude<OpName, "OP_UNSPECIFIED">, Signature>> = {
  LIST_NEW: { spec: "list_new", cells: 0, ints: 1, result: "cell" },
  LIST_LEN: { spec: "list_len", cells: 1, ints: 0, result: "int" },
  LIST_GET: { spec: "list_get", cells: 1, ints: 1, result: "cell" },
  LIST_SET: { spec: "list_set", cells: 2, ints: 1, result: "none" },
  LIST_PUSH: { spec: "list_push", cells: 2, ints: 0, result: "none" },
  STRUCT_NEW: { spec: "struct_new", cells: 0, ints: 1, result: "cell" },
  STRUCT_LEN: { spec: "struct_len", cells: 1, ints: 0, result: "int" },
  STRUCT_GET: { spec: "struct_get", cells: 1, ints: 1, result: "cell" },
  STRUCT_SET: { spec: "struct_set", cells: 2, ints: 1, result: "none" },
  HOST_NEW: { spec: "host_new", cells: 0, ints: 0, result: "cell" },
  HOST_GET: { spec: "host_get", cells: 1, ints: 0, result: "host" },
  FREE: { spec: "free", cells: 1, ints: 0, result: "none" },
  COLLECT: { spec: "collect", cells: 0, ints: 0, result: "int" },
  SCOPE_ENTER: { spec: "scope_enter", cells: 0, ints: 0, result: "int" },
  SCOPE_ROOT: { spec: "scope_root", cells: 1, ints: 0, result: "none" },
  SCOPE_EXIT: { spec: "scope_exit", cells: 0, ints: 1, result: "none" },
  PIN: { spec: "pin", cells: 1, ints: 0, result: "none" },
  UNPIN: { spec: "unpin", cells: 1, ints: 0, result: "none" },
  STATS: { spec: "stats", cells: 0, ints: 0, result: "stats" },
  INT_CELL: { spec: "int_cell", cells: 0, ints: 1, result: "cell" },
  CELL_CHECK: { spec: "cell_check", cells: 1, ints: 0, result: "cell" },
  LOOP: { spec: "loop", cells: 0, ints: 0, result: "loop" },
  STR_NEW: { spec: "str_new", cells: 0, ints: 0, result: "cell" },
  STR_LEN: { spec: "str_len", cells: 1, ints: 0, result: "int" },
  STR_CONCAT: { spec: "str_concat", cells: 2, ints: 0, result: "cell" },
  STR_EQ: { spec: "str_eq", cells: 2, ints: 0, result: "cell" },
  STR_GET: { spec: "str_get", cells: 1, ints: 0, result: "host" },
  MAP_NEW: { spec: "map_new", cells: 0, ints: 0, result: "cell" },
  MAP_SET: { spec: "map_set", cells: 3, ints: 0, result: "none" },
  MAP_GET: { spec: "map_get", cells: 2, ints: 0, result: "cell" },
  MAP_HAS: { spec: "map_has", cells: 2, ints: 0, result: "cell" },
  MAP_LEN: { spec: "map_len", cells: 1, ints: 0, result: "int" },
  F64ARR_NEW: { spec: "f64arr_new", cells: 0, ints: 1, result: "cell" },
  F64ARR_LEN: { spec: "f64arr_len", cells: 1, ints: 0, result: "int" },
  F64ARR_GET: { spec: "f64arr_get", cells: 1, ints: 1, result: "cell" },
  F64ARR_SET: { spec: "f64arr_set", cells: 2, ints: 1, result: "none" },
  F64ARR_PUSH: { spec: "f64arr_push", cells: 2, ints: 0, result: "none" },
  I64ARR_NEW: { spec: "i64arr_new", cells: 0, ints: 1, result: "cell" },
  I64ARR_LEN: { spec: "i64arr_len", cells: 1, ints: 0, result: "int" },
  I64ARR_GET: { spec: "i64arr_get", cells: 1, ints: 1, result: "cell" },
  I64ARR_SET: { spec: "i64arr_set", cells: 2, ints: 1, result: "none" },
  I64ARR_PUSH: { spec: "i64arr_push", cells: 2, ints: 0, result: "none" },
  FRAME_ENTER: { spec: "frame_enter", cells: 0, ints: 1, result: "int" },
  FRAME_ROOT: { spec: "frame_root", cells: 1, ints: 2, result: "none" },
  FRAME_EXIT: { spec: "frame_exit", cells: 0, ints: 1, result: "none" },
};

/** A malformed vector (conformance.md §6.1 "Vector errors"). */
export class VectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VectorError";
  }
}

/** `step 3 (LIST_GET)`, the way errors name a step. */
export function stepLabel(path: readonly number[], op: string | undefined): string {
  return `step ${path.join(".")} (${op ?? "OP_UNSPECIFIED"})`;
}
