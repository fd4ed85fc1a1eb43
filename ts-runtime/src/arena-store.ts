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
 * The slots of one arena. Payload `P` is a list's elements, a struct's fields
 * or a host value; `payload[s]` is undefined unless `s` is alive (for Host, a
 * live slot may also hold undefined — `states` is the authority).
 */
export class ArenaStore<P> {
  /** The arena number (arena.ts). */
  readonly arena: number;
  /** Whether payloads are Cell arrays the collector scans (List, Struct) rather than opaque host values. */
  readonly holdsCells: boolean;
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
   * The Cell count of each alive List or Struct slot: a list's length, a
   * struct's field count. A list's `payload` may be shorter than its length:
   * elements past the end of the array are null (see null-cells.ts).
   */
  lengths: Uint32Array;
  /** Collection marks; for a quarantined slot, "named" (collection.md §4.4). */
  marks: Uint8Array;
  readonly payload: (P | undefined)[] = [];

  /** The free list, a stack: the top is `freeList[freeTop - 1]` (arenas.md §2.3 step 1). */
  freeList: Uint32Array;
  freeTop = 0;
  /** Quarantined slots, in the order they entered; the collector sorts them (collection.md §4.4 step 2). */
  quarantine: number[] = [];

  constructor(arena: number, holdsCells: boolean) {
    this.arena = arena;
    this.holdsCells = holdsCells;
    this.generations = new Uint16Array(INITIAL_CAPACITY);
    this.states = new Uint8Array(INITIAL_CAPACITY);
    this.pins = new Uint32Array(INITIAL_CAPACITY);
    this.lengths = new Uint32Array(INITIAL_CAPACITY);
    this.marks = new Uint8Array(INITIAL_CAPACITY);
    this.freeList = new Uint32Array(INITIAL_CAPACITY);
  }

  /** Whether a slot can be taken without exceeding `maxSlots` (arenas.md §2.3 step 2). */
  hasRoom(maxSlots: number): boolean {
    return this.freeTop > 0 || this.total < maxSlots;
  }

  /**
   * Takes a slot (arenas.md §2.3 steps 1 and 3) and makes it alive with
   * `payload` of `length` Cells (0 for a Host slot). The caller has checked `hasRoom`.
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
      this.pinnedSlots--;
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
   * a List or Struct, 16 for a Host slot.
   */
  accountedBytes(slot: number): number {
    return 16 + 8 * this.lengths[slot]!;
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
    this.freeList = grown(this.freeList, new Uint32Array(capacity));
  }
}

function grown<T extends Uint8Array | Uint16Array | Uint32Array>(old: T, next: T): T {
  next.set(old);
  return next;
}

/** Payload of a List or Struct slot: its Cells, possibly fewer than its length (the rest are null). */
export type Cells = Cell[];
