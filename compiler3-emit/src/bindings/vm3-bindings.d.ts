// The types of vm3-bindings.js, the ESM bundle of
// compiler3-emit/src/bindings/instantiate.ts that `vm3 emit --bindings`
// writes beside a program's generated module. Written by hand so that it
// stands alone (no project imports); bindings-dts-check.ts keeps it equal to
// instantiate.ts's exports under `tsc`.

export type Engine = "wasmgc" | "handle-abi";
export type Prefer = "auto" | Engine;
export type ProbeName = "gc" | "relaxedSimd";
export type Variant = "stub" | "minimal" | "auto";

/** heap.proto HeapConfig, and the TypeScript heap's host-edge design (collection.md §4.7). */
export interface HeapConfig {
  variant?: Variant;
  maxSlotsPerArena?: number;
  maxHeapBytes?: number;
  autoMinThreshold?: number;
  hostEdges?: "weak" | "strong";
}

/** The slice of the handle target's heap a user reads. */
export interface Heap {
  /** Slots alive now, over every arena. */
  liveSlots(): number;
  /** A collection now; the number of slots it freed. */
  collect(): number;
}

export interface InstantiateOptions {
  /** "auto" (default) and "wasmgc": WasmGC where this engine can run it, else handle-ABI; "handle-abi": always handle-ABI. */
  target?: Prefer;
  /** Test hook: these probe answers replace the engine's. */
  probeOverride?: Partial<Record<ProbeName, boolean>>;
  /** The host functions of the program's host imports, by name (host.md §11.5). */
  host?: Readonly<Record<string, (...args: any[]) => unknown>>;
  /** The handle target's heap (default AUTO). */
  heap?: HeapConfig;
}

export interface ModuleSources {
  readonly wasmgc: URL | string | Uint8Array;
  readonly handleAbi: URL | string | Uint8Array;
}

export interface BoundProgram {
  readonly $engine: Engine;
  readonly $heap: Heap | undefined;
  readonly $new: Readonly<Record<string, (...args: unknown[]) => unknown>>;
  readonly [fn: string]: unknown;
}

/** A heap object held from JavaScript: on the handle target a pin, released once. */
export declare class Vm3Ref implements Disposable {
  protected constructor();
  /** The IR type's text: `struct<Obj>`, `list<i64>`, `list<any>`, `f64arr`, `map`. */
  readonly $type: string;
  /** Whether `$release()` has been called; a released wrapper cannot be used or passed in. */
  get $released(): boolean;
  /** Lets the object go (the handle target unpins it; the FinalizationRegistry does it for a dropped wrapper). */
  $release(): void;
  [Symbol.dispose](): void;
}

export declare class StructRef extends Vm3Ref {}

/** A list; `In` is what `set` and `push` accept (a list<i64> takes safe-integer numbers too). */
export declare class ListRef<T, In = T> extends Vm3Ref implements Iterable<T> {
  get length(): number;
  get(i: number | bigint): T;
  set(i: number | bigint, v: In): void;
  push(v: In): void;
  [Symbol.iterator](): Iterator<T>;
  toArray(): T[];
}

export declare class MapRef extends Vm3Ref {
  get size(): number;
  get(k: number | bigint): bigint;
  set(k: number | bigint, v: number | bigint): void;
  has(k: number | bigint): boolean;
}

/** traps.md's codes by name (`TrapCode.OUT_OF_BOUNDS` is 5, …). */
export declare const TrapCode: Readonly<Record<string, number>>;

/** A trap of the program (traps.md): `code` is the spec's, `op` where it was raised. */
export declare class Trap extends Error {
  readonly code: number;
  readonly op: string;
  readonly detail: string;
  constructor(code: number, op: string, detail: string);
}

/** A call made while a host function of the same instance runs (host.md §11.2). */
export declare class HostReentryError extends Error {
  constructor(what: string, inside: string);
}

/** A host import with no function given (host.md §11.1). */
export declare class HostLinkError extends Error {
  constructor(message: string);
}

export declare function instantiateBound(plainProgram: Record<string, unknown>, sources: ModuleSources, options?: InstantiateOptions): Promise<BoundProgram>;
