// CellValue → Cell, as conformance.md §6.1 resolves vector arguments and
// expectations.
import { cellFromBool, cellFromF64, cellFromInt, CELL_NULL, makeHandle, type Cell } from "../../ts-runtime/src/cell.ts";
import { Arena } from "../../ts-runtime/src/arena.ts";
import type { ArenaName, CellValue } from "./messages.ts";
import { VectorError } from "./signatures.ts";

const INT48_MIN = -(1n << 47n);
const INT48_MAX = (1n << 47n) - 1n;

export type Bindings = ReadonlyMap<string, Cell>;

export function arenaNumber(name: ArenaName | undefined): number {
  const key = (name ?? "ARENA_STRING").slice("ARENA_".length) as keyof typeof Arena;
  return Arena[key];
}

/** The Cell a vector names. Throws VectorError for a malformed CellValue. */
export function resolveCell(value: CellValue, bindings: Bindings): Cell {
  const present = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
  if (present.length !== 1) throw new VectorError(`a CellValue needs exactly one kind, got ${present.length}`);
  if (value.f64 !== undefined) return cellFromF64(value.f64);
  if (value.int !== undefined) return intCell(value.int);
  if (value.bool !== undefined) return cellFromBool(value.bool);
  if (value.null !== undefined) {
    if (!value.null) throw new VectorError(`"null" must be true`);
    return CELL_NULL;
  }
  if (value.bits !== undefined) return value.bits;
  if (value.handle !== undefined) {
    const h = value.handle;
    return handleCell(arenaNumber(h.arena), h.generation ?? 0, h.slot ?? 0);
  }
  if (value.ref !== undefined) return bound(value.ref, bindings);
  const forge = value.forge!;
  const base = bound(forge.ref ?? "", bindings);
  if (base >> 48n !== 0xffffn) throw new VectorError(`forge of "${forge.ref}": the bound Cell is not a handle pattern`);
  const arena = forge.arena !== undefined ? arenaNumber(forge.arena) : Number((base >> 44n) & 0xfn);
  const generation = forge.generation ?? Number((base >> 32n) & 0xfffn);
  const slot = forge.slot ?? Number(base & 0xffffffffn);
  return handleCell(arena, generation, slot);
}

function intCell(i: bigint): Cell {
  if (i < INT48_MIN || i > INT48_MAX) {
    throw new VectorError(`int ${i} is outside 48 bits; use INT_CELL to test INT_OVERFLOW`);
  }
  return cellFromInt(i);
}

function handleCell(arena: number, generation: number, slot: number): Cell {
  if (generation > 0xfff) throw new VectorError(`generation ${generation} is outside 0..4095`);
  if (slot > 0xffffffff) throw new VectorError(`slot ${slot} is outside 32 bits`);
  return makeHandle(arena, generation, slot);
}

function bound(name: string, bindings: Bindings): Cell {
  const cell = bindings.get(name);
  if (cell === undefined) throw new VectorError(`"${name}" is not bound by an earlier step`);
  return cell;
}
