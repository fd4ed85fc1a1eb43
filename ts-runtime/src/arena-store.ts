// One heap arena's slots (arenas.md §2.2–§2.5), stored as a struct of arrays
// so that the handle check on every operation reads two typed-array elements.
import type { Cell } from "./cell.ts";

/** Slot states (arenas.md §2.2). 0 marks capacity beyond `total`: no slot yet. */
export const NO_SLOT = 0;
export const ALIVE = 1;
export const FREE = 2;
export const QUARANTINED = 3;
/** Freed in the STUB variant: never reused. */
export const DEAD = 4;

/** The largest generation; freeing a slot at it wraps to 0 (arenas.md §2.5). */
export const MAX_GENERATION = 4095;

const INITIAL_CAPACITY = 64;

/**
 * What an arena's payloads are. `cells`: Cell arrays the collector scans
 * (List, Struct); `f64` / `i64`: Cell arrays of floats / integers, never
 * scanned (F64Arr, I64Arr); `bytes`: a String's Uint8Array; `map`: a Map's
 * `Map<Cell, Cell>`; `host`: an opaque host value.
 */
export type PayloadKind = "cells" | "f64" | "i64" | "bytes" | "map" | "host";

/**
 * The slots of one arena. Payload `P` is a list's elements, a struct's fields,
 * a typed array's elements, a string's bytes, a map or a host value;
 * `payload[s]` is undefined unless `s` is alive (for Host, a live slot may
 * also hold undefined — `states` is the authority).
 */
export class ArenaStore<P> {
  /** The arena number (arena.ts). */
  readonly arena: number;
  readonly kind: PayloadKind;
  /** Whether payloads are Cell arrays the collector scans (List, Struct): nothing else holds handles. */
  readonly holdsCells: boolean;
  /**
   * Accounted bytes per unit of `lengths` (arenas.md §2.6): 8 per Cell of a
   * List, Struct, F64Arr or I64Arr, 1 per String byte, 16 per Map key, 0 for Host.
   */
  readonly unitBytes: number;
  /** Slots ever created (arenas.md §2.2). */
  total = 0;
  /** Slots alive now. */
  live = 0;
  /** Slots whose pin count is above zero now. */
  pinnedSlots = 0;

  generations: Uint16Array;
  states: Uint8Array;
  pins: Uint32Array;
  /**
   * The size of each alive slot in its arena's units: a list's or typed
   * array's length, a struct's field count, a string's byte length, a map's
   * key count (0 for Host). A List's or typed array's `payload` may be
   * shorter than its length: elements past the end of the array read as the
   * arena's zero (null, +0.0, integer 0; see null-cells.ts).
   */
  lengths: Uint32Array;
  /** Collection marks; for a quarantined slot, "named" (collection.md §4.4). */
  marks: Uint8Array;
  /** How many of a slot's pins are wrappers' (HandleRef, collection.md §4.7); at most its pin count. */
  wraps: Uint32Array;
  /** The region (collection.md §4.7) a slot is in, or 0; `demoted` counts the slots in one. */
  regions: Int32Array;
  demoted = 0;
  readonly payload: (P | undefined)[] = [];

  /** The free list, a stack: the top is `freeList[freeTop - 1]` (arenas.md §2.3 step 1). */
  freeList: Uint32Array;
  freeTop = 0;
  /** Quarantined slots, in the order they entered; the collector sorts them (collection.md §4.4 step 2). */
  quarantine: number[] = [];

  constructor(arena: number, kind: PayloadKind) {
    this.arena = arena;
    this.kind = kind;
    this.holdsCells = kind === "cells";
    this.unitBytes = kind === "host" ? 0 : kind === "bytes" ? 1 : kind === "map" ? 16 : 8;
    this.generations = new Uint16Array(INITIAL_CAPACITY);
    this.states = new Uint8Array(INITIAL_CAPACITY);
    this.pins = new Uint32Array(INITIAL_CAPACITY);
    this.lengths = new Uint32Array(INITIAL_CAPACITY);
    this.marks = new Uint8Array(INITIAL_CAPACITY);
    this.wraps = new Uint32Array(INITIAL_CAPACITY);
    this.regions = new Int32Array(INITIAL_CAPACITY);
    this.freeList = new Uint32Array(INITIAL_CAPACITY);
  }

