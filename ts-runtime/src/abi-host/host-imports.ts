// The `host` import object of a handle-ABI module (handle-abi.md §10.8): one
// function per `host` import, which reads the guest's raw arguments — any
// i64 / i32 may arrive, every Cell is checked as the `vm3` imports check
// theirs (host-values.ts guestCellToHost) — converts them (host.md §11.3),
// calls the embedder's function (a throw is HOST_ERROR), and converts its
// result back into the Wasm value: a bigint for i64, a number for f64, 0/1
// for bool, a Cell (a new String or Host slot for str / host) as its
// unsigned BigInt. While a host function runs, the instance is busy
// (`HostCallState`): running an entry of it then is refused (host.md §11.2).

import type { Cell } from "../cell.ts";
import type { HandleRef } from "../handle-ref.ts";
import type { Heap } from "../heap.ts";
import type { HostFunction } from "../host-functions.ts";
import { callHost, guestCellToHost, hostToBool, hostToCell, hostToF64, hostToI64, type HostSlotType } from "../host-values.ts";
import { Trap, TrapCode } from "../trap.ts";
import { cellArg } from "./args.ts";
import { type HostCrossing, hostCrossing, type HostSignature } from "./host-section.ts";
import type { LivePeak } from "./live-peak.ts";

/** Whether a host function of an instance is running (re-entry is refused while it is). */
export interface HostCallState {
  /** The import whose host function is running, if one is. */
  inside: string | undefined;
}

/** A nested run of an instance while one of its host functions runs (host.md §11.2). */
export class HostReentryError extends Error {
  constructor(what: string, inside: string) {
    super(`${what}: the instance is inside host.call @${inside}; a host function must not re-enter the instance that called it (host.md §11.2)`);
    this.name = "HostReentryError";
  }
}

/** `{ host: { name: fn, … } }` for `signatures` bound to `fns` (same order), converting on `heap`. */
export function hostImports(
  heap: Heap,
  signatures: readonly HostSignature[],
  fns: readonly HostFunction[],
  state: HostCallState,
  peak?: LivePeak,
): { host: Record<string, (...args: unknown[]) => unknown> } {
  const host: Record<string, (...args: unknown[]) => unknown> = {};
  signatures.forEach((sig, i) => {
    const fn = fns[i]!;
    const params = sig.params.map((t) => hostCrossing(t));
    const result = hostCrossing(sig.result);
    const where = `the result of host function @${sig.name}`;
    host[sig.name] = (...raw: unknown[]): unknown => {
      if (state.inside !== undefined) throw new HostReentryError(`host.call @${sig.name}`, state.inside);
      const made: HandleRef[] = [];
      let args: unknown[];
      try {
        args = params.map((t, k) => argument(heap, t, raw[k], made));
      } catch (e) {
        // A later argument failed: the host never sees the earlier ones' reference objects.
        for (const r of made) r.release();
        throw e;
      }
      let out: unknown;
      state.inside = sig.name;
      try {
        out = callHost(sig.name, fn, args);
      } finally {
        state.inside = undefined;
      }
      const v = back(heap, result, out, where);
      if (typeof result !== "string") peak?.sample(); // a str or host result is a new slot
      return v;
    };
  });
  return { host };
}

function argument(heap: Heap, t: HostCrossing, raw: unknown, made: HandleRef[]): unknown {
  switch (t) {
    case "i64": return raw; // the engine's signed BigInt
    case "f64": return raw;
    case "bool":
      if (raw === 0) return false;
      if (raw === 1) return true;
      throw new Trap(TrapCode.BAD_ARGUMENT, "host_call", `a bool argument is ${String(raw)}, not 0 or 1`);
    case "unit": throw new Error("unit is no parameter type (checked when the section was read)");
    default: return guestCellToHost(heap, cellArg(raw as bigint), t, made);
  }
}

function back(heap: Heap, t: HostCrossing, out: unknown, where: string): unknown {
  switch (t) {
    case "unit": return undefined;
    case "i64": return hostToI64(out, where);
    case "f64": return hostToF64(out, where);
    case "bool": return hostToBool(out, where) ? 1 : 0;
    default: return hostToCell(heap, out, t as HostSlotType, where) as Cell;
  }
}
