import type { ProgramOutcome, ProgramRun } from "./program-messages.ts";

// TypeScript shapes of the vm3.v1 messages in their plain form (strict-json.ts):
// lowerCamelCase fields, enum names, 64-bit integers as bigint. The .proto
// files stay the source of truth; test/messages.test.ts fails when a field
// here is missing from them or a field there is missing here.

export type TrapName =
  | "TRAP_NONE"
  | "NOT_A_HANDLE"
  | "BAD_CELL"
  | "WRONG_ARENA"
  | "STALE_HANDLE"
  | "OUT_OF_BOUNDS"
  | "NULL_DEREF"
  | "INT_OVERFLOW"
  | "OUT_OF_MEMORY"
  | "SCOPE_MISMATCH"
  | "NOT_PINNED"
  | "BAD_ARGUMENT"
  | "DIVIDE_BY_ZERO"
  | "UNREACHABLE"
  | "WRONG_TYPE"
  | "STACK_OVERFLOW"
  | "HOST_ERROR";

export type ArenaName =
  | "ARENA_STRING"
  | "ARENA_LIST"
  | "ARENA_MAP"
  | "ARENA_SET"
  | "ARENA_STRUCT"
  | "ARENA_CLOSURE"
  | "ARENA_BIGNUM"
  | "ARENA_BYTES"
  | "ARENA_PAIR"
  | "ARENA_F64_ARR"
  | "ARENA_I64_ARR"
  | "ARENA_U8_ARR"
  | "ARENA_SMALL_INT"
  | "ARENA_HOST";

export type OpName =
  | "OP_UNSPECIFIED"
  | "LIST_NEW"
  | "LIST_LEN"
  | "LIST_GET"
  | "LIST_SET"
  | "LIST_PUSH"
  | "STRUCT_NEW"
  | "STRUCT_LEN"
  | "STRUCT_GET"
  | "STRUCT_SET"
  | "HOST_NEW"
  | "HOST_GET"
  | "FREE"
  | "COLLECT"
  | "SCOPE_ENTER"
  | "SCOPE_ROOT"
  | "SCOPE_EXIT"
  | "PIN"
  | "UNPIN"
  | "STATS"
  | "INT_CELL"
  | "CELL_CHECK"
  | "LOOP"
  | "STR_NEW"
  | "STR_LEN"
  | "STR_CONCAT"
  | "STR_EQ"
  | "STR_GET"
  | "MAP_NEW"
  | "MAP_SET"
  | "MAP_GET"
  | "MAP_HAS"
  | "MAP_LEN"
  | "F64ARR_NEW"
  | "F64ARR_LEN"
  | "F64ARR_GET"
  | "F64ARR_SET"
  | "F64ARR_PUSH"
  | "I64ARR_NEW"
  | "I64ARR_LEN"
  | "I64ARR_GET"
  | "I64ARR_SET"
  | "I64ARR_PUSH"
  | "FRAME_ENTER"
  | "FRAME_ROOT"
  | "FRAME_EXIT";

export type VariantName = "VARIANT_UNSPECIFIED" | "STUB" | "MINIMAL" | "AUTO";

export interface Handle {
  arena?: ArenaName;
  generation?: number;
  slot?: number;
}

export interface Forge {
  ref?: string;
  arena?: ArenaName;
  generation?: number;
  slot?: number;
}

/** cell.proto CellValue: exactly one member is present. */
export interface CellValue {
  f64?: number;
  int?: bigint;
  bool?: boolean;
  null?: boolean;
  bits?: bigint;
  handle?: Handle;
  ref?: string;
  forge?: Forge;
}

export interface HeapConfig {
  variant?: VariantName;
  maxSlotsPerArena?: bigint;
  maxHeapBytes?: bigint;
  autoMinThreshold?: bigint;
}

export interface ArenaStats {
  arena?: ArenaName;
  live?: bigint;
  total?: bigint;
}

export interface Stats {
  arenas?: ArenaStats[];
  collections?: bigint;
  slotsFreed?: bigint;
  quarantined?: bigint;
  heapBytes?: bigint;
  pinned?: bigint;
  scopeRoots?: bigint;
  frameRoots?: bigint;
}

export interface ArenaStatsExpect {
  arena?: ArenaName;
  live?: bigint;
  total?: bigint;
}

export interface StatsExpect {
  arenas?: ArenaStatsExpect[];
  collections?: bigint;
  slotsFreed?: bigint;
  quarantined?: bigint;
  heapBytes?: bigint;
  pinned?: bigint;
  scopeRoots?: bigint;
  frameRoots?: bigint;
}

export interface Expect {
  trap?: TrapName;
  cell?: CellValue;
  int?: bigint;
  host?: string;
  stats?: StatsExpect;
  ok?: boolean;
  iterations?: bigint;
}

export interface Loop {
  count?: number;
  body?: Step[];
}

export interface Step {
  op?: OpName;
  cells?: CellValue[];
  ints?: bigint[];
  host?: string;
  bind?: string;
  expect?: Expect;
  loop?: Loop;
}

export interface AbiVector {
  name?: string;
  description?: string;
  heap?: HeapConfig;
  steps?: Step[];
}

export interface AbiVectorFile {
  suite?: string;
  vectors?: AbiVector[];
}

export interface GoldenCell {
  name?: string;
  value?: CellValue;
  bits?: bigint;
  trap?: TrapName;
}

export interface GoldenCellFile {
  suite?: string;
  cells?: GoldenCell[];
}

export interface GoldenBatch {
  encode?: CellValue[];
  decode?: bigint[];
}

export interface TesteeRequest {
  vector?: AbiVector;
  golden?: GoldenBatch;
  program?: ProgramRun;
}

export interface LoopOutcome {
  iterations?: bigint;
  trap?: TrapName;
  trapStep?: number;
}

/** testee.proto Outcome: exactly one member is present. */
export interface Outcome {
  trap?: TrapName;
  cell?: bigint;
  int?: bigint;
  host?: string;
  stats?: Stats;
  done?: boolean;
  loop?: LoopOutcome;
}

export interface Trace {
  outcomes?: Outcome[];
  error?: string;
}

export interface EncodeOutcome {
  bits?: bigint;
  trap?: TrapName;
}

export interface DecodeOutcome {
  value?: CellValue;
  trap?: TrapName;
}

export interface GoldenResult {
  encoded?: EncodeOutcome[];
  decoded?: DecodeOutcome[];
}

export interface TesteeResponse {
  trace?: Trace;
  golden?: GoldenResult;
  protocolError?: string;
  program?: ProgramOutcome;
}
