// Heap statistics (operations.md §3.2 `stats`, heap.proto `Stats`).

/** One heap arena's slot counts. */
export interface ArenaStats {
  arena: number;
  /** Slots alive now. */
  live: number;
  /** Slots ever created: alive, free, quarantined or dead. */
  total: number;
}

export interface HeapStats {
  /** One entry per heap arena, in arena-number order: String, List, Map, Struct, F64Arr, I64Arr, Host. */
  arenas: ArenaStats[];
  /** Collections run: `collect` calls outside STUB plus AUTO's own. */
  collections: number;
  /** Slots freed since the heap was made, by `free` and by collections. */
  slotsFreed: number;
  /** Slots in quarantine now. */
  quarantined: number;
  /** Accounted bytes of the live slots now (arenas.md §2.6). */
  heapBytes: number;
  /** Slots whose pin count is above zero now. */
  pinned: number;
  /** Entries on the scope root stack now. */
  scopeRoots: number;
  /** Slots of all open frames now (collection.md §4.6). */
  frameRoots: number;
}
