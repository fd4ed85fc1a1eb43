// Values crossing the host boundary on the TypeScript heap (host.md §11.3):
// what a host function receives for each IR type and what its result becomes.
// The interpreter and the handle-ABI host both run programs on this Heap, so
// both convert through here; the WasmGC glue (compiler3-emit/src/wasmgc)
// applies the same table to engine references. A conversion that fails throws
// the Trap HOST_ERROR, which is what the `host.call` traps with.
//
// The IR types are given as a `HostSlotType` (what kind of value, which
// arena, which struct shape) rather than as the IR's own types, so that the
// runtime does not depend on the IR model.
import { type Cell, CELL_NULL, cellFromBool, cellFromF64, cellFromInt, decodeCell } from "./cell.ts";
import { Arena } from "./arena.ts";
import { HandleRef } from "./handle-ref.ts";
import type { Heap } from "./heap.ts";
import { Trap, TrapCode } from "./trap.ts";

/** How one IR type crosses (host.md §11.3), for the values that are Cells on this heap. */
export type HostSlotType =
  | { kind: "str" }
  | { kind: "host" }
  | { kind: "any" }
  /** A reference type other than str, host and any: its arena, and for a struct its shape. */
  | { kind: "ref"; arena: number; shape: number | undefined; text: string };

const I64_MIN = -(1n << 63n);
const I64_END = 1n << 63n;
const INT48_MIN = -(1n << 47n);
const INT48_END = 1n << 47n;

const encoder = new TextEncoder();

export function hostError(detail: string): Trap {
  return new Trap(TrapCode.HOST_ERROR, "host_call", detail);
}

/** The text of a thrown value, for the trap's detail (host.md §11.2). */
export function thrownText(e: unknown): string {
  if (e instanceof Error) return e.message === "" ? e.name : e.message;
  try {
    return String(e);
  } catch {
    return "a value that cannot be printed";
  }
}

/**
 * Calls host function `fn` of import `name`: a throw becomes HOST_ERROR
 * naming the import (host.md §11.2). A Trap thrown inside (the host used the
 * heap and it trapped) is a host failure too.
 */
export function callHost(name: string, fn: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  try {
    return fn(...args);
  } catch (e) {
    throw hostError(`host function @${name} threw: ${thrownText(e)}`);
  }
}

/** A host result for an `i64`: a bigint in [-2^63, 2^63), never wrapped. */
export function hostToI64(v: unknown, where: string): bigint {
  if (typeof v !== "bigint") throw hostError(`${where}: want a bigint for i64, got ${describe(v)}`);
  if (v < I64_MIN || v >= I64_END) throw hostError(`${where}: ${v} is outside the i64 range`);
  return v;
}

export function hostToF64(v: unknown, where: string): number {
  if (typeof v !== "number") throw hostError(`${where}: want a number for f64, got ${describe(v)}`);
  return v;
}

export function hostToBool(v: unknown, where: string): boolean {
  if (typeof v !== "boolean") throw hostError(`${where}: want a boolean for bool, got ${describe(v)}`);
  return v;
}

/**
 * What the host receives for a Cell of type `t`: a string's text, a Host
 * slot's value, an `any`'s scalar, or a pinned HandleRef (host.md §11.3).
 * The heap checks the Cell as the op would (a freed Host slot or string is
 * STALE_HANDLE, raised before the host function runs).
 */
export function cellToHost(heap: Heap, c: Cell, t: HostSlotType): unknown {
  if (c === CELL_NULL) return null;
  switch (t.kind) {
    case "str":
      return heap.strText(c);
    case "host":
      return heap.hostGet(c);
    case "any": {
      const view = decodeCell(c);
      switch (view.kind) {
        case "null":
          return null;
        case "int":
          return view.value;
        case "f64":
          return view.value;
        case "bool":
          return view.value;
        default:
          return new HandleRef(heap, c);
      }
    }
    case "ref":
      return new HandleRef(heap, c);
  }
}

/**
 * cellToHost for a Cell an untrusted guest passed (the handle ABI,
 * handle-abi.md §10.8): any 64-bit pattern may arrive, so the Cell is first
 * checked as the `vm3` imports check theirs — a str, host or reference by
 * `handle(c, its arena)` (BAD_CELL, NOT_A_HANDLE, WRONG_ARENA, STALE_HANDLE),
 * a struct<S> of another shape WRONG_TYPE, an `any` BAD_CELL when malformed
 * and a handle in it live in its own arena. A failing check throws its Trap.
 * Each HandleRef made is pushed on `made`, so that a caller whose later
 * argument fails can release the earlier ones.
 */
export function guestCellToHost(heap: Heap, c: Cell, t: HostSlotType, made: HandleRef[]): unknown {
  if (c === CELL_NULL) return null;
  switch (t.kind) {
    case "str":
      heap.checkHandle(c, Arena.STRING);
      return heap.strText(c);
    case "host":
      heap.checkHandle(c, Arena.HOST);
      return heap.hostGet(c);
    case "any": {
      const view = decodeCell(c);
      if (view.kind !== "handle") return view.kind === "null" ? null : view.value;
      heap.checkHandle(c, view.arena);
      break;
    }
    case "ref":
      heap.checkHandle(c, t.arena);
      if (t.shape !== undefined && t.arena === Arena.STRUCT && heap.structShape(c) !== t.shape) {
        throw new Trap(TrapCode.WRONG_TYPE, "host_call", `the argument is a struct of shape ${heap.structShape(c)}, not a ${t.text}`);
      }
      break;
  }
  const r = new HandleRef(heap, c);
  made.push(r);
  return r;
}

