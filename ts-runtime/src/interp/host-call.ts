// `host.call` in the interpreter (host.md §11.2): each host import becomes a
// HostSite — its bound function and how each parameter and the result cross
// (host-values.ts) — made once per run; the op then converts the registers,
// calls, and converts the result back into the destination register.
import type { Cell } from "../cell.ts";
import type { Heap } from "../heap.ts";
import { bindHostImports, type HostFunction, type HostFunctions } from "../host-functions.ts";
import { type HostCrossing, type HostSlotType, callHost, cellToHost, hostCrossing, hostToBool, hostToCell, hostToF64, hostToI64 } from "../host-values.ts";
import type { FullType, Program } from "../../../compiler3-emit/src/ir/model.ts";
import { importResultType } from "../../../compiler3-emit/src/ir/model.ts";
import { BANK_F } from "./decode.ts";
import { fromBig, toBig, type I64 } from "./i64.ts";

/** How one value crosses: a scalar in its bank, or a Cell (host-values.ts). */
type Crossing = HostCrossing;

export class HostSite {
  readonly name: string;
  readonly fn: HostFunction;
  readonly params: readonly Crossing[];
  readonly result: Crossing;

  constructor(name: string, fn: HostFunction, params: readonly Crossing[], result: Crossing) {
    this.name = name;
    this.fn = fn;
    this.params = params;
    this.result = result;
  }

  /**
   * Runs the call: `regs`/`banks` are the argument registers and their
   * banks; returns the result for the destination register (a
   * number for f64, a canonical I64, a boolean, a Cell, or undefined).
   */
  call(heap: Heap, R: unknown[], F: Float64Array, regs: Int32Array, banks: Uint8Array): unknown {
    const args = new Array<unknown>(regs.length);
    for (let k = 0; k < regs.length; k++) {
      const t = this.params[k]!;
      const raw = banks[k] === BANK_F ? F[regs[k]!] : R[regs[k]!];
      args[k] = t === "i64" ? toBig(raw as I64) : t === "f64" || t === "bool" ? raw : cellToHost(heap, raw as Cell, t as HostSlotType);
    }
    const out = callHost(this.name, this.fn, args);
    const where = `the result of host function @${this.name}`;
    const t = this.result;
    switch (t) {
      case "unit": return undefined;
      case "i64": return fromBig(hostToI64(out, where));
      case "f64": return hostToF64(out, where);
      case "bool": return hostToBool(out, where);
      default: return hostToCell(heap, out, t, where);
    }
  }
}

/** The sites of `program`'s host imports, bound to `host`; HostLinkError when one has no function. */
export function hostSites(program: Program, host: HostFunctions | undefined): HostSite[] {
  const imports = program.hostImports ?? [];
  if (imports.length === 0) return [];
  const fns = bindHostImports(imports.map((h) => h.name), host);
  return imports.map((h, i) => new HostSite(h.name, fns[i]!, h.params.map((t) => crossing(program, t)), crossing(program, importResultType(h))));
}

function crossing(p: Program, t: FullType): Crossing {
  return hostCrossing(t, (id) => p.structs[id]?.name ?? String(id));
}
