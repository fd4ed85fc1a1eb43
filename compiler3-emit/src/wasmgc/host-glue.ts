// The JS side of host values and host calls on the WasmGC target (host.md
// §11, wasmgc.md §9.6): the Host slots a `host` externref holds, and the
// `host` imports — one function per host import of the program, made per
// instance — that convert each argument to the host value of host.md §11.3,
// call the embedder's function and convert its result back, trapping
// HOST_ERROR where the host throws or returns what does not convert.
//
// The module has done its half before an import is called (host-calls.ts):
// an `any` argument arrives as (kind, i64, f64, reference), and a reference
// result goes back as an anyref that the module tests with `ref.test`. No
// binaryen here: this loads in the browser worker (run.ts).

import type { FullType, HostImport, Program } from "../ir/model.ts";
import { typeText } from "../ir/types.ts";
import { Type, importResultType } from "../ir/model.ts";
import type { HostFunction } from "../../../ts-runtime/src/host-functions.ts";
import { callHost, hostError, hostToBool, hostToF64, hostToI64 } from "../../../ts-runtime/src/host-values.ts";
import { MAX_STR_BYTES } from "../../../ts-runtime/src/string-arena.ts";
import { Trap, TrapCode } from "../../../ts-runtime/src/trap.ts";
import { ANY_KIND, STRING_EXPORTS } from "./interface.ts";

/** A Host slot (ir.md §8.5 op 87): the JS value and the freed mark that `free` sets. */
export class HostSlot {
  freed = false;
  readonly value: unknown;
  constructor(value: unknown) {
    this.value = value;
  }
}

/** How a value of an IR type crosses to the host and back (host.md §11.3). */
export type HostCrossing = "i64" | "f64" | "bool" | "unit" | "str" | "host" | "any" | "ref";

export function hostCrossing(t: FullType): HostCrossing {
  switch (t.type) {
    case Type.I64: return "i64";
    case Type.F64: return "f64";
    case Type.BOOL: return "bool";
    case Type.UNIT: return "unit";
    case Type.STR: return "str";
    case Type.HOST: return "host";
    case Type.ANY: return "any";
    default: return "ref";
  }
}

type Fn = (...args: unknown[]) => unknown;
const INT48_MIN = -(1n << 47n);
const INT48_END = 1n << 47n;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The string accessors of one instance (exported by every module, string-ops.ts). */
export interface StringAccess {
  /** The bytes' text; `len` is -1 for a freed string (lifetime.ts). */
  len(s: unknown): number;
  text(s: unknown): string;
  make(text: string): unknown;
}

/** The accessors of the instance whose exports `exports()` returns (set once it exists). */
export function stringAccess(exports: () => Record<string, unknown>): StringAccess {
  return {
    len: (s) => (exports()[STRING_EXPORTS.len] as Fn)(s) as number,
    text(s) {
      const e = exports();
      const n = (e[STRING_EXPORTS.len] as Fn)(s) as number;
      const byte = e[STRING_EXPORTS.byte] as Fn;
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = byte(s, i) as number;
      return decoder.decode(bytes);
    },
    make(text) {
      const e = exports();
      const bytes = encoder.encode(text);
      const s = (e[STRING_EXPORTS.alloc] as Fn)(bytes.length);
      const set = e[STRING_EXPORTS.setByte] as Fn;
      for (let i = 0; i < bytes.length; i++) set(s, i, bytes[i]);
      return s;
    },
  };
}

/** What a freed Host slot or string as an argument raises (host.md §11.3), before the host function runs. */
function stale(name: string, k: number, what: string): Trap {
  return new Trap(TrapCode.STALE_HANDLE, "host_call", `argument ${k} of host function @${name} is a freed ${what}`);
}

/** The host value a Host slot externref stands for: null, or the live slot's value. */
export function slotValue(h: unknown, name: string, k: number): unknown {
  if (h === null) return null;
  const slot = h as HostSlot;
  if (slot.freed) throw stale(name, k, "Host slot");
  return slot.value;
}

