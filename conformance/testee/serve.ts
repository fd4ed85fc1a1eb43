// The TypeScript runtime as an in-process testee: the same request → response
// function that go-host/cmd/vm3-testee serves over its pipe (conformance.md
// §6.4), without the framing.
import { Arena } from "../../ts-runtime/src/arena.ts";
import { cellFromBool, cellFromF64, cellFromInt, CELL_NULL, decodeCell, makeHandle, validateCell, type Cell } from "../../ts-runtime/src/cell.ts";
import { Heap, type HeapConfig, type HeapStats } from "../../ts-runtime/src/heap.ts";
import { Trap, trapName } from "../../ts-runtime/src/trap.ts";
import { arenaNumber, resolveCell } from "../protocol/cell-value.ts";
import type {
  AbiVector,
  ArenaName,
  CellValue,
  DecodeOutcome,
  EncodeOutcome,
  GoldenBatch,
  HeapConfig as HeapConfigMessage,
  Outcome,
  Stats,
  Step,
  TesteeRequest,
  TesteeResponse,
  TrapName,
} from "../protocol/messages.ts";
import { SIGNATURES, stepLabel, VectorError } from "../protocol/signatures.ts";

export function serve(request: TesteeRequest): TesteeResponse {
  if (request.vector !== undefined) return { trace: runVector(request.vector) };
  if (request.golden !== undefined) return runGolden(request.golden);
  return { protocolError: "request has neither vector nor golden" };
}

/** Runs a vector on a fresh heap and records one Outcome per top-level step. */
export function runVector(vector: AbiVector): { outcomes: Outcome[]; error?: string } {
  const heap = new Heap(heapConfig(vector.heap));
  const bindings = new Map<string, Cell>();
  const outcomes: Outcome[] = [];
  const steps = vector.steps ?? [];
  for (let i = 0; i < steps.length; i++) {
    try {
      outcomes.push(runStep(heap, bindings, steps[i]!, [i]));
    } catch (e) {
      if (e instanceof VectorError) return { outcomes, error: e.message };
      throw e;
    }
  }
  return { outcomes };
}

function runStep(heap: Heap, bindings: Map<string, Cell>, step: Step, path: number[]): Outcome {
  const op = step.op ?? "OP_UNSPECIFIED";
  const label = stepLabel(path, op);
  if (op === "OP_UNSPECIFIED") throw new VectorError(`${label}: no op`);
  const sig = SIGNATURES[op];
  const cellArgs = step.cells ?? [];
  const intArgs = step.ints ?? [];
  if (cellArgs.length !== sig.cells) {
    throw new VectorError(`${label}: expected ${sig.cells} Cell argument(s), got ${cellArgs.length}`);
  }
  if (intArgs.length !== sig.ints) {
    throw new VectorError(`${label}: expected ${sig.ints} integer argument(s), got ${intArgs.length}`);
  }
  if (step.bind !== undefined && step.bind !== "" && sig.result !== "cell") {
    throw new VectorError(`${label}: bind on an operation without a Cell result`);
  }
  if (op === "LOOP") return { loop: runLoop(heap, bindings, step, path) };
  let cells: Cell[];
  try {
    cells = cellArgs.map((v) => resolveCell(v, bindings));
  } catch (e) {
    if (e instanceof VectorError) throw new VectorError(`${label}: ${e.message}`);
    throw e;
  }
  const ints = intArgs.map(Number);
  try {
    const outcome = apply(heap, op, cells, ints, intArgs, step.host ?? "");
    if (outcome.cell !== undefined && step.bind) bindings.set(step.bind, outcome.cell);
    return outcome;
  } catch (e) {
    if (e instanceof Trap) return { trap: trapName(e.code) as TrapName };
    throw e;
  }
}

function runLoop(heap: Heap, bindings: Map<string, Cell>, step: Step, path: number[]): Outcome["loop"] {
  const body = step.loop?.body ?? [];
  const count = step.loop?.count ?? 0;
  for (let j = 0; j < body.length; j++) {
    const inner = body[j]!;
    const label = stepLabel([...path, j], inner.op);
    if (inner.expect !== undefined) throw new VectorError(`${label}: a loop body step carries no expect`);
    if (inner.op === "LOOP") throw new VectorError(`${label}: loops do not nest`);
  }
  for (let n = 0; n < count; n++) {
    for (let j = 0; j < body.length; j++) {
      const outcome = runStep(heap, bindings, body[j]!, [...path, j]);
      if (outcome.trap !== undefined) return { iterations: BigInt(n), trap: outcome.trap, trapStep: j };
    }
  }
  return { iterations: BigInt(count) };
}

