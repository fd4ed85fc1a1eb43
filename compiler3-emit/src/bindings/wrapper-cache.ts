// One wrapper per heap object while JS holds it (bindings.md §3): a
// reference read twice gives the same wrapper, so `===`, Map keys and Sets
// work, and the handle target pins each object once rather than once per
// read. The cache holds wrappers weakly, so it never keeps one alive (nor,
// through it, its object): a WasmGC reference keys a WeakMap; a Cell, which
// is a bigint, keys a Map whose entries a FinalizationRegistry removes.

import type { Vm3Ref } from "./refs.ts";

export class WrapperCache {
  readonly #byObject = new WeakMap<object, WeakRef<Vm3Ref>>();
  readonly #byCell = new Map<bigint, WeakRef<Vm3Ref>>();
  readonly #registry = new FinalizationRegistry<bigint>((cell) => {
    // A newer wrapper may have taken the Cell since: remove only a dead entry.
    if (this.#byCell.get(cell)?.deref() === undefined) this.#byCell.delete(cell);
  });

  /** The live, unreleased wrapper of `key`, if any. */
  get(key: unknown): Vm3Ref | undefined {
    const w = (typeof key === "bigint" ? this.#byCell.get(key) : this.#byObject.get(key as object))?.deref();
    return w === undefined || w.$released ? undefined : w;
  }

  set(key: unknown, w: Vm3Ref): void {
    const ref = new WeakRef(w);
    if (typeof key === "bigint") {
      this.#byCell.set(key, ref);
      this.#registry.register(w, key);
    } else {
      this.#byObject.set(key as object, ref);
    }
  }
}
