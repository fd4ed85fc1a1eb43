// Wrapper-owned weak host edges (collection.md §4.7): how the handle heap
// lets the JS collector see a cycle through both heaps.
//
// A wrapper is a HandleRef (handle-ref.ts): JS code's pinned handle. In
// Igalia's m1 a wrapper W pins heap object O, O's Host slot holds callback C,
// and C captures W. A pin is a root, so W → O → C → W is never collected by a
// design whose wrappers are plain pins. Here, each collection finds the
// *regions*: slots that only wrapper pins reach (not the scopes, frames,
// ordinary pins or the collection's own roots). A region's host values move
// into a holder array that every wrapper of the region keeps (through its
// slot's Anchor), and the Host slots keep only WeakRefs: the JS collector
// then sees W → holder → C → W with no root and collects all three; W's
// FinalizationRegistry entry unpins O and the next collection frees O.
//
// Safety (never lose a host value a root can still reach): a region's host
// values are held by every wrapper that reaches the region (wrappers whose
// traversals meet are put in one region by union-find), and a region becomes
// reachable from an ordinary root only through an operation given a handle
// inside it — every such operation goes through the heap's handle and value
// checks, which *promote* the region first (its host values back into their
// slots, strongly; heap.ts `#promote`). collection.md §4.7 has the proof
// sketch; test/wrapper-edges.property.test.ts hunts for counterexamples.
import { ALIVE, type ArenaStore, type Cells, QUARANTINED } from "./arena-store.ts";
import { HI, LO, TAG_HANDLE, word, word64 } from "./cell-bits.ts";

/** Where the heap's barrier runs: anyHandle (pin, unpin, free), the value check (stores, scope_root), frame_root. */
export type BarrierSite = "anyHandle" | "value" | "frame";

/**
 * For the property test's mutation check only: a barrier site to leave out,
 * which the test must then catch losing a host value. Never set otherwise.
 */
export const barrierTestHook: { skip: BarrierSite | undefined } = { skip: undefined };

/** One per wrapped slot, shared by all its wrappers: what they hold of the slot's region. */
export class Anchor {
  /** The host values of the region this slot's wrappers keep alive, or null when the slot is in no region. */
  holder: unknown[] | null = null;
}

/** A demoted Host slot's payload: its value, held weakly (the region's holder holds it strongly). */
export class Demoted {
  readonly ref: WeakRef<object>;
  constructor(value: object) {
    this.ref = new WeakRef(value);
  }
}

/** Can this host value be held weakly? Primitives cannot, and cannot be part of a cycle either. */
function weakable(v: unknown): v is object {
  return (typeof v === "object" && v !== null) || typeof v === "function";
}

export class WrapperEdges {
  /** Per arena number, the Anchor of each wrapped slot (weakly: the heap must not keep a holder alive). */
  readonly #anchors: (Map<number, WeakRef<Anchor>> | undefined)[] = [];
  /** The members of each region by label, as (store, slot) pairs, for promotion. */
  readonly #regions = new Map<number, { stores: ArenaStore<unknown>[]; slots: number[] }>();
  /** How many regions were formed and host values demoted, ever (stats for the cycles benchmark). */
  regionsFormed = 0;
  valuesDemoted = 0;
  promotions = 0;

  /** Records one more wrapper of `slot` and returns the slot's Anchor. The caller has pinned the slot. */
  wrap(store: ArenaStore<unknown>, slot: number): Anchor {
    store.wraps[slot] = store.wraps[slot]! + 1;
    let anchors = this.#anchors[store.arena];
    if (anchors === undefined) {
      anchors = new Map();
      this.#anchors[store.arena] = anchors;
    }
    let anchor = anchors.get(slot)?.deref();
    if (anchor === undefined) {
      anchor = new Anchor();
      anchors.set(slot, new WeakRef(anchor));
    }
    return anchor;
  }

  /** One wrapper fewer (its pin is released by the caller). */
  unwrap(store: ArenaStore<unknown>, slot: number): void {
    const n = store.wraps[slot]!;
    if (n === 0) return;
    store.wraps[slot] = n - 1;
    if (n === 1) this.#anchors[store.arena]?.delete(slot);
  }

  /**
   * The barrier: region `label` is about to become reachable another way
   * (an operation was given a handle inside it). Its host values go back
   * into their slots strongly and its slots become ordinary.
   */
  promote(label: number, hosts: ArenaStore<unknown>): void {
    const region = this.#regions.get(label);
    if (region === undefined) return;
    this.#regions.delete(label);
    this.promotions++;
    const { stores, slots } = region;
    for (let i = 0; i < slots.length; i++) {
      const store = stores[i]!;
      const slot = slots[i]!;
      if (store.regions[slot] !== label) continue; // freed and reused since
      store.regions[slot] = 0;
      store.demoted--;
      if (store === hosts) {
        const p = hosts.payload[slot];
        if (p instanceof Demoted) {
          const v = p.ref.deref();
          // Dead only when no wrapper of the region lived: then nothing could have reached it (§4.7).
          if (v !== undefined) hosts.payload[slot] = v;
        }
      }
    }
  }

