// A collection: precise, stop-the-world mark-sweep (collection.md §4.4).
import type { Cell } from "./cell.ts";
import { HI, LO, TAG_HANDLE, word, word64 } from "./cell-bits.ts";
import { ALIVE, type ArenaStore, type Cells, QUARANTINED } from "./arena-store.ts";
import type { FrameStack } from "./frames.ts";
import { releaseQuarantine } from "./quarantine.ts";
import type { WrapperEdges } from "./wrapper-edges.ts";

export interface Sweep {
  /** Slots freed by the sweep (step 3): `collect`'s result. */
  freed: number;
  /** Their accounted bytes, which leave `heap_bytes`. */
  freedBytes: number;
}

/**
 * Runs mark, quarantine release and sweep over `stores` (the heap arenas in
 * number order; `byArena` indexes them by arena number). Roots are the scope
 * root stack, the slots of the open frames, pinned slots and `extra` (an AUTO
 * collection's operation arguments, collection.md §4.1). Counters are the
 * caller's (step 4). With `edges`, wrappers' pins are not roots of the first
 * mark: what only they reach forms regions whose host values their wrappers
 * hold (collection.md §4.7, wrapper-edges.ts); those slots stay alive too.
 */
export function collectGarbage(
  stores: readonly ArenaStore<unknown>[],
  byArena: readonly (ArenaStore<unknown> | undefined)[],
  rootCells: readonly Cell[],
  frames: FrameStack,
  extra: readonly Cell[],
  edges: WrapperEdges | undefined,
  hosts: ArenaStore<unknown>,
): Sweep {
  const marker = new Marker(stores, byArena);
  for (const c of rootCells) marker.visit(c);
  frames.forEach((c) => marker.visit(c));
  for (const c of extra) marker.visit(c);
  for (const store of stores) {
    if (store.pinnedSlots === 0) continue;
    const { pins, states, wraps } = store;
    for (let s = 0; s < store.total; s++) {
      if (pins[s] !== 0 && states[s] === ALIVE && (edges === undefined || pins[s]! > wraps[s]!)) marker.markSlot(store, s);
    }
  }
  marker.drain();
  edges?.formRegions(stores, byArena, hosts);
  for (const store of stores) releaseQuarantine(store);
  return sweep(stores);
}

/**
 * The mark phase. The work list is a stack per scanned arena of marked slots
 * whose payload is not yet scanned: never recursion, so a chain of a million
 * lists marks in constant native stack (collection.md §4.4 step 1).
 */
class Marker {
  private readonly byArena: readonly (ArenaStore<unknown> | undefined)[];
  private readonly scanned: ArenaStore<unknown>[] = [];
  /** Per arena number, its work stack (only for arenas whose payloads hold Cells). */
  private readonly work: (Uint32Array | undefined)[] = [];
  private readonly top: number[] = [];

  constructor(stores: readonly ArenaStore<unknown>[], byArena: readonly (ArenaStore<unknown> | undefined)[]) {
    this.byArena = byArena;
    for (const store of stores) {
      store.marks.fill(0, 0, store.total);
      this.top[store.arena] = 0;
      if (store.holdsCells) {
        this.scanned.push(store);
        // Each slot is pushed at most once (when marked), so `total` entries suffice.
        this.work[store.arena] = new Uint32Array(store.total);
      }
    }
  }

  /**
   * Visits one Cell: marks the live slot it names, or records a quarantined
   * slot it names (any generation) as named. Everything else is ignored.
   */
  visit(c: Cell): void {
    word64[0] = c;
    const hi = word[HI]!;
    if (hi >>> 16 !== TAG_HANDLE) return;
    const store = this.byArena[(hi >>> 12) & 0xf];
    if (store === undefined) return;
    const slot = word[LO]!;
    const state = store.states[slot];
    if (state === ALIVE) {
      if (store.generations[slot] === (hi & 0xfff) && store.marks[slot] === 0) this.markSlot(store, slot);
    } else if (state === QUARANTINED) {
      store.marks[slot] = 1;
    }
  }

  markSlot(store: ArenaStore<unknown>, slot: number): void {
    if (store.marks[slot] !== 0) return;
    store.marks[slot] = 1;
    const work = this.work[store.arena];
    if (work !== undefined) work[this.top[store.arena]!++] = slot;
  }

  /** Scans until every work list is empty. */
  drain(): void {
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const store of this.scanned) {
        const work = this.work[store.arena]!;
        const payload = store.payload as (Cells | undefined)[];
        let top = this.top[store.arena]!;
        while (top > 0) {
          progressed = true;
          const cells = payload[work[--top]!]!;
          this.top[store.arena] = top;
          for (let i = 0; i < cells.length; i++) this.visit(cells[i]!);
          top = this.top[store.arena]!;
        }
      }
    }
  }
}

/** Step 3: every alive, unmarked slot is freed, arenas in number order, slots ascending. */
function sweep(stores: readonly ArenaStore<unknown>[]): Sweep {
  let freed = 0;
  let freedBytes = 0;
  for (const store of stores) {
    const { states, marks } = store;
    for (let s = 0; s < store.total; s++) {
      if (states[s] === ALIVE && marks[s] === 0) {
        freedBytes += store.accountedBytes(s);
        store.release(s, false);
        freed++;
      }
    }
  }
  return { freed, freedBytes };
}
