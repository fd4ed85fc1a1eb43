// The handle target of the typed API (bindings.md §2): one instance of the
// bound program's handle-ABI module on its own TypeScript Heap. Strings and
// host values made for an argument live in new slots pinned until the call
// returns; a reference a call returns is held by a HandleRef (a pin, released
// by the wrapper's `$release()`, `using` or the FinalizationRegistry), which
// also gives the heap's wrapper-owned weak host edges their anchor
// (collection.md §4.7), so a cycle through a wrapper is collected.

import { cellArg } from "../../../ts-runtime/src/abi-host/args.ts";
import { Arena } from "../../../ts-runtime/src/arena.ts";
import { type Cell, CELL_NULL, decodeCell } from "../../../ts-runtime/src/cell.ts";
import { HandleRef } from "../../../ts-runtime/src/handle-ref.ts";
import type { HeapConfig } from "../../../ts-runtime/src/heap-config.ts";
import type { HostFunctions } from "../../../ts-runtime/src/host-functions.ts";
import { newHandleAbiInstance, type HandleAbiInstance } from "../../../ts-runtime/src/abi-host/instance.ts";
import type { WasmModule } from "../../../ts-runtime/src/abi-host/wasm-api.ts";
import { Trap, TrapCode } from "../../../ts-runtime/src/trap.ts";
import type { RefHold } from "./refs.ts";
import { type AnyView, scalarView, type TargetCore } from "./target-core.ts";

export class HandleCore implements TargetCore {
  readonly engine = "handle-abi" as const;
  readonly nullRef = CELL_NULL;
  readonly #instance: HandleAbiInstance;
  readonly #temps: Cell[] = [];

  /** Instantiates `module` on a fresh heap and runs `vm3_init` (a trap in it is thrown as its Trap). */
  constructor(module: WasmModule, heap: HeapConfig, host: HostFunctions) {
    this.#instance = newHandleAbiInstance(module, heap, host);
    this.#instance.init();
  }

  get heap() {
    return this.#instance.heap;
  }

  // A Cell the guest returns arrives as the engine's signed i64 (handle-abi.md §10.2); the heap works on the unsigned pattern.
  isNull(raw: unknown): boolean {
    return cellArg(raw as bigint) === CELL_NULL;
  }

  call(name: string, args: readonly unknown[]): unknown {
    return this.#engineTrap(name, () => this.#instance.call(name, args));
  }

  callAccessor(name: string, args: readonly unknown[]): unknown {
    return this.#engineTrap(name, () => this.#instance.callNested(name, args));
  }

  #engineTrap(name: string, f: () => unknown): unknown {
    // The frames open now (a zero-slot frame's mark is one more).
    const heap = this.heap;
    const base = heap.frameEnter(0) - 1;
    heap.frameExit(base + 1);
    try {
      return f();
    } catch (e) {
      // A trap leaves the guest's frames open (handle-abi.md §10.4); the instance lives on, so close them, or what they root would stay alive.
      for (let m = heap.frameEnter(0); m > base; m--) heap.frameExit(m);
      if (e instanceof RangeError && /call stack/i.test(e.message)) throw new Trap(TrapCode.STACK_OVERFLOW, name, e.message);
      throw e;
    }
  }

  tempMark(): number {
    return this.#temps.length;
  }

  endCall(mark: number): void {
    // The call has returned and its frames are closed: nothing of the guest holds its temporaries now.
    for (const c of this.#temps.splice(mark)) this.heap.unpin(c);
  }

  #temp(c: Cell): Cell {
    this.heap.pin(c);
    this.#temps.push(c);
    return c;
  }

  strIn(text: string): unknown {
    return this.#temp(this.heap.strNew(text));
  }

  strOut(raw: unknown): string {
    return this.heap.strText(cellArg(raw as bigint));
  }

  hostIn(value: unknown): unknown {
    return this.#temp(this.heap.hostNew(value));
  }

  hostOut(raw: unknown): unknown {
    return this.heap.hostGet(cellArg(raw as bigint));
  }

  refIn(hold: RefHold): unknown {
    return (hold.raw as HandleRef).cell;
  }

  refOut(raw: unknown): RefHold {
    return { raw: new HandleRef(this.heap, cellArg(raw as bigint)) };
  }

  adopt(received: unknown): RefHold {
    return { raw: received as HandleRef };
  }

  drop(received: unknown): void {
    (received as HandleRef).release();
  }

  rawOf(received: unknown): unknown {
    return (received as HandleRef).cell;
  }

  identity(raw: unknown): unknown {
    return cellArg(raw as bigint);
  }

  handOut(hold: RefHold): unknown {
    return hold.raw;
  }

  anyView(raw: unknown): AnyView {
    const c = cellArg(raw as bigint);
    const v = decodeCell(c);
    switch (v.kind) {
      case "null":
        return { kind: "null" };
      case "int":
        return { kind: "int", value: v.value };
      case "f64":
        return { kind: "f64", value: v.value };
      case "bool":
        return { kind: "bool", value: v.value };
      case "handle":
        switch (v.arena) {
          case Arena.STRING:
            return { kind: "str", text: this.heap.strText(c) };
          case Arena.HOST:
            return { kind: "host", value: this.heap.hostGet(c) };
          case Arena.STRUCT:
            return { kind: "struct", shape: this.heap.structShape(c), raw: c };
          case Arena.I64_ARR:
            return { kind: "coll", coll: "li64", raw: c };
          case Arena.LIST:
            return { kind: "coll", coll: "lany", raw: c };
          case Arena.F64_ARR:
            return { kind: "coll", coll: "f64arr", raw: c };
          case Arena.MAP:
            return { kind: "coll", coll: "map", raw: c };
        }
    }
    throw new Trap(TrapCode.WRONG_TYPE, "bindings", `an any holding a handle of arena ${(v as { arena: number }).arena}, which no IR type has`);
  }

  receivedAnyView(received: unknown): AnyView {
    if (!(received instanceof HandleRef)) return scalarView(received);
    // host.md §11.3 gave a HandleRef for every handle; a string's or host value's is read and let go.
    const view = this.anyView(received.cell);
    if (view.kind === "coll" || view.kind === "struct") return { ...view, received };
    received.release();
    return view;
  }

  release(hold: RefHold): void {
    (hold.raw as HandleRef).release();
  }
}
