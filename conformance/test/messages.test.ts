// messages.ts mirrors the .proto files by hand; this test keeps the two in
// step. Each sample is Required<…> of its interface, so tsc rejects a sample
// that lacks a TypeScript field, and the test rejects one whose keys are not
// exactly the proto message's fields. A round trip through binary protobuf
// then proves the plain form survives the wire (64-bit values included).
import { describe, expect, it } from "vitest";
import type * as M from "../protocol/messages.ts";
import type { ProgramOutcome, ProgramRun } from "../protocol/program-messages.ts";
import { messageType } from "../protocol/schema.ts";
import { decodeMessage, encodeMessage } from "../protocol/wire.ts";

const MAX64 = (1n << 64n) - 1n;

const handle: Required<M.Handle> = { arena: "ARENA_HOST", generation: 4095, slot: 4294967295 };
const forge: Required<M.Forge> = { ref: "a", arena: "ARENA_LIST", generation: 1, slot: 2 };
const cellValue: Required<M.CellValue> = { f64: 1.5, int: -(1n << 47n), bool: true, null: true, bits: MAX64, handle, ref: "x", forge };
const heapConfig: Required<M.HeapConfig> = { variant: "AUTO", maxSlotsPerArena: 7n, maxHeapBytes: 1n << 40n, autoMinThreshold: 3n };
const arenaStats: Required<M.ArenaStats> = { arena: "ARENA_LIST", live: 1n, total: 2n };
const stats: Required<M.Stats> = { arenas: [arenaStats], collections: 1n, slotsFreed: 2n, quarantined: 3n, heapBytes: 4n, pinned: 5n, scopeRoots: 6n, frameRoots: 7n };
const arenaStatsExpect: Required<M.ArenaStatsExpect> = { arena: "ARENA_STRUCT", live: 0n, total: 9n };
const statsExpect: Required<M.StatsExpect> = { ...stats, arenas: [arenaStatsExpect] };
const expectation: Required<M.Expect> = { trap: "NOT_PINNED", cell: { int: 5n }, int: -1n, host: "h", stats: statsExpect, ok: true, iterations: 10n };
const inner: M.Step = { op: "LIST_NEW", ints: [1n], bind: "l" };
const loop: Required<M.Loop> = { count: 3, body: [inner] };
const step: Required<M.Step> = { op: "LOOP", cells: [{ ref: "a" }], ints: [-1n, 1n << 62n], host: "s", bind: "b", expect: expectation, loop };
const vector: Required<M.AbiVector> = { name: "n", description: "d", heap: heapConfig, steps: [step] };
const vectorFile: Required<M.AbiVectorFile> = { suite: "s", vectors: [vector] };
const goldenCell: Required<M.GoldenCell> = { name: "g", value: { f64: -0 }, bits: 1n << 63n, trap: "BAD_CELL" };
const goldenFile: Required<M.GoldenCellFile> = { suite: "s", cells: [goldenCell] };
const batch: Required<M.GoldenBatch> = { encode: [{ int: 1n }], decode: [MAX64, 0n] };
const programRun: ProgramRun = { program: { functions: [], entry: "main", structs: [] }, args: [1n] };
const request: Required<M.TesteeRequest> = { vector, golden: batch, program: programRun };
const loopOutcome: Required<M.LoopOutcome> = { iterations: 5n, trap: "OUT_OF_MEMORY", trapStep: 1 };
const outcome: Required<M.Outcome> = { trap: "BAD_CELL", cell: MAX64, int: 3n, host: "h", stats, done: true, loop: loopOutcome };
const trace: Required<M.Trace> = { outcomes: [outcome], error: "e" };
const encodeOutcome: Required<M.EncodeOutcome> = { bits: 1n, trap: "INT_OVERFLOW" };
const decodeOutcome: Required<M.DecodeOutcome> = { value: cellValue, trap: "BAD_CELL" };
const goldenResult: Required<M.GoldenResult> = { encoded: [encodeOutcome], decoded: [decodeOutcome] };
const programOutcome: Required<Omit<ProgramOutcome, "i64" | "f64Bits" | "bool" | "str" | "unit" | "timedOutAfterMs">> = { trap: "STACK_OVERFLOW", trapSite: "f b1 v2", error: "" };
const response: Required<M.TesteeResponse> = { trace, golden: goldenResult, protocolError: "p", program: programOutcome };

const samples: Record<string, object> = {
  Handle: handle, Forge: forge, CellValue: cellValue, HeapConfig: heapConfig, ArenaStats: arenaStats, Stats: stats,
  ArenaStatsExpect: arenaStatsExpect, StatsExpect: statsExpect, Expect: expectation, Loop: loop, Step: step,
  AbiVector: vector, AbiVectorFile: vectorFile, GoldenCell: goldenCell, GoldenCellFile: goldenFile, GoldenBatch: batch,
  TesteeRequest: request, LoopOutcome: loopOutcome, Outcome: outcome, Trace: trace, EncodeOutcome: encodeOutcome,
  DecodeOutcome: decodeOutcome, GoldenResult: goldenResult, TesteeResponse: response,
};

describe("messages.ts mirrors the proto schema", () => {
  it("covers every message of the ABI proto files", () => {
    // ir.proto and program.proto have TypeScript models of their own
    // (compiler3-emit/src/ir/model.ts, program-messages.ts).
    const mirrored = /\/(trap|cell|heap|vector|testee)\.proto$/;
    const proto = messageType("Step")
      .parent!.nestedArray.filter((n) => "fieldsArray" in n && mirrored.test(n.filename ?? ""))
      .map((n) => n.name)
      .filter((name) => name !== "ProgramRun" && name !== "ProgramOutcome")
      .sort();
    expect(Object.keys(samples).sort()).toEqual(proto);
  });

  for (const [name, sample] of Object.entries(samples)) {
    it(`${name} has exactly the proto's fields`, () => {
      expect(Object.keys(sample).sort()).toEqual(messageType(name).fieldsArray.map((f) => f.name).sort());
    });
  }

  it("round-trips 64-bit values and enums through binary protobuf", () => {
    const plain = { outcomes: [{ cell: MAX64 }, { int: -(1n << 63n) }, { trap: "STALE_HANDLE" }, { loop: loopOutcome }, { stats }] };
    // Decoding fills the non-oneof defaults (error: "") as the in-process backend does.
    expect(decodeMessage("Trace", encodeMessage("Trace", plain))).toEqual({ ...plain, error: "" });
  });
});
