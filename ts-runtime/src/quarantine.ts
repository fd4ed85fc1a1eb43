// Releasing quarantined slots (arenas.md §2.5, collection.md §4.4 step 2).
import type { ArenaStore } from "./arena-store.ts";

/**
 * After marking: every quarantined slot no reachable Cell named (its mark
 * byte, set by the marker) becomes free, pushed in ascending slot order so
 * that the free list, and every handle handed out later, is the same in every
 * implementation. Named slots stay quarantined: G3 of arenas.md §2.5.
 */
export function releaseQuarantine(store: ArenaStore<unknown>): void {
  const quarantine = store.quarantine;
  if (quarantine.length === 0) return;
  quarantine.sort((a, b) => a - b);
  const kept: number[] = [];
  for (const slot of quarantine) {
    if (store.marks[slot] !== 0) kept.push(slot);
    else store.pushFree(slot);
  }
  store.quarantine = kept;
}
