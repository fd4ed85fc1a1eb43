// The Map arena (arenas.md §2.1): integer keys to integer values, accounted
// 16 + 16 per key (arenas.md §2.6), operations of operations.md §3.2. Keys
// and values are canonical integer Cells, so a key's bigint identifies its
// integer; a map holds no handles and the collector never scans it.
import { Arena } from "./arena.ts";
import { ArenaStore, type CellMap } from "./arena-store.ts";
import type { Cell } from "./cell.ts";
import { checkInt } from "./checks.ts";
import type { HeapCore } from "./heap-core.ts";
import { Trap, TrapCode } from "./trap.ts";

/** The Cell of the integer 0: `map_get` of an absent key (ir.md §8.5 op 43). */
const CELL_ZERO: Cell = 0xffff_c000_0000_0000n;
/** Bound on a map's key count: MAX_KEYS, V8's largest Map (operations.md §3.1). */
export const MAX_KEYS = 2 ** 24;
/**
 * The payload of every map without keys: a JS Map costs about 200 bytes, so
 * a flood of empty maps would cost 13 real bytes per accounted byte
 * (arenas.md §2.7). It is never written: the first key gives the slot a Map
 * of its own.
 */
const NO_KEYS: CellMap = new Map<Cell, Cell>();

export class MapArena {
  readonly store = new ArenaStore<CellMap>(Arena.MAP, "map");
  readonly #core: HeapCore;

  constructor(core: HeapCore) {
    this.#core = core;
  }

  /** `map_new()`: a new empty Map. */
  mapNew(): Cell {
    this.#core.reserve(this.store, 16, "map_new", []);
    return this.#core.commit(this.store, NO_KEYS, 0);
  }

  /** `map_set(m, key, value)`: a new key adds 16 bytes (limits as `list_push`); an existing key is overwritten for free. */
  mapSet(m: Cell, key: Cell, value: Cell): void {
    const slot = this.#core.slot(m, this.store, "map_set");
    checkInt("map_set", key);
    checkInt("map_set", value);
    let map = this.store.payload[slot]!;
    if (map === NO_KEYS) map = this.store.payload[slot] = new Map<Cell, Cell>();
    if (!map.has(key)) {
      if (map.size >= MAX_KEYS) throw new Trap(TrapCode.OUT_OF_MEMORY, "map_set", `the map holds MAX_KEYS ${MAX_KEYS} keys`);
      this.#core.grow(16, "map_set", [m, key, value]);
      this.store.lengths[slot] = map.size + 1;
    }
    map.set(key, value);
  }

  /** `map_get(m, key)`: the value Cell, or the integer 0 when the key is absent. */
  mapGet(m: Cell, key: Cell): Cell {
    const map = this.#map(m, "map_get");
    checkInt("map_get", key);
    return map.get(key) ?? CELL_ZERO;
  }

  /** `map_has(m, key)`. */
  mapHas(m: Cell, key: Cell): boolean {
    const map = this.#map(m, "map_has");
    checkInt("map_has", key);
    return map.has(key);
  }

  /** `map_len(m)`: the number of keys. */
  mapLen(m: Cell): number {
    return this.store.lengths[this.#core.slot(m, this.store, "map_len")]!;
  }

  #map(m: Cell, op: string): CellMap {
    return this.store.payload[this.#core.slot(m, this.store, op)]!;
  }
}
