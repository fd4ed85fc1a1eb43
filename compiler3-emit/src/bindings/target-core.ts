// What the typed API (bind.ts) needs of a target: calling an exported
// function, and moving the values whose Wasm form differs between targets —
// strings, host values, references and `any` — across the boundary
// (bindings.md §2). wasmgc-core.ts and handle-core.ts are the two.

import type { Heap } from "../../../ts-runtime/src/heap.ts";
import type { CollectionKind } from "./accessors.ts";
import type { RefHold } from "./refs.ts";

export type Engine = "wasmgc" | "handle-abi";

/** An `any` as the target reads it, before bind.ts makes a JS value of it. */
export type AnyView =
  | { kind: "null" }
  | { kind: "int"; value: bigint }
  | { kind: "f64"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "str"; text: string }
  | { kind: "host"; value: unknown }
  /** A reference: `raw` is the Wasm value (refOut makes its hold), or `received` the reference object a host function was given. */
  | { kind: "coll"; coll: CollectionKind; raw: unknown; received?: unknown }
  | { kind: "struct"; shape: number; raw: unknown; received?: unknown };

export interface TargetCore {
  readonly engine: Engine;
  /** The handle target's heap (live slots, collect); undefined on WasmGC. */
  readonly heap: Heap | undefined;
  /** A null reference as the target passes it. */
  readonly nullRef: unknown;
  isNull(raw: unknown): boolean;
  /**
   * Calls export `name` with Wasm values; a trap is thrown as a Trap, and a
   * call made while a host function of this instance runs is refused (host.md
   * §11.2) with a HostReentryError.
   */
  call(name: string, args: readonly unknown[]): unknown;
  /**
   * Calls accessor `name` (accessors.ts) while a host function of this
   * instance runs: an accessor is a heap operation, which a host function
   * may make (bindings.md §3), not a re-entry of the program.
   */
  callAccessor(name: string, args: readonly unknown[]): unknown;
  /** Where the temporaries of the call about to be made start. */
  tempMark(): number;
  /** Lets go of what the arguments of the calls since `mark` needed (the handle target's pinned temporaries). */
  endCall(mark: number): void;
  strIn(text: string): unknown;
  /** A string's text; a freed string is STALE_HANDLE. */
  strOut(raw: unknown): string;
  hostIn(value: unknown): unknown;
  hostOut(raw: unknown): unknown;
  /** The Wasm reference a hold stands for. */
  refIn(hold: RefHold): unknown;
  /** A new hold of a reference a call returned (the handle target pins it). */
  refOut(raw: unknown): RefHold;
  /** The hold of a reference object a host function received (host.md §11.3), taken over. */
  adopt(received: unknown): RefHold;
  /** Lets go of a received reference object that is not taken over (its object has a wrapper already). */
  drop(received: unknown): void;
  /** The Wasm reference a received reference object stands for. */
  rawOf(received: unknown): unknown;
  /** What identifies the object a Wasm reference names, for the wrapper cache: the reference itself, or the Cell. */
  identity(raw: unknown): unknown;
  /** A reference object for a host function to return, from a hold. */
  handOut(hold: RefHold): unknown;
  /** Reads an `any` a call returned. */
  anyView(raw: unknown): AnyView;
  /** Reads an `any` a host function received (host.md §11.3's form of it). */
  receivedAnyView(received: unknown): AnyView;
  release(hold: RefHold): void;
}

/** An `any` scalar as host.md §11.3 hands it over: null, bigint, number or boolean. */
export function scalarView(v: unknown): AnyView {
  if (v === null || v === undefined) return { kind: "null" };
  if (typeof v === "bigint") return { kind: "int", value: v };
  if (typeof v === "number") return { kind: "f64", value: v };
  if (typeof v === "boolean") return { kind: "bool", value: v };
  return { kind: "host", value: v };
}
