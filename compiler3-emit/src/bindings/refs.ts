// The JS objects that stand for heap objects in the typed API (bindings.md
// §3): one class per struct shape with a getter and setter per field, and one
// per collection type. Each holds the target's reference — the engine's
// reference on WasmGC, a HandleRef (a pin) on the handle target — and calls
// the bound program's accessor functions through its Binding, so a field
// read runs the same checks as `struct.get`.

import type { CollectionKind } from "./accessors.ts";

/** What a wrapper needs of its binding: calling an accessor, and releasing a reference. */
export interface RefOwner {
  /** Calls bound function `name` with JS values (bind.ts converts them). */
  invoke(name: string, args: readonly unknown[]): unknown;
  /** Releases what holds `raw` alive (the handle target's pin); nothing on WasmGC. */
  release(raw: RefHold): void;
  readonly names: { get(s: number, f: number): string; set(s: number, f: number): string; collection(k: CollectionKind, op: string): string };
}

/** The target's hold on an object: the engine reference, or the HandleRef. */
export type RefHold = { readonly raw: unknown };

const OWNER = Symbol("vm3.owner");
const HOLD = Symbol("vm3.hold");

/** The base of every wrapper: `$type`, `$release()`, `$released` and `using` (Symbol.dispose). */
export class Vm3Ref implements Disposable {
  /** The IR type's text: `struct<Obj>`, `list<i64>`, `list<any>`, `f64arr`, `map`. */
  readonly $type: string;
  /** @internal */
  [OWNER]: RefOwner;
  /** @internal */
  [HOLD]: RefHold | undefined;

  constructor(owner: RefOwner, hold: RefHold, type: string) {
    this[OWNER] = owner;
    this[HOLD] = hold;
    this.$type = type;
  }

  /** Whether `$release()` has been called; a released wrapper cannot be used or passed in. */
  get $released(): boolean {
    return this[HOLD] === undefined;
  }

  /**
   * Lets the object go: on the handle target unpins it (embedding.md §7.1;
   * the FinalizationRegistry does this for a wrapper dropped without it),
   * on WasmGC only marks the wrapper released. A second call does nothing.
   */
  $release(): void {
    const hold = this[HOLD];
    if (hold === undefined) return;
    this[HOLD] = undefined;
    this[OWNER].release(hold);
  }

  [Symbol.dispose](): void {
    this.$release();
  }
}

/** The target reference of `r`, for passing it in; a released wrapper is a TypeError naming `where`. */
export function holdOf(r: Vm3Ref, where: string): RefHold {
  const hold = r[HOLD];
  if (hold === undefined) throw new TypeError(`${where}: the ${r.$type} was released`);
  return hold;
}

export function ownerOf(r: Vm3Ref): RefOwner {
  return r[OWNER];
}

/** The base of the struct classes (one subclass per shape, made by structClass). */
export class StructRef extends Vm3Ref {}

/** The class of shape `s` (its name is the shape's), with one accessor property per field. */
export function structClass(s: number, name: string, fields: readonly string[]): new (owner: RefOwner, hold: RefHold) => StructRef {
  const cls = {
    [name]: class extends StructRef {
      constructor(owner: RefOwner, hold: RefHold) {
        super(owner, hold, `struct<${name}>`);
      }
    },
  }[name]!;
  fields.forEach((field, f) => {
    Object.defineProperty(cls.prototype, field, {
      enumerable: true,
      get(this: StructRef) {
        return this[OWNER].invoke(this[OWNER].names.get(s, f), [this]);
      },
      set(this: StructRef, v: unknown) {
        this[OWNER].invoke(this[OWNER].names.set(s, f), [this, v]);
      },
    });
  });
  return cls;
}

/** A `list<i64>`, `list<any>` or `f64arr`: length, get, set, push, iteration. */
export class ListRef<T, In = T> extends Vm3Ref implements Iterable<T> {
  readonly #kind: CollectionKind;
  constructor(owner: RefOwner, hold: RefHold, kind: CollectionKind) {
    super(owner, hold, kind === "li64" ? "list<i64>" : kind === "lany" ? "list<any>" : "f64arr");
    this.#kind = kind;
  }
  #call(op: string, args: unknown[]): unknown {
    return this[OWNER].invoke(this[OWNER].names.collection(this.#kind, op), [this, ...args]);
  }
  get length(): number {
    return Number(this.#call("len", []) as bigint);
  }
  get(i: number | bigint): T {
    return this.#call("get", [i]) as T;
  }
  set(i: number | bigint, v: In): void {
    this.#call("set", [i, v]);
  }
  push(v: In): void {
    this.#call("push", [v]);
  }
  *[Symbol.iterator](): Iterator<T> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield this.get(i);
  }
  toArray(): T[] {
    return [...this];
  }
}

/** A `map` (i64 → i64). */
export class MapRef extends Vm3Ref {
  constructor(owner: RefOwner, hold: RefHold) {
    super(owner, hold, "map");
  }
  #call(op: string, args: unknown[]): unknown {
    return this[OWNER].invoke(this[OWNER].names.collection("map", op), [this, ...args]);
  }
  get size(): number {
    return Number(this.#call("len", []) as bigint);
  }
  get(k: number | bigint): bigint {
    return this.#call("get", [k]) as bigint;
  }
  set(k: number | bigint, v: number | bigint): void {
    this.#call("set", [k, v]);
  }
  has(k: number | bigint): boolean {
    return this.#call("has", [k]) as boolean;
  }
}