function apply(heap: Heap, op: Exclude<Step["op"], undefined>, c: Cell[], i: number[], big: bigint[], host: string): Outcome {
  switch (op) {
    case "LIST_NEW":
      return { cell: heap.listNew(i[0]!) };
    case "LIST_LEN":
      return { int: BigInt(heap.listLen(c[0]!)) };
    case "LIST_GET":
      return { cell: heap.listGet(c[0]!, i[0]!) };
    case "LIST_SET":
      heap.listSet(c[0]!, i[0]!, c[1]!);
      return { done: true };
    case "LIST_PUSH":
      heap.listPush(c[0]!, c[1]!);
      return { done: true };
    case "STRUCT_NEW":
      return { cell: heap.structNew(i[0]!) };
    case "STRUCT_LEN":
      return { int: BigInt(heap.structLen(c[0]!)) };
    case "STRUCT_GET":
      return { cell: heap.structGet(c[0]!, i[0]!) };
    case "STRUCT_SET":
      heap.structSet(c[0]!, i[0]!, c[1]!);
      return { done: true };
    case "HOST_NEW":
      return { cell: heap.hostNew(host) };
    case "HOST_GET":
      return { host: String(heap.hostGet(c[0]!)) };
    case "FREE":
      heap.free(c[0]!);
      return { done: true };
    case "COLLECT":
      return { int: BigInt(heap.collect()) };
    case "SCOPE_ENTER":
      return { int: BigInt(heap.scopeEnter()) };
    case "SCOPE_ROOT":
      heap.scopeRoot(c[0]!);
      return { done: true };
    case "SCOPE_EXIT":
      heap.scopeExit(i[0]!);
      return { done: true };
    case "PIN":
      heap.pin(c[0]!);
      return { done: true };
    case "UNPIN":
      heap.unpin(c[0]!);
      return { done: true };
    case "STATS":
      return { stats: statsMessage(heap.stats()) };
    case "INT_CELL":
      return { cell: cellFromInt(big[0]!) };
    case "CELL_CHECK":
      validateCell(c[0]!);
      return { cell: c[0]! };
    case "STR_NEW":
      return { cell: heap.strNew(host) };
    case "STR_LEN":
      return { int: BigInt(heap.strLen(c[0]!)) };
    case "STR_CONCAT":
      return { cell: heap.strConcat(c[0]!, c[1]!) };
    case "STR_EQ":
      return { cell: cellFromBool(heap.strEq(c[0]!, c[1]!)) };
    case "STR_GET":
      return { host: heap.strText(c[0]!) };
    case "MAP_NEW":
      return { cell: heap.mapNew() };
    case "MAP_SET":
      heap.mapSet(c[0]!, c[1]!, c[2]!);
      return { done: true };
    case "MAP_GET":
      return { cell: heap.mapGet(c[0]!, c[1]!) };
    case "MAP_HAS":
      return { cell: cellFromBool(heap.mapHas(c[0]!, c[1]!)) };
    case "MAP_LEN":
      return { int: BigInt(heap.mapLen(c[0]!)) };
    case "F64ARR_NEW":
      return { cell: heap.f64arrNew(i[0]!) };
    case "F64ARR_LEN":
      return { int: BigInt(heap.f64arrLen(c[0]!)) };
    case "F64ARR_GET":
      return { cell: heap.f64arrGet(c[0]!, i[0]!) };
    case "F64ARR_SET":
      heap.f64arrSet(c[0]!, i[0]!, c[1]!);
      return { done: true };
    case "F64ARR_PUSH":
      heap.f64arrPush(c[0]!, c[1]!);
      return { done: true };
    case "I64ARR_NEW":
      return { cell: heap.i64arrNew(i[0]!) };
    case "I64ARR_LEN":
      return { int: BigInt(heap.i64arrLen(c[0]!)) };
    case "I64ARR_GET":
      return { cell: heap.i64arrGet(c[0]!, i[0]!) };
    case "I64ARR_SET":
      heap.i64arrSet(c[0]!, i[0]!, c[1]!);
      return { done: true };
    case "I64ARR_PUSH":
      heap.i64arrPush(c[0]!, c[1]!);
      return { done: true };
    case "FRAME_ENTER":
      return { int: BigInt(heap.frameEnter(i[0]!)) };
    case "FRAME_ROOT":
      heap.frameRoot(i[0]!, i[1]!, c[0]!);
      return { done: true };
    case "FRAME_EXIT":
      heap.frameExit(i[0]!);
      return { done: true };
    case "LOOP":
    case "OP_UNSPECIFIED":
      throw new VectorError(`${op} is not a heap operation`);
  }
}