/** The Cell of type `t` for host result `v`, allocating a String or Host slot where the table says so. */
export function hostToCell(heap: Heap, v: unknown, t: HostSlotType, where: string): Cell {
  switch (t.kind) {
    case "host":
      return v === null || v === undefined ? CELL_NULL : heap.hostNew(v);
    case "str":
      if (typeof v !== "string") throw hostError(`${where}: want a string for str, got ${describe(v)}`);
      return heap.strNew(encoder.encode(v));
    case "any":
      if (v === null) return CELL_NULL;
      if (typeof v === "bigint") {
        if (v < INT48_MIN || v >= INT48_END) throw hostError(`${where}: ${v} does not fit a boxed i64 (48 bits)`);
        return cellFromInt(v);
      }
      if (typeof v === "number") return cellFromF64(v);
      if (typeof v === "boolean") return cellFromBool(v);
      return ownRef(heap, v, where, "any").cell;
    case "ref": {
      if (v === null) return CELL_NULL;
      const r = ownRef(heap, v, where, t.text);
      const arena = decodeCell(r.cell);
      if (arena.kind !== "handle" || arena.arena !== t.arena) throw hostError(`${where}: the reference is not a ${t.text}`);
      if (t.shape !== undefined && t.arena === Arena.STRUCT) {
        // A freed struct converts (host.md §11.3); its shape is then unknown and its next use traps.
        let shape: number | undefined;
        try {
          shape = heap.structShape(r.cell);
        } catch (e) {
          if (!(e instanceof Trap && e.code === TrapCode.STALE_HANDLE)) throw e;
        }
        if (shape !== undefined && shape !== t.shape) throw hostError(`${where}: the struct is not a ${t.text}`);
      }
      return r.cell;
    }
  }
}

function ownRef(heap: Heap, v: unknown, where: string, want: string): HandleRef {
  if (!(v instanceof HandleRef)) throw hostError(`${where}: want a reference object for ${want}, got ${describe(v)}`);
  if (v.heap !== heap) throw hostError(`${where}: the reference belongs to another instance`);
  if (v.released) throw hostError(`${where}: the reference was released`);
  return v;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return v instanceof HandleRef ? "a reference object" : "an object";
  if (typeof v === "function") return "a function";
  return typeof v;
}

/** ir.proto Type numbers a host import may use (ir.md §8.2). */
export const IR_TYPE = { I64: 1, F64: 2, BOOL: 3, STR: 4, LIST: 5, MAP: 6, STRUCT: 8, F64_ARR: 13, ANY: 16, UNIT: 17, HOST: 18 } as const;

/** An IR full type (ir.md §8.2) by ir.proto's numbers: the handle ABI's vm3.host section gives them so. */
export interface HostType {
  readonly type: number;
  readonly elemType: number;
  readonly structId: number;
}

const T = IR_TYPE;

/** `str`, `list<i64>`, `struct<3>` (or the shape's name, given `structName`). */
export function hostTypeText(t: HostType, structName?: (id: number) => string): string {
  switch (t.type) {
    case T.I64: return "i64";
    case T.F64: return "f64";
    case T.BOOL: return "bool";
    case T.STR: return "str";
    case T.LIST: return t.elemType === T.I64 ? "list<i64>" : "list<any>";
    case T.MAP: return "map";
    case T.STRUCT: return `struct<${structName?.(t.structId) ?? t.structId}>`;
    case T.F64_ARR: return "f64arr";
    case T.ANY: return "any";
    case T.UNIT: return "unit";
    case T.HOST: return "host";
    default: return `type ${t.type}`;
  }
}

/** How a value of type `t` crosses on the TypeScript heap: a raw scalar, or a Cell as host-values.ts converts it. */
export type HostCrossing = "i64" | "f64" | "bool" | "unit" | HostSlotType;

export function hostCrossing(t: HostType, structName?: (id: number) => string): HostCrossing {
  switch (t.type) {
    case T.I64: return "i64";
    case T.F64: return "f64";
    case T.BOOL: return "bool";
    case T.UNIT: return "unit";
    case T.STR: return { kind: "str" };
    case T.HOST: return { kind: "host" };
    case T.ANY: return { kind: "any" };
    case T.LIST: return { kind: "ref", arena: t.elemType === T.I64 ? Arena.I64_ARR : Arena.LIST, shape: undefined, text: hostTypeText(t, structName) };
    case T.MAP: return { kind: "ref", arena: Arena.MAP, shape: undefined, text: "map" };
    case T.F64_ARR: return { kind: "ref", arena: Arena.F64_ARR, shape: undefined, text: "f64arr" };
    case T.STRUCT: return { kind: "ref", arena: Arena.STRUCT, shape: t.structId, text: hostTypeText(t, structName) };
  }
  throw new Error(`type ${t.type} does not cross (checked when the section was read)`);
}