  /** Whether a slot can be taken without exceeding `maxSlots` (arenas.md §2.3 step 2). */
  hasRoom(maxSlots: number): boolean {
    return this.freeTop > 0 || this.total < maxSlots;
  }

  /**
   * Takes a slot (arenas.md §2.3 steps 1 and 3) and makes it alive with
   * `payload` of `length` units (0 for a Host slot). The caller has checked `hasRoom`.
   */
  take(payload: P, length: number): number {
    let slot: number;
    if (this.freeTop > 0) {
      slot = this.freeList[--this.freeTop]!;
      this.payload[slot] = payload;
    } else {
      slot = this.total;
      if (slot === this.states.length) this.grow();
      this.total = slot + 1;
      this.payload.push(payload);
    }
    this.states[slot] = ALIVE;
    this.lengths[slot] = length;
    this.live++;
    return slot;
  }

  /**
   * Frees an alive slot (arenas.md §2.5): drop payload and pins, bump the
   * generation, then dead (STUB), quarantined (wrapped to 0) or free.
   */
  release(slot: number, stub: boolean): void {
    this.payload[slot] = undefined;
    this.lengths[slot] = 0;
    if (this.pins[slot] !== 0) {
      this.pins[slot] = 0;
      this.wraps[slot] = 0;
      this.pinnedSlots--;
    }
    if (this.regions[slot] !== 0) {
      this.regions[slot] = 0;
      this.demoted--;
    }
    const generation = (this.generations[slot]! + 1) & MAX_GENERATION;
    this.generations[slot] = generation;
    this.live--;
    if (stub) {
      this.states[slot] = DEAD;
    } else if (generation === 0) {
      this.states[slot] = QUARANTINED;
      this.quarantine.push(slot);
    } else {
      this.pushFree(slot);
    }
  }

  /** Puts a slot on top of the free list. */
  pushFree(slot: number): void {
    this.states[slot] = FREE;
    this.freeList[this.freeTop++] = slot;
  }

  /**
   * The accounted size of an alive slot (arenas.md §2.6): 16 + 8 per Cell of
   * a List, Struct, F64Arr or I64Arr, 16 + its byte length for a String,
   * 16 + 16 per key for a Map, 16 for a Host slot.
   */
  accountedBytes(slot: number): number {
    return 16 + this.unitBytes * this.lengths[slot]!;
  }

  /** Whether `(generation, slot)` names a live slot of this arena (arenas.md §2.4). */
  isLive(generation: number, slot: number): boolean {
    return this.states[slot] === ALIVE && this.generations[slot] === generation;
  }

  /** Doubles every per-slot array; the free list can hold every slot. */
  private grow(): void {
    const capacity = this.states.length * 2;
    this.generations = grown(this.generations, new Uint16Array(capacity));
    this.states = grown(this.states, new Uint8Array(capacity));
    this.pins = grown(this.pins, new Uint32Array(capacity));
    this.lengths = grown(this.lengths, new Uint32Array(capacity));
    this.marks = grown(this.marks, new Uint8Array(capacity));
    this.wraps = grown(this.wraps, new Uint32Array(capacity));
    this.regions = grown(this.regions, new Int32Array(capacity));
    this.freeList = grown(this.freeList, new Uint32Array(capacity));
  }
}

function grown<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array>(old: T, next: T): T {
  next.set(old);
  return next;
}

/** Payload of a List, Struct, F64Arr or I64Arr slot: its Cells, possibly fewer than its length (the rest read as the arena's zero). */
export type Cells = Cell[];

/** Payload of a Map slot: integer key Cell → integer value Cell (canonical Cells, so equal integers are equal bigints). */
export type CellMap = Map<Cell, Cell>;
