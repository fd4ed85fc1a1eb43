// A handle-ABI module's host imports (handle-abi.md §10.8): each IR host
// import the module calls is a Wasm import from module `host` whose field is
// its name, with the Wasm types of values.ts's valueType (i64, f64, bool as
// i32, every other type a Cell in an i64, unit no result), declared on first
// use; and the `vm3.host` custom section that gives the host each one's IR
// signature, written once the module is final (after the optimiser, which
// may drop an import whose calls it removed), in the module's import order.

import type { FullType, HostImport, Program } from "../ir/model.ts";
import { importResultType } from "../ir/model.ts";
import { binaryen } from "../wasm/binaryen.ts";
import { valueType } from "./values.ts";
import { HOST_MODULE, HOST_SECTION } from "../../../ts-runtime/src/abi-host/host-section.ts";

export class HostImports {
  readonly #m: binaryen.Module;
  readonly #imports: readonly HostImport[];
  readonly #declared = new Set<number>();

  constructor(module: binaryen.Module, program: Program) {
    this.#m = module;
    this.#imports = program.hostImports ?? [];
  }

  /** The internal name of host import `index`, declared on first use. */
  name(index: number): string {
    const h = this.#imports[index];
    if (h === undefined) throw new Error(`host.call names host import ${index}, but the program has ${this.#imports.length}`);
    const internal = `host.${index}.${h.name}`;
    if (!this.#declared.has(index)) {
      this.#declared.add(index);
      this.#m.addFunctionImport(internal, HOST_MODULE, h.name, binaryen.createType(h.params.map(valueType)), valueType(importResultType(h)));
    }
    return internal;
  }

  /** `call` of host import `index` with `args`. */
  call(index: number, args: binaryen.ExpressionRef[]): binaryen.ExpressionRef {
    return this.#m.call(this.name(index), args, valueType(importResultType(this.#imports[index]!)));
  }

  /**
   * Adds the `vm3.host` section describing the `host` imports the module
   * has now, in its function order (the import section's); nothing when it
   * has none. Call once, on the final module.
   */
  addSection(): void {
    const m = this.#m;
    const byName = new Map(this.#imports.map((h) => [h.name, h]));
    const present: HostImport[] = [];
    for (let i = 0; i < m.getNumFunctions(); i++) {
      const info = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
      if (info.module !== HOST_MODULE) continue;
      const h = byName.get(info.base ?? "");
      if (h === undefined) throw new Error(`the module imports host.${info.base}, which the program does not declare`);
      present.push(h);
    }
    if (present.length === 0) return;
    m.addCustomSection(HOST_SECTION, encodeHostSection(present));
  }
}

/** §10.8's payload for `imports`, in their order. */
export function encodeHostSection(imports: readonly HostImport[]): Uint8Array {
  const out: number[] = [];
  const u32 = (n: number) => {
    let v = n >>> 0;
    do {
      const b = v & 0x7f;
      v >>>= 7;
      out.push(v === 0 ? b : b | 0x80);
    } while (v !== 0);
  };
  const type = (t: FullType) => {
    u32(t.type);
    u32(t.elemType);
    u32(t.structId);
  };
  const encoder = new TextEncoder();
  u32(imports.length);
  for (const h of imports) {
    const name = encoder.encode(h.name);
    u32(name.length);
    out.push(...name);
    u32(h.params.length);
    h.params.forEach(type);
    type(importResultType(h));
  }
  return Uint8Array.from(out);
}
