// The traps of the argument checks of operations.md §3.1, built on the slow
// path: the heap's fast paths accept a good argument in a few comparisons and
// call these only to find out which check failed first.
import { arenaName } from "./arena.ts";
import { ALIVE, type ArenaStore, DEAD, FREE, QUARANTINED } from "./arena-store.ts";
import { badCell, type Cell } from "./cell.ts";
import { classify, hexOf, HI, inRange, KIND_BAD, KIND_F64, KIND_HANDLE, KIND_INT48, KIND_NULL, KIND_SMALL_INT, LO, word, word64 } from "./cell-bits.ts";
import { Trap, TrapCode } from "./trap.ts";

export type StoresByArena = readonly (ArenaStore<unknown> | undefined)[];

/**
 * The first failing check of `handle(c, wanted)` — or of `anyHandle(c)` when
 * `wanted` is -1 — in the order of operations.md §3.1: BAD_CELL, NULL_DEREF,
 * NOT_A_HANDLE, WRONG_ARENA, STALE_HANDLE. Returns undefined when every check
 * passes.
 */
export function handleTrap(op: string, c: Cell, wanted: number, byArena: StoresByArena): Trap | undefined {
  if (!inRange(c)) return badCell(op, c);
  word64[0] = c;
  const hi = word[HI]!;
  const lo = word[LO]!;
  const kind = classify(hi, lo);
  if (kind === KIND_BAD) return badCell(op, c);
  if (kind === KIND_NULL) return new Trap(TrapCode.NULL_DEREF, op, "null where a handle is needed");
  if (kind !== KIND_HANDLE) return new Trap(TrapCode.NOT_A_HANDLE, op, `${hexOf(hi, lo)} is not a heap handle`);
  const arena = (hi >>> 12) & 0xf;
  if (wanted >= 0 && arena !== wanted) {
    return new Trap(TrapCode.WRONG_ARENA, op, `a ${arenaName(arena)} handle where a ${arenaName(wanted)} handle is needed`);
  }
  return staleTrap(op, hi, lo, byArena);
}

/**
 * The check `value(c)` of operations.md §3.1: BAD_CELL, then STALE_HANDLE
 * for a heap handle that names no live slot. Returns undefined when it passes.
 */
export function valueTrap(op: string, c: Cell, byArena: StoresByArena): Trap | undefined {
  if (!inRange(c)) return badCell(op, c);
  word64[0] = c;
  const hi = word[HI]!;
  const lo = word[LO]!;
  const kind = classify(hi, lo);
  if (kind === KIND_BAD) return badCell(op, c);
  if (kind !== KIND_HANDLE) return undefined;
  return staleTrap(op, hi, lo, byArena);
}

/** STALE_HANDLE for a valid heap handle unless it names a live slot (arenas.md §2.4), saying why. */
function staleTrap(op: string, hi: number, lo: number, byArena: StoresByArena): Trap | undefined {
  const arena = (hi >>> 12) & 0xf;
  const generation = hi & 0xfff;
  const name = `${arenaName(arena)}#${lo}@g${generation}`;
  const store = byArena[arena];
  if (store === undefined) return new Trap(TrapCode.STALE_HANDLE, op, `${name}: the heap does not implement arena ${arenaName(arena)}`);
  if (lo >= store.total) return new Trap(TrapCode.STALE_HANDLE, op, `${name}: slot ${lo} never existed`);
  const state = store.states[lo];
  const current = store.generations[lo];
  switch (state) {
    case ALIVE:
      if (current === generation) return undefined;
      return new Trap(TrapCode.STALE_HANDLE, op, `${name}: the slot was reused under generation ${current}`);
    case FREE:
      return new Trap(TrapCode.STALE_HANDLE, op, `${name}: the slot is free`);
    case QUARANTINED:
      return new Trap(TrapCode.STALE_HANDLE, op, `${name}: the slot is quarantined`);
    case DEAD:
      return new Trap(TrapCode.STALE_HANDLE, op, `${name}: the slot is dead (STUB never reuses)`);
    default:
      return new Trap(TrapCode.STALE_HANDLE, op, `${name}: no such slot`);
  }
}

/** `index(i, n)` of operations.md §3.1. A non-integer index is outside too: no element has it. */
export function outOfBounds(op: string, index: number, length: number): Trap {
  return new Trap(TrapCode.OUT_OF_BOUNDS, op, `index ${index} outside [0, ${length})`);
}

/**
 * `int(c)` of operations.md §3.1: c is valid (else BAD_CELL) and an integer,
 * a SmallInt or an Int48 (else WRONG_TYPE). Map keys and values, I64Arr elements.
 */
export function checkInt(op: string, c: Cell): void {
  const kind = kindOf(c);
  if (kind === KIND_SMALL_INT || kind === KIND_INT48) return;
  if (kind === KIND_BAD) throw badCell(op, c);
  throw new Trap(TrapCode.WRONG_TYPE, op, `${hexOf(word[HI]!, word[LO]!)} is not an integer`);
}

/** `float(c)` of operations.md §3.1: c is valid (else BAD_CELL) and a float (else WRONG_TYPE). F64Arr elements. */
export function checkFloat(op: string, c: Cell): void {
  const kind = kindOf(c);
  if (kind === KIND_F64) return;
  if (kind === KIND_BAD) throw badCell(op, c);
  throw new Trap(TrapCode.WRONG_TYPE, op, `${hexOf(word[HI]!, word[LO]!)} is not a float`);
}

function kindOf(c: Cell): number {
  if (!inRange(c)) return KIND_BAD;
  word64[0] = c;
  return classify(word[HI]!, word[LO]!);
}