/**
 * The `host` import functions of a program's host imports, bound in order
 * to `fns` (bindHostImports), and `vm3.host_bad_result`: every field of
 * the module's `host` import object and that one `vm3` import.
 */
export function hostImportObject(
  program: Program,
  fns: readonly HostFunction[],
  strings: StringAccess,
): { host: Record<string, Fn>; badResult: (index: number) => never } {
  const imports = program.hostImports ?? [];
  const host: Record<string, Fn> = {};
  imports.forEach((h, i) => {
    host[h.name] = hostImportFunction(program, h, fns[i]!, strings);
  });
  const badResult = (index: number): never => {
    const h = imports[index]!;
    throw hostError(`the result of host function @${h.name}: want a reference of type ${typeText(importResultType(h), program.structs)}, got another value`);
  };
  return { host, badResult };
}

function hostImportFunction(program: Program, h: HostImport, fn: HostFunction, strings: StringAccess): Fn {
  const name = h.name;
  const params = h.params.map(hostCrossing);
  const result = hostCrossing(importResultType(h));
  const where = `the result of host function @${name}`;
  const wantText = typeText(importResultType(h), program.structs);
  return (...raw: unknown[]): unknown => {
    // Arguments, in order, with the checks of the ops that read them (host.md §11.3).
    const args = new Array<unknown>(params.length);
    let j = 0;
    for (let k = 0; k < params.length; k++) {
      const x = raw[j++];
      switch (params[k]!) {
        case "bool":
          args[k] = x !== 0;
          break;
        case "str":
          if (x === null) args[k] = null;
          else if (strings.len(x) < 0) throw stale(name, k, "string");
          else args[k] = strings.text(x);
          break;
        case "host":
          args[k] = slotValue(x, name, k);
          break;
        case "any": {
          const i = raw[j++] as bigint;
          const f = raw[j++] as number;
          const r = raw[j++];
          args[k] = x === ANY_KIND.null ? null : x === ANY_KIND.int ? i : x === ANY_KIND.f64 ? f : x === ANY_KIND.bool ? i !== 0n : r;
          break;
        }
        default: // i64 (a bigint), f64 (a number), a reference (the engine's own, null for null)
          args[k] = x;
      }
    }
    const out = callHost(name, fn as Fn, args);
    switch (result) {
      case "unit":
        return undefined;
      case "i64":
        return hostToI64(out, where);
      case "f64":
        return hostToF64(out, where);
      case "bool":
        return hostToBool(out, where) ? 1 : 0;
      case "str": {
        if (typeof out !== "string") throw hostError(`${where}: want a string for str, got ${describe(out)}`);
        // A JS string's UTF-8 can pass MAX_STR_BYTES (3 bytes a code unit): as concat.str, OUT_OF_MEMORY.
        if (out.length > MAX_STR_BYTES / 3 && encoder.encode(out).length > MAX_STR_BYTES) {
          throw new Trap(TrapCode.OUT_OF_MEMORY, "host_call", `${where}: a string longer than MAX_STR_BYTES`);
        }
        return strings.make(out);
      }
      case "host":
        return out === null || out === undefined ? null : new HostSlot(out);
      case "ref":
        // The module tests the reference's type (ref.test after anyref); a JS primitive never is one.
        if (out === null) return null;
        if (typeof out !== "object") throw hostError(`${where}: want a reference for ${wantText}, got ${describe(out)}`);
        return out;
      case "any":
        if (out === null) return [ANY_KIND.null, 0n, 0, null];
        switch (typeof out) {
          case "bigint":
            if (out < INT48_MIN || out >= INT48_END) throw hostError(`${where}: ${out} does not fit a boxed i64 (48 bits)`);
            return [ANY_KIND.int, out, 0, null];
          case "number":
            return [ANY_KIND.f64, 0n, out, null];
          case "boolean":
            return [ANY_KIND.bool, out ? 1n : 0n, 0, null];
          case "object":
            return [ANY_KIND.ref, 0n, 0, out];
          default:
            throw hostError(`${where}: want a reference or a scalar for any, got ${describe(out)}`);
        }
    }
  };
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  if (typeof v === "function") return "a function";
  return typeof v;
}
