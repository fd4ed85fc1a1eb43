// The WasmGC target of the typed API (bindings.md §2): one instance of the
// bound program's WasmGC module. References are the engine's own, so a
// wrapper holds one and the engine's collector sees every cycle through it;
// strings cross as the module's string structs (string-ops.ts), host values
// as Host slots in externrefs (host-glue.ts), and an `any` is read with the
// module's exported readers (any-parts.ts).

import type { HostFunction } from "../../../ts-runtime/src/host-functions.ts";
import { Trap, TrapCode } from "../../../ts-runtime/src/trap.ts";
import type { Program } from "../ir/model.ts";
import { HostSlot, type StringAccess } from "../wasmgc/host-glue.ts";
import { ANY_KIND, BINDING_EXPORTS, REF_KIND } from "../wasmgc/interface.ts";
import { engineTrap, instantiateWasmGcProgram, type WasmModule } from "../wasmgc/run.ts";
import { accessorName } from "./accessors.ts";
import type { RefHold } from "./refs.ts";
import { type AnyView, scalarView, type TargetCore } from "./target-core.ts";

type Fn = (...args: unknown[]) => unknown;

const COLLECTIONS = { [REF_KIND.li64]: "li64", [REF_KIND.lany]: "lany", [REF_KIND.f64arr]: "f64arr", [REF_KIND.map]: "map" } as const;

export class WasmGcCore implements TargetCore {
  readonly engine = "wasmgc" as const;
  readonly heap = undefined;
  readonly nullRef = null;
  readonly #exports: Record<string, unknown>;
  readonly #strings: StringAccess;

  constructor(module: WasmModule, program: Program, host: readonly HostFunction[]) {
    const instance = instantiateWasmGcProgram(module, program, host);
    this.#exports = instance.exports;
    this.#strings = instance.strings;
  }

  isNull(raw: unknown): boolean {
    return raw === null;
  }

  #fn(name: string): Fn {
    const f = this.#exports[name];
    if (typeof f !== "function") throw new Error(`the module exports no function ${name}: it was not emitted for bindings (vm3 emit --bindings)`);
    return f as Fn;
  }

  call(name: string, args: readonly unknown[]): unknown {
    try {
      return this.#fn(name)(...args);
    } catch (e) {
      const t = engineTrap(e);
      if (t === undefined || e instanceof Trap) throw e;
      // The trap channel carries the code only (wasmgc.md §9): the site is the function called.
      throw new Trap(t.code as TrapCode, name, e instanceof Error && e.name === "Vm3Trap" ? "the WasmGC target reports the trap's code only" : t.message);
    }
  }

  callAccessor(name: string, args: readonly unknown[]): unknown {
    return this.call(name, args);
  }

  tempMark(): number {
    return 0;
  }

  endCall(): void {}

  strIn(text: string): unknown {
    return this.#strings.make(text);
  }

  strOut(raw: unknown): string {
    if (this.#strings.len(raw) < 0) throw new Trap(TrapCode.STALE_HANDLE, "str", "the string was freed");
    return this.#strings.text(raw);
  }

  hostIn(value: unknown): unknown {
    return new HostSlot(value);
  }

  hostOut(raw: unknown): unknown {
    const slot = raw as HostSlot;
    if (slot.freed) throw new Trap(TrapCode.STALE_HANDLE, "host", "the Host slot was freed");
    return slot.value;
  }

  refIn(hold: RefHold): unknown {
    return hold.raw;
  }

  refOut(raw: unknown): RefHold {
    return { raw };
  }

  adopt(received: unknown): RefHold {
    return { raw: received };
  }

  drop(): void {}

  rawOf(received: unknown): unknown {
    return received;
  }

  identity(raw: unknown): unknown {
    return raw;
  }

  handOut(hold: RefHold): unknown {
    return hold.raw;
  }

  anyView(raw: unknown): AnyView {
    switch (this.#fn(BINDING_EXPORTS.anyKind)(raw) as number) {
      case ANY_KIND.null:
        return { kind: "null" };
      case ANY_KIND.int:
        return { kind: "int", value: this.#fn(BINDING_EXPORTS.anyInt)(raw) as bigint };
      case ANY_KIND.f64:
        return { kind: "f64", value: this.#fn(BINDING_EXPORTS.anyF64)(raw) as number };
      case ANY_KIND.bool:
        return { kind: "bool", value: (this.#fn(BINDING_EXPORTS.anyInt)(raw) as bigint) !== 0n };
      default:
        return this.#refView(raw);
    }
  }

  #refView(raw: unknown): AnyView {
    const k = this.#fn(BINDING_EXPORTS.refKind)(raw) as number;
    if (k === REF_KIND.str) return { kind: "str", text: this.strOut(raw) };
    // Pure, and maybe inside a host call (a received any): an accessor call.
    if (k === REF_KIND.host) return { kind: "host", value: this.hostOut(this.callAccessor(accessorName.unboxHost, [raw])) };
    if (k >= REF_KIND.shape) return { kind: "struct", shape: k - REF_KIND.shape, raw };
    const coll = COLLECTIONS[k as keyof typeof COLLECTIONS];
    if (coll !== undefined) return { kind: "coll", coll, raw };
    throw new Trap(TrapCode.WRONG_TYPE, "bindings", "an any holding a reference of no IR type");
  }

  receivedAnyView(received: unknown): AnyView {
    return received !== null && typeof received === "object" ? this.#refView(received) : scalarView(received);
  }

  release(): void {}
}