/** A heap.proto HeapConfig as the runtime's; absent or VARIANT_UNSPECIFIED is the proto default, MINIMAL. */
export function heapConfig(config: HeapConfigMessage | undefined): HeapConfig {
  const variants = { VARIANT_UNSPECIFIED: "minimal", STUB: "stub", MINIMAL: "minimal", AUTO: "auto" } as const;
  return {
    variant: variants[config?.variant ?? "VARIANT_UNSPECIFIED"],
    maxSlotsPerArena: Number(config?.maxSlotsPerArena ?? 0n),
    maxHeapBytes: Number(config?.maxHeapBytes ?? 0n),
    autoMinThreshold: Number(config?.autoMinThreshold ?? 0n),
  };
}

const ARENA_NAMES = new Map<number, ArenaName>(
  Object.entries(Arena).map(([key, n]) => [n, `ARENA_${key}` as ArenaName]),
);

function arenaName(n: number): ArenaName {
  return ARENA_NAMES.get(n)!;
}

export function statsMessage(s: HeapStats): Stats {
  return {
    arenas: s.arenas.map((a) => ({ arena: arenaName(a.arena), live: BigInt(a.live), total: BigInt(a.total) })),
    collections: BigInt(s.collections),
    slotsFreed: BigInt(s.slotsFreed),
    quarantined: BigInt(s.quarantined),
    heapBytes: BigInt(s.heapBytes),
    pinned: BigInt(s.pinned),
    scopeRoots: BigInt(s.scopeRoots),
    frameRoots: BigInt(s.frameRoots),
  };
}

function runGolden(batch: GoldenBatch): TesteeResponse {
  const encoded: EncodeOutcome[] = [];
  for (const [i, value] of (batch.encode ?? []).entries()) {
    const outcome = encodeValue(value);
    if (outcome === undefined) return { protocolError: `golden encode[${i}]: only f64, int, bool, null and handle can be encoded` };
    encoded.push(outcome);
  }
  const decoded: DecodeOutcome[] = (batch.decode ?? []).map(decodeBits);
  return { golden: { encoded, decoded } };
}

function encodeValue(value: CellValue): EncodeOutcome | undefined {
  try {
    if (value.f64 !== undefined) return { bits: cellFromF64(value.f64) };
    if (value.int !== undefined) return { bits: cellFromInt(value.int) };
    if (value.bool !== undefined) return { bits: cellFromBool(value.bool) };
    if (value.null !== undefined) return { bits: CELL_NULL };
    if (value.handle !== undefined) {
      const h = value.handle;
      return { bits: makeHandle(arenaNumber(h.arena), h.generation ?? 0, h.slot ?? 0) };
    }
    return undefined;
  } catch (e) {
    if (e instanceof Trap) return { trap: trapName(e.code) as TrapName };
    throw e;
  }
}

function decodeBits(bits: bigint): DecodeOutcome {
  try {
    const view = decodeCell(bits);
    switch (view.kind) {
      case "f64":
        return { value: { f64: view.value } };
      case "int":
        return { value: { int: view.value } };
      case "bool":
        return { value: { bool: view.value } };
      case "null":
        return { value: { null: true } };
      case "handle":
        return { value: { handle: { arena: arenaName(view.arena), generation: view.generation, slot: view.slot } } };
    }
  } catch (e) {
    if (e instanceof Trap) return { trap: trapName(e.code) as TrapName };
    throw e;
  }
}