  /**
   * After the ordinary mark (every slot an ordinary root reaches has its
   * mark set): finds the regions that only wrapper pins reach, marks them
   * (they stay alive: the pins hold them until the wrappers die) and demotes
   * their host values. `byArena` indexes the stores by arena number.
   */
  formRegions(stores: readonly ArenaStore<unknown>[], byArena: readonly (ArenaStore<unknown> | undefined)[], hosts: ArenaStore<unknown>): void {
    // A heap that never had a wrapper or a region pays nothing here (every interpreter run, most handle-ABI ones).
    if (this.valuesDemoted === 0 && this.#anchors.every((a) => a === undefined || a.size === 0) && stores.every((s) => s.demoted === 0)) return;
    // Regions are recomputed from scratch: the previous ones dissolve (their Demoted payloads stay until reassigned).
    for (const store of stores) {
      if (store.demoted !== 0) store.regions.fill(0, 0, store.total);
      store.demoted = 0;
    }
    this.#regions.clear();
    // Union-find over region labels (1-based; parent[0] unused).
    const parent: number[] = [0];
    const find = (x: number): number => {
      while (parent[x] !== x) {
        parent[x] = parent[parent[x]!]!;
        x = parent[x]!;
      }
      return x;
    };
    const labelled: { store: ArenaStore<unknown>; slot: number }[] = [];
    const work: { store: ArenaStore<unknown>; slot: number }[] = [];
    const visit = (store: ArenaStore<unknown>, slot: number, label: number): void => {
      const other = store.regions[slot]!;
      if (other !== 0) {
        const a = find(other);
        const b = find(label);
        if (a !== b) parent[a] = b;
        return;
      }
      if (store.marks[slot] !== 0) return; // an ordinary root reaches it
      store.marks[slot] = 1;
      store.regions[slot] = label;
      labelled.push({ store, slot });
      if (store.holdsCells) work.push({ store, slot });
    };
    for (const store of stores) {
      const anchors = this.#anchors[store.arena];
      if (anchors === undefined || anchors.size === 0) continue;
      for (const [slot, ref] of anchors) {
        if (store.states[slot] !== ALIVE || store.wraps[slot] === 0) {
          anchors.delete(slot); // the slot was freed (its pins and wrappers went with it)
          continue;
        }
        if (store.regions[slot] !== 0) {
          // Reached already by an earlier wrapper's traversal: one region.
          continue;
        }
        if (store.marks[slot] !== 0) {
          // An ordinary root reaches it (the first pass marked it): no region, nothing to hold.
          const anchor = ref.deref();
          if (anchor !== undefined) anchor.holder = null;
          continue;
        }
        const label = parent.length;
        parent.push(label);
        visit(store, slot, label);
        while (work.length > 0) {
          const { store: s, slot: at } = work.pop()!;
          const cells = s.payload[at] as Cells;
          for (let i = 0; i < cells.length; i++) {
            word64[0] = cells[i]!;
            const hi = word[HI]!;
            if (hi >>> 16 !== TAG_HANDLE) continue;
            const target = byArena[(hi >>> 12) & 0xf];
            const ts = word[LO]!;
            if (target === undefined) continue;
            const state = target.states[ts];
            // A quarantined slot named from a region is named (collection.md §4.4 step 1, §4.7): it must not be released.
            if (state === QUARANTINED) target.marks[ts] = 1;
            if (state !== ALIVE || target.generations[ts] !== (hi & 0xfff)) continue;
            visit(target, ts, label);
          }
        }
      }
    }
    // A host value demoted by an earlier collection that an ordinary root now reaches is held by its slot again.
    for (let slot = 0; slot < hosts.total; slot++) {
      const p = hosts.payload[slot];
      if (p instanceof Demoted && hosts.regions[slot] === 0 && hosts.marks[slot] !== 0) {
        const v = p.ref.deref();
        if (v !== undefined) hosts.payload[slot] = v;
      }
    }
    if (labelled.length === 0) return;
    // Final labels, the regions' members, and each region's holder.
    const holders = new Map<number, unknown[]>();
    for (const { store, slot } of labelled) {
      const label = find(store.regions[slot]!);
      store.regions[slot] = label;
      store.demoted++;
      let region = this.#regions.get(label);
      if (region === undefined) {
        region = { stores: [], slots: [] };
        this.#regions.set(label, region);
        holders.set(label, []);
        this.regionsFormed++;
      }
      region.stores.push(store);
      region.slots.push(slot);
      if (store === hosts) {
        const p = hosts.payload[slot];
        const v = p instanceof Demoted ? p.ref.deref() : p;
        if (weakable(v)) {
          holders.get(label)!.push(v);
          if (!(p instanceof Demoted)) {
            hosts.payload[slot] = new Demoted(v);
            this.valuesDemoted++;
          }
        }
      }
    }
    for (const { store, slot } of labelled) {
      if (store.wraps[slot] === 0) continue;
      const anchor = this.#anchors[store.arena]?.get(slot)?.deref();
      if (anchor !== undefined) anchor.holder = holders.get(store.regions[slot]!)!;
    }
  }
}
