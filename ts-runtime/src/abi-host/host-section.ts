// The `vm3.host` custom section of a handle-ABI module (handle-abi.md §10.8):
// the IR signature of each `host` import, in import order, which the Wasm
// types alone cannot give (a str and a struct are both an i64 Cell). A
// strict reader: a truncated or over-long LEB128, bytes left over, a type
// that is not one of ir.md §8.2's as a host import may use it, or a name that
// is not UTF-8 is a HostSectionError naming the byte offset in the payload.
// The TypeScript host reads it to check the module at compile (contract.ts)
// and to convert each call's values (host-imports.ts).

import { type HostType, hostTypeText, IR_TYPE as T } from "../host-values.ts";
import type { WasmValType } from "./signatures.ts";

/** The custom section's name. */
export const HOST_SECTION = "vm3.host";
/** The Wasm import module of host functions. */
export const HOST_MODULE = "host";

export { type HostCrossing, hostCrossing, type HostType, hostTypeText } from "../host-values.ts";


export interface HostSignature {
  readonly name: string;
  readonly params: readonly HostType[];
  readonly result: HostType;
}

export class HostSectionError extends Error {
  readonly offset: number;
  constructor(offset: number, message: string) {
    super(`malformed ${HOST_SECTION} custom section at byte ${offset}: ${message}`);
    this.name = "HostSectionError";
    this.offset = offset;
  }
}

/** Reads a `vm3.host` payload; HostSectionError on anything malformed. */
export function readHostSection(bytes: Uint8Array): HostSignature[] {
  let pos = 0;
  const fail = (message: string, at = pos): never => {
    throw new HostSectionError(at, message);
  };
  const u32 = (what: string): number => {
    const at = pos;
    let result = 0;
    for (let i = 0; i < 5; i++) {
      if (pos >= bytes.length) fail(`${what}: unexpected end`);
      const b = bytes[pos++]!;
      if (i === 4 && (b & 0x70) !== 0) fail(`${what}: LEB128 u32 out of range`, at);
      result += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) return result;
    }
    return fail(`${what}: LEB128 u32 longer than 5 bytes`, at);
  };
  const type = (what: string, result: boolean): HostType => {
    const at = pos;
    const t: HostType = { type: u32(`${what} type`), elemType: u32(`${what} elem_type`), structId: u32(`${what} struct_id`) };
    const why = hostTypeError(t, result);
    if (why !== undefined) fail(`${what}: ${why}`, at);
    return t;
  };
  const count = u32("count");
  // Each entry takes at least 5 bytes (name length, parameter count, a result of three numbers).
  if (count * 5 > bytes.length - pos) fail(`count ${count} does not fit the ${bytes.length - pos} bytes left`, 0);
  const out: HostSignature[] = [];
  for (let i = 0; i < count; i++) {
    const len = u32(`entry ${i} name length`);
    const at = pos;
    if (len > bytes.length - pos) fail(`entry ${i} name: ${len} bytes run past the end`);
    let name: string;
    try {
      name = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(pos, pos + len));
    } catch {
      return fail(`entry ${i} name: not UTF-8`, at);
    }
    pos += len;
    const n = u32(`${name} parameter count`);
    if (n * 3 > bytes.length - pos) fail(`${name}: parameter count ${n} does not fit the ${bytes.length - pos} bytes left`);
    const params: HostType[] = [];
    for (let k = 0; k < n; k++) params.push(type(`${name} parameter ${k}`, false));
    out.push({ name, params, result: type(`${name} result`, true) });
  }
  if (pos !== bytes.length) fail(`${bytes.length - pos} bytes after the last entry`);
  return out;
}

/** Why `t` cannot be a host import's parameter (or, with `result`, its result); undefined when it can. */
export function hostTypeError(t: HostType, result: boolean): string | undefined {
  const { type, elemType, structId } = t;
  if (type === T.UNIT && !result) return "unit is not a parameter type";
  switch (type) {
    case T.UNIT:
    case T.I64: case T.F64: case T.BOOL: case T.STR: case T.MAP: case T.F64_ARR: case T.ANY: case T.HOST:
      if (elemType !== 0) return `elem_type ${elemType} on a non-list type ${type}`;
      if (structId !== 0) return `struct_id ${structId} on a non-struct type ${type}`;
      return undefined;
    case T.LIST:
      if (elemType !== T.I64 && elemType !== T.ANY) return `list elem_type must be I64 (1) or ANY (16), not ${elemType}`;
      if (structId !== 0) return `struct_id ${structId} on a list`;
      return undefined;
    case T.STRUCT:
      if (elemType !== 0) return `elem_type ${elemType} on a struct`;
      return undefined;
    default:
      return `type ${type} is not a host import's type (ir.md §8.2)`;
  }
}

/** The Wasm type of a value of IR type `t` (§10.8's table); undefined for unit. */
export function hostWasmType(t: HostType): WasmValType | undefined {
  switch (t.type) {
    case T.F64: return "f64";
    case T.BOOL: return "i32";
    case T.UNIT: return undefined;
    default: return "i64";
  }
}


/** `(str, i64) -> str`. */
export function hostSignatureText(s: HostSignature): string {
  return `(${s.params.map((t) => hostTypeText(t)).join(", ")}) -> ${hostTypeText(s.result)}`;
}

