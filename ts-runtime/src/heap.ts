// The heap: typed arenas of generation-tagged slots, and every operation of
// operations.md §3.2 with its checks in the spec's order.
import { Arena } from "./arena.ts";
import { ALIVE, ArenaStore, type Cells } from "./arena-store.ts";
import { badCell, type Cell, CELL_NULL } from "./cell.ts";
import { classify, HI, inRange, KIND_BAD, KIND_SMALL_INT, LO, pack, TAG_HANDLE, word, word64 } from "./cell-bits.ts";
import { handleTrap, outOfBounds, type StoresByArena, valueTrap } from "./checks.ts";
import { collectGarbage } from "./collector.ts";
import { FrameStack, MAX_FRAME_SLOTS, MAX_FRAME_TOTAL, MAX_FRAMES } from "./frames.ts";
import { type HeapConfig, type ResolvedConfig, resolveConfig } from "./heap-config.ts";
import { checkHeapInvariants } from "./invariants.ts";
import type { HeapCore } from "./heap-core.ts";
import { MapArena } from "./map-arena.ts";
import { checkStorable, materializeTo, nullCells } from "./null-cells.ts";
import { MAX_SCOPE_ROOTS, MAX_SCOPES, RootStack } from "./roots.ts";
import type { HeapStats } from "./stats.ts";
import { StringArena } from "./string-arena.ts";
import { Trap, TrapCode } from "./trap.ts";
import { TypedArrayArena } from "./typed-array-arena.ts";
import { type Anchor, type BarrierSite, barrierTestHook, Demoted, WrapperEdges } from "./wrapper-edges.ts";

export type { HeapConfig, Variant } from "./heap-config.ts";
export type { ArenaStats, HeapStats } from "./stats.ts";

/** operations.md §3.1: bound on list lengths. */
export const MAX_LENGTH = 2 ** 31 - 1;
/** operations.md §3.1: bound on struct field counts. */
export const MAX_FIELDS = 65535;
/** The largest pin count; one more pin is OUT_OF_MEMORY (operations.md §3.2). */
const MAX_PINS = 2 ** 32 - 1;
/** The largest struct shape number (operations.md §3.3). */
const MAX_SHAPE = 2 ** 32 - 1;

// `hi >>> 12` of a handle Cell into each heap arena: tag 0xFFFF and the arena.
const HI_LIST = 0xffff0 | Arena.LIST;
const HI_STRUCT = 0xffff0 | Arena.STRUCT;
const HI_HOST = 0xffff0 | Arena.HOST;

const NO_ROOTS: readonly Cell[] = [];

/** The arenas kept by their own modules (string-arena.ts, map-arena.ts, typed-array-arena.ts), one field of Heap. */
interface KeptArenas {
  readonly strings: StringArena;
  readonly maps: MapArena;
  readonly f64s: TypedArrayArena;
  readonly i64s: TypedArrayArena;
}

/** Counters a collection or a free updates (stats, peakLiveSlots, collection.md §4.5), one field of Heap. */
class CollectionCounts {
  collections = 0;
  slotsFreed = 0;
  /** Live slots after the last collection (AUTO's threshold). */
  liveAfter = 0;
  /** The most slots alive just before a free or a collection (see peakLiveSlots). */
  peakBeforeDrop = 0;
}

// At most 14 fields (RATIONALE.md, "The Heap keeps 14 fields"): with one more,
// V8 (Node 24) ran struct set+get and list push+get 2.2x slower in a process
// that had also run the allocation rows (npm run bench -- --against REV).
// Cold state is grouped into KeptArenas, CollectionCounts and ResolvedConfig.
export class Heap {
  readonly #config: ResolvedConfig;
  readonly #lists = new ArenaStore<Cells>(Arena.LIST, "cells");
  readonly #structs = new ArenaStore<Cells>(Arena.STRUCT, "cells");
  readonly #hosts = new ArenaStore<unknown>(Arena.HOST, "host");
  readonly #kept: KeptArenas;
  /** Each Struct slot's shape number (operations.md §3.3), by slot; meaningful while the slot is alive. */
  #shapes = new Uint32Array(64);
  /** The heap arenas in number order: the order of stats, quarantine release and sweep. */
  readonly #stores: readonly ArenaStore<unknown>[];
  /** Indexed by arena number; undefined for arenas this version does not implement. */
  readonly #byArena: StoresByArena;
  readonly #roots = new RootStack();
  readonly #frames = new FrameStack();
  /** Weak host edges (collection.md §4.7); undefined when HeapConfig.hostEdges is "strong". */
  readonly #edges: WrapperEdges | undefined;

  #heapBytes = 0;
  /** collection.md §4.5: slot allocations since the last collection. */
  #allocsSinceGc = 0;
  readonly #counts = new CollectionCounts();

  constructor(config: HeapConfig = {}) {
    this.#config = resolveConfig(config);
    this.#edges = this.#config.hostEdges === "weak" ? new WrapperEdges() : undefined;
    const core: HeapCore = {
      slot: (c, store, op) => this.#slot(c, store, 0xffff0 | store.arena, op),
      reserve: (store, bytes, op, roots) => this.#reserve(store, bytes, op, roots),
      commit: (store, payload, length) => this.#commit(store, payload, length),
      grow: (bytes, op, roots) => this.#grow(bytes, op, roots),
    };
    const kept: KeptArenas = { strings: new StringArena(core), maps: new MapArena(core), f64s: new TypedArrayArena(core, "f64"), i64s: new TypedArrayArena(core, "i64") };
    this.#kept = kept;
    this.#stores = [kept.strings.store, this.#lists, kept.maps.store, this.#structs, kept.f64s.store, kept.i64s.store, this.#hosts] as ArenaStore<unknown>[];
    const byArena: (ArenaStore<unknown> | undefined)[] = new Array<ArenaStore<unknown> | undefined>(16).fill(undefined);
    for (const store of this.#stores) byArena[store.arena] = store;
    this.#byArena = byArena;
  }

  // ---- Lists --------------------------------------------------------------

  /** A new List of `length` nulls. */
  listNew(length: number): Cell {
    if (!(Number.isInteger(length) && length >= 0 && length <= MAX_LENGTH)) {
      throw new Trap(TrapCode.BAD_ARGUMENT, "list_new", `length ${length} outside [0, ${MAX_LENGTH}]`);
    }
    this.#reserve(this.#lists, 16 + 8 * length, "list_new");
    return this.#commit(this.#lists, nullCells(length), length);
  }

  listLen(list: Cell): number {
    return this.#lists.lengths[this.#slot(list, this.#lists, HI_LIST, "list_len")]!;
  }

  listGet(list: Cell, index: number): Cell {
    const slot = this.#slot(list, this.#lists, HI_LIST, "list_get");
    const length = this.#lists.lengths[slot]!;
    if (!(index >= 0 && index < length && (index | 0) === index)) throw outOfBounds("list_get", index, length);
    return this.#lists.payload[slot]![index] ?? CELL_NULL;
  }

  listSet(list: Cell, index: number, value: Cell): void {
    const slot = this.#slot(list, this.#lists, HI_LIST, "list_set");
    const length = this.#lists.lengths[slot]!;
    if (!(index >= 0 && index < length && (index | 0) === index)) throw outOfBounds("list_set", index, length);
    this.#value(value, "list_set");
    const cells = this.#lists.payload[slot]!;
    // At or past the written prefix: the tail becomes real, up to MAX_STORED (operations.md §3.1).
    if (index >= cells.length) materializeTo(cells, index, CELL_NULL, "list_set");
    cells[index] = value;
  }

  listPush(list: Cell, value: Cell): void {
    const lists = this.#lists;
    const slot = this.#slot(list, lists, HI_LIST, "list_push");
    this.#value(value, "list_push");
    const length = lists.lengths[slot]!;
    if (length === MAX_LENGTH) throw new Trap(TrapCode.OUT_OF_MEMORY, "list_push", `the list is at MAX_LENGTH ${MAX_LENGTH}`);
    checkStorable(length, "list_push");
    this.#grow(8, "list_push", [list, value]);
    const cells = lists.payload[slot]!;
    if (length > cells.length) materializeTo(cells, length, CELL_NULL, "list_push");
    cells.push(value);
    lists.lengths[slot] = length + 1;
  }

  // ---- Structs ------------------------------------------------------------

  /**
   * A new Struct of `fields` null fields, recording `shape` (operations.md
   * §3.3: an embedder's number, e.g. an IR StructID; 0 unless given).
   */
  structNew(fields: number, shape = 0): Cell {
    if (!(Number.isInteger(fields) && fields >= 0 && fields <= MAX_FIELDS)) {
      throw new Trap(TrapCode.BAD_ARGUMENT, "struct_new", `field count ${fields} outside [0, ${MAX_FIELDS}]`);
    }
    if (!(Number.isInteger(shape) && shape >= 0 && shape <= MAX_SHAPE)) {
      throw new Trap(TrapCode.BAD_ARGUMENT, "struct_new", `shape ${shape} outside [0, ${MAX_SHAPE}]`);
    }
    this.#reserve(this.#structs, 16 + 8 * fields, "struct_new");
    const handle = this.#commit(this.#structs, nullCells(fields), fields);
    const slot = word[LO]!;
    if (slot >= this.#shapes.length) {
      const grown = new Uint32Array(Math.max(slot + 1, this.#shapes.length * 2));
      grown.set(this.#shapes);
      this.#shapes = grown;
    }
    this.#shapes[slot] = shape;
    return handle;
  }

  /** The shape number a Struct was made with (operations.md §3.3); `handle(s, Struct)`. */
  structShape(s: Cell): number {
    return this.#shapes[this.#slot(s, this.#structs, HI_STRUCT, "struct_shape")]!;
  }

  structLen(s: Cell): number {
    return this.#structs.lengths[this.#slot(s, this.#structs, HI_STRUCT, "struct_len")]!;
  }

  structGet(s: Cell, field: number): Cell {
    const cells = this.#structs.payload[this.#slot(s, this.#structs, HI_STRUCT, "struct_get")]!;
    if (!(field >= 0 && field < cells.length && (field | 0) === field)) throw outOfBounds("struct_get", field, cells.length);
    return cells[field]!;
  }

  structSet(s: Cell, field: number, value: Cell): void {
    const cells = this.#structs.payload[this.#slot(s, this.#structs, HI_STRUCT, "struct_set")]!;
    if (!(field >= 0 && field < cells.length && (field | 0) === field)) throw outOfBounds("struct_set", field, cells.length);
    this.#value(value, "struct_set");
    cells[field] = value;
  }

  // ---- Strings, maps, typed arrays (string-arena.ts, map-arena.ts, typed-array-arena.ts)

  /** `str_new`: a new String of these bytes (a JS string: its UTF-8 encoding). */
  strNew(bytes: Uint8Array | string): Cell { return this.#kept.strings.strNew(bytes); }
  /** `str_len`: the byte length. */
  strLen(s: Cell): number { return this.#kept.strings.strLen(s); }
  /** `str_concat`: a new String a‖b. */
  strConcat(a: Cell, b: Cell): Cell { return this.#kept.strings.strConcat(a, b); }
  /** `str_eq`: the same bytes. */
  strEq(a: Cell, b: Cell): boolean { return this.#kept.strings.strEq(a, b); }
  /** `str_get`: a copy of the bytes. */
  strGet(s: Cell): Uint8Array { return this.#kept.strings.strGet(s); }
  /** `str_get` decoded as UTF-8. */
  strText(s: Cell): string { return this.#kept.strings.strText(s); }

  /** `map_new`: a new empty Map of integer keys to integer values. */
  mapNew(): Cell { return this.#kept.maps.mapNew(); }
  /** `map_set`: key and value must be integer Cells (WRONG_TYPE). */
  mapSet(m: Cell, key: Cell, value: Cell): void { this.#kept.maps.mapSet(m, key, value); }
  /** `map_get`: the value, or the integer 0 for an absent key. */
  mapGet(m: Cell, key: Cell): Cell { return this.#kept.maps.mapGet(m, key); }
  /** `map_has`. */
  mapHas(m: Cell, key: Cell): boolean { return this.#kept.maps.mapHas(m, key); }
  /** `map_len`: the number of keys. */
  mapLen(m: Cell): number { return this.#kept.maps.mapLen(m); }

  /** `f64arr_new`: `length` elements +0.0. */
  f64arrNew(length: number): Cell { return this.#kept.f64s.create(length); }
  f64arrLen(a: Cell): number { return this.#kept.f64s.len(a); }
  f64arrGet(a: Cell, index: number): Cell { return this.#kept.f64s.get(a, index); }
  /** `f64arr_set`: value must be a float Cell (WRONG_TYPE). */
  f64arrSet(a: Cell, index: number, value: Cell): void { this.#kept.f64s.set(a, index, value); }
  f64arrPush(a: Cell, value: Cell): void { this.#kept.f64s.push(a, value); }

  /** `i64arr_new`: `length` elements integer 0. */
  i64arrNew(length: number): Cell { return this.#kept.i64s.create(length); }
  i64arrLen(a: Cell): number { return this.#kept.i64s.len(a); }
  i64arrGet(a: Cell, index: number): Cell { return this.#kept.i64s.get(a, index); }
  /** `i64arr_set`: value must be an integer Cell (WRONG_TYPE). */
  i64arrSet(a: Cell, index: number, value: Cell): void { this.#kept.i64s.set(a, index, value); }
  i64arrPush(a: Cell, value: Cell): void { this.#kept.i64s.push(a, value); }

  // ---- Host values --------------------------------------------------------

  /** A new Host slot holding `value`, opaque to the heap (operations.md §3.2 notes). */
  hostNew(value: unknown): Cell {
    this.#reserve(this.#hosts, 16, "host_new");
    return this.#commit(this.#hosts, value, 0);
  }

  hostGet(h: Cell): unknown {
    const p = this.#hosts.payload[this.#slot(h, this.#hosts, HI_HOST, "host_get")];
    if (!(p instanceof Demoted)) return p;
    // Promotion found the value gone: no root reached the slot when the JS collector ran (collection.md §4.7).
    const v = p.ref.deref();
    if (v === undefined) throw new Trap(TrapCode.STALE_HANDLE, "host_get", "the host value was collected: no root reached its slot");
    return v;
  }

  // ---- Wrappers (collection.md §4.7, handle-ref.ts) ------------------------

  /**
   * Pins `h` for a wrapper (a HandleRef) and returns the slot's Anchor, which
   * the wrapper must keep: with weak host edges (HeapConfig.hostEdges) a
   * region's host values are held through it. Traps as `pin`.
   */
  wrap(h: Cell): Anchor | undefined {
    this.pin(h);
    if (this.#edges === undefined) return undefined;
    const store = this.#byArena[(word[HI]! >>> 12) & 0xf]!;
    return this.#edges.wrap(store, word[LO]!);
  }

  /** Releases one wrapper's pin of `h` (traps as `unpin`). */
  unwrap(h: Cell): void {
    const store = this.#anyHandle(h, "unpin");
    const slot = word[LO]!;
    if (store.pins[slot] === 0) throw new Trap(TrapCode.NOT_PINNED, "unpin", "pin count is zero");
    this.#edges?.unwrap(store, slot);
    this.unpin(h);
  }

  /** Counters of the weak host edges (collection.md §4.7), for benchmarks and tests. */
  edgeStats(): { enabled: boolean; regionsFormed: number; valuesDemoted: number; promotions: number; demotedSlots: number } {
    const e = this.#edges;
    let demotedSlots = 0;
    for (const store of this.#stores) demotedSlots += store.demoted;
    return { enabled: e !== undefined, regionsFormed: e?.regionsFormed ?? 0, valuesDemoted: e?.valuesDemoted ?? 0, promotions: e?.promotions ?? 0, demotedSlots };
  }

  // ---- Freeing and collecting ---------------------------------------------

  /** Frees any heap slot; its pins go with it (operations.md §3.2 notes). */
  free(h: Cell): void {
    const store = this.#anyHandle(h, "free");
    const slot = word[LO]!;
    this.#notePeak();
    this.#heapBytes -= store.accountedBytes(slot);
    store.release(slot, this.#config.stub);
    this.#counts.slotsFreed++;
  }

  /** A collection (collection.md §4.4); → the slots it freed. STUB: nothing, → 0. */
  collect(): number {
    if (this.#config.stub) return 0;
    return this.#collect(NO_ROOTS);
  }

  // ---- Scopes -------------------------------------------------------------

  /** Opens a scope; → its mark, the number of scopes open after it opened. */
  /** Opens a scope; → its mark. MAX_SCOPES open → OUT_OF_MEMORY (a guest may loop scope_enter, handle-abi.md §10.3). */
  scopeEnter(): number {
    if (this.#roots.depth >= MAX_SCOPES) throw new Trap(TrapCode.OUT_OF_MEMORY, "scope_enter", `${MAX_SCOPES} scopes are open`);
    return this.#roots.enter();
  }

  scopeRoot(c: Cell): void {
    this.#value(c, "scope_root");
    if (this.#roots.depth === 0) throw new Trap(TrapCode.SCOPE_MISMATCH, "scope_root", "no scope is open");
    if (this.#roots.cells.length >= MAX_SCOPE_ROOTS) throw new Trap(TrapCode.OUT_OF_MEMORY, "scope_root", `the root stack holds ${MAX_SCOPE_ROOTS} Cells`);
    this.#roots.push(c);
  }

  scopeExit(mark: number): void {
    const depth = this.#roots.depth;
    if (mark !== depth || depth === 0) {
      throw new Trap(TrapCode.SCOPE_MISMATCH, "scope_exit", depth === 0 ? `mark ${mark} but no scope is open` : `mark ${mark} but the innermost scope is ${depth}`);
    }
    this.#roots.exit();
  }

  // ---- Frames (collection.md §4.6, frames.ts) ---------------------------

  /**
   * Opens a frame of `slots` null slots; → its mark, the number of frames
   * open after it opened. `slots` not an integer in [0, 2^16] is
   * BAD_ARGUMENT; more than 2^24 slots in all open frames OUT_OF_MEMORY.
   */
  frameEnter(slots: number): number {
    if (!(Number.isInteger(slots) && slots >= 0 && slots <= MAX_FRAME_SLOTS)) {
      throw new Trap(TrapCode.BAD_ARGUMENT, "frame_enter", `slots ${slots} outside [0, ${MAX_FRAME_SLOTS}]`);
    }
    const open = this.#frames.size;
    if (open + slots > MAX_FRAME_TOTAL) {
      throw new Trap(TrapCode.OUT_OF_MEMORY, "frame_enter", `open frames hold ${open} slots, ${slots} more would exceed ${MAX_FRAME_TOTAL}`);
    }
    if (this.#frames.depth >= MAX_FRAMES) {
      throw new Trap(TrapCode.OUT_OF_MEMORY, "frame_enter", `${MAX_FRAMES} frames are open`);
    }
    return this.#frames.enter(slots);
  }

  /**
   * Slot `slot` of the open frame `mark` := c. Checks, in order: mark names
   * no open frame → SCOPE_MISMATCH; slot outside the frame → OUT_OF_BOUNDS;
   * c not valid → BAD_CELL. A scalar or a stale handle is kept (it marks nothing).
   */
  frameRoot(mark: number, slot: number, c: Cell): void {
    const n = this.#frames.slotsOf(mark);
    if (n < 0) throw new Trap(TrapCode.SCOPE_MISMATCH, "frame_root", `mark ${mark} names no open frame (${this.#frames.depth} open)`);
    if (!(slot >= 0 && slot < n && (slot | 0) === slot)) throw outOfBounds("frame_root", slot, n);
    if (!inRange(c)) throw badCell("frame_root", c);
    word64[0] = c;
    if (classify(word[HI]!, word[LO]!) === KIND_BAD) throw badCell("frame_root", c);
    // A frame slot is a root: a handle into a region promotes it (collection.md §4.7).
    if (word[HI]! >>> 16 === TAG_HANDLE) {
      const store = this.#byArena[(word[HI]! >>> 12) & 0xf];
      const at = word[LO]!;
      if (store !== undefined && store.demoted !== 0 && store.regions[at] !== 0 && store.isLive(word[HI]! & 0xfff, at)) this.#promote(store, at, "frame");
    }
    this.#frames.set(mark, slot, c);
  }

  /** Closes the innermost frame, whose mark must be `mark` (else SCOPE_MISMATCH), dropping its slots. */
  frameExit(mark: number): void {
    const depth = this.#frames.depth;
    if (mark !== depth || depth === 0) {
      throw new Trap(TrapCode.SCOPE_MISMATCH, "frame_exit", depth === 0 ? `mark ${mark} but no frame is open` : `mark ${mark} but the innermost frame is ${depth}`);
    }
    this.#frames.exit();
  }

  /** The number of open frames (collection.md §4.6): the innermost frame's mark, 0 when none is open. */
  get openFrames(): number {
    return this.#frames.depth;
  }

  /** The number of open scopes (collection.md §4.2): the innermost scope's mark, 0 when none is open. */
  get openScopes(): number {
    return this.#roots.depth;
  }

  /**
   * Closes the innermost frames until `frames` are open, then the innermost
   * scopes until `scopes` are open, as that many frame_exit and scope_exit
   * calls would: a host reusing an instance after a trap closes what the
   * trapped call opened (embedding.md §7.4). A count at or above the open
   * ones changes nothing.
   */
  unwind(frames: number, scopes: number): void {
    while (this.#frames.depth > Math.max(frames, 0)) this.#frames.exit();
    while (this.#roots.depth > Math.max(scopes, 0)) this.#roots.exit();
  }

  // ---- Pins ---------------------------------------------------------------

  pin(h: Cell): void {
    const store = this.#anyHandle(h, "pin");
    const slot = word[LO]!;
    const count = store.pins[slot]!;
    if (count === MAX_PINS) throw new Trap(TrapCode.OUT_OF_MEMORY, "pin", `pin count at its maximum ${MAX_PINS}`);
    store.pins[slot] = count + 1;
    if (count === 0) store.pinnedSlots++;
  }

  unpin(h: Cell): void {
    const store = this.#anyHandle(h, "unpin");
    const slot = word[LO]!;
    const count = store.pins[slot]!;
    if (count === 0) throw new Trap(TrapCode.NOT_PINNED, "unpin", "pin count is zero");
    store.pins[slot] = count - 1;
    if (count === 1) store.pinnedSlots--;
  }

  /** The pin count of a live slot. Not an ABI operation; its argument is checked as `anyHandle`. */
  pinCount(h: Cell): number {
    const store = this.#anyHandle(h, "pin_count");
    return store.pins[word[LO]!]!;
  }

  // ---- Embedder accessors (handle-abi.md §10) -----------------------------

  /**
   * `handle(c, A)` of operations.md §3.1 for any arena number A in 0..15
   * (the handle ABI's `check` import): BAD_CELL, NULL_DEREF, NOT_A_HANDLE,
   * WRONG_ARENA, STALE_HANDLE. For an arena this version does not implement,
   * and for the SmallInt arena 12, no Cell passes: a handle of that arena
   * names no live slot (STALE_HANDLE), a SmallInt is not a heap handle
   * (NOT_A_HANDLE). The caller bounds A (the import answers an arena outside
   * 0..13 with BAD_ARGUMENT first). Go: `Heap.CheckHandle`.
   */
  checkHandle(c: Cell, arena: number): void {
    if (!(Number.isInteger(arena) && arena >= 0 && arena <= 15)) {
      throw new Trap(TrapCode.BAD_ARGUMENT, "check", `arena ${arena} outside 0..15`);
    }
    const trap = handleTrap("check", c, arena, this.#byArena);
    if (trap !== undefined) throw trap;
  }

  /**
   * The number of alive slots in all arenas now: the sum of `stats()`'s
   * per-arena live counts, without building the stats (one pass over seven
   * counters, cheap enough to sample after every allocation). Go: `Heap.LiveSlots`.
   */
  liveSlots(): number {
    let live = 0;
    for (const store of this.#stores) live += store.live;
    return live;
  }

  /**
   * The most slots alive at once since the heap was made. Exact without a
   * cost on allocation: the live count rises only by allocating and falls
   * only by `free` and collections, so its maximum is reached just before one
   * of those (where it is recorded) or now.
   */
  peakLiveSlots(): number {
    return Math.max(this.#counts.peakBeforeDrop, this.liveSlots());
  }

  #notePeak(): void {
    const live = this.liveSlots();
    if (live > this.#counts.peakBeforeDrop) this.#counts.peakBeforeDrop = live;
  }

  // ---- Introspection ------------------------------------------------------

  stats(): HeapStats {
    let quarantined = 0;
    let pinned = 0;
    for (const store of this.#stores) {
      quarantined += store.quarantine.length;
      pinned += store.pinnedSlots;
    }
    return {
      arenas: this.#stores.map((s) => ({ arena: s.arena, live: s.live, total: s.total })),
      collections: this.#counts.collections,
      slotsFreed: this.#counts.slotsFreed,
      quarantined,
      heapBytes: this.#heapBytes,
      pinned,
      scopeRoots: this.#roots.cells.length,
      frameRoots: this.#frames.size,
    };
  }

  /**
   * Throws an Error naming the first broken internal invariant (free list,
   * quarantine, states, live and pin counts, heap_bytes, scopes, frames). For tests
   * and fuzzing; costs a walk over every slot.
   */
  checkInvariants(): void {
    checkHeapInvariants(this.#stores, this.#roots, this.#frames, this.#heapBytes, this.#config.stub);
  }

  // ---- Internals ----------------------------------------------------------

  /**
   * `handle(c, A)` (operations.md §3.1) → the slot. The fast path is one
   * range check, one store into the scratch word and three comparisons
   * (tag+arena, state, generation); a slot at or beyond `total` reads state
   * 0 or undefined and falls through. Any failure goes to the slow path,
   * which finds the first failing check in the spec's order.
   */
  #slot(c: Cell, store: ArenaStore<unknown>, hiArena: number, op: string): number {
    if (inRange(c)) {
      word64[0] = c;
      const hi = word[HI]!;
      const slot = word[LO]!;
      if (hi >>> 12 === hiArena && store.states[slot] === ALIVE && store.generations[slot] === (hi & 0xfff)) return slot;
    }
    const trap = handleTrap(op, c, store.arena, this.#byArena);
    if (trap !== undefined) throw trap;
    return word[LO]!;
  }

  /**
   * The barrier of collection.md §4.7: an operation that can make a handle
   * reachable from an ordinary root — storing it (the value check), rooting
   * it (scope_root, frame_root, pin) — was given one in a region that only
   * wrappers reach; the region becomes ordinary (its host values strongly
   * held by their slots) first. An operation that only reads or writes
   * *through* such a handle needs no barrier: what it reads out reaches a
   * root only through one of these. Leaves `word` alone.
   */
  #promote(store: ArenaStore<unknown>, slot: number, via: BarrierSite): void {
    if (barrierTestHook.skip === via) return;
    this.#edges?.promote(store.regions[slot]!, this.#hosts);
  }

  /** `anyHandle(c)` → the store; the slot is left in `word[LO]`. */
  #anyHandle(c: Cell, op: string): ArenaStore<unknown> {
    const trap = handleTrap(op, c, -1, this.#byArena);
    if (trap !== undefined) throw trap;
    const store = this.#byArena[(word[HI]! >>> 12) & 0xf]!;
    if (store.demoted !== 0 && store.regions[word[LO]!] !== 0) this.#promote(store, word[LO]!, "anyHandle");
    return store;
  }

  /**
   * `value(c)` (operations.md §3.1): valid, and a heap handle must be live.
   * The fast path accepts live heap handles and every valid non-handle
   * pattern; a failure goes to the slow path for the exact trap.
   */
  #value(c: Cell, op: string): void {
    if (inRange(c)) {
      word64[0] = c;
      const hi = word[HI]!;
      if (hi >>> 16 === TAG_HANDLE) {
        const store = this.#byArena[(hi >>> 12) & 0xf];
        if (store !== undefined ? store.isLive(hi & 0xfff, word[LO]!) : classify(hi, word[LO]!) === KIND_SMALL_INT) {
          if (store !== undefined && store.demoted !== 0 && store.regions[word[LO]!] !== 0) this.#promote(store, word[LO]!, "value");
          return;
        }
      } else if (classify(hi, word[LO]!) !== KIND_BAD) {
        return;
      }
    }
    const trap = valueTrap(op, c, this.#byArena);
    if (trap !== undefined) throw trap;
  }

  /**
   * `allocate` steps 1 and 2 (operations.md §3.2): the AUTO safepoint, then
   * the byte and slot limits, collecting once more under AUTO before giving
   * up. Traps OUT_OF_MEMORY; the caller then commits with `#commit`.
   */
  #reserve(store: ArenaStore<unknown>, bytes: number, op: string, roots: readonly Cell[] = NO_ROOTS): void {
    let collected = false;
    if (this.#config.auto && this.#allocsSinceGc >= Math.max(this.#config.autoMinThreshold, this.#counts.liveAfter)) {
      this.#collect(roots);
      collected = true;
    }
    if (this.#fits(store, bytes)) return;
    if (this.#config.auto && !collected) {
      this.#collect(roots);
      if (this.#fits(store, bytes)) return;
    }
    if (!store.hasRoom(this.#config.maxSlotsPerArena)) {
      throw new Trap(TrapCode.OUT_OF_MEMORY, op, `arena has ${store.total} slots, max_slots_per_arena ${this.#config.maxSlotsPerArena}, none free`);
    }
    throw new Trap(TrapCode.OUT_OF_MEMORY, op, `heap_bytes ${this.#heapBytes} + ${bytes} > max_heap_bytes ${this.#config.maxHeapBytes}`);
  }

  #fits(store: ArenaStore<unknown>, bytes: number): boolean {
    return this.#heapBytes + bytes <= this.#config.maxHeapBytes && store.hasRoom(this.#config.maxSlotsPerArena);
  }

  /**
   * The byte check of `list_push` and its kin (operations.md §3.2): AUTO
   * collects once, rooting the operation's arguments, and checks again.
   */
  #grow(bytes: number, op: string, roots: readonly Cell[]): void {
    if (this.#heapBytes + bytes > this.#config.maxHeapBytes) {
      if (this.#config.auto) this.#collect(roots);
      if (this.#heapBytes + bytes > this.#config.maxHeapBytes) {
        throw new Trap(TrapCode.OUT_OF_MEMORY, op, `heap_bytes ${this.#heapBytes} + ${bytes} > max_heap_bytes ${this.#config.maxHeapBytes}`);
      }
    }
    this.#heapBytes += bytes;
  }

  /** `allocate` step 3: take the slot, account it (arenas.md §2.6), → its handle; the slot is left in `word[LO]`. */
  #commit<P>(store: ArenaStore<P>, payload: P, length: number): Cell {
    const slot = store.take(payload, length);
    this.#heapBytes += 16 + store.unitBytes * length;
    this.#allocsSinceGc++;
    return pack((0xffff_0000 | (store.arena << 12) | store.generations[slot]!) >>> 0, slot);
  }

  /** A collection with `extra` roots and its step-4 bookkeeping; → slots freed. */
  #collect(extra: readonly Cell[]): number {
    this.#notePeak();
    const { freed, freedBytes } = collectGarbage(this.#stores, this.#byArena, this.#roots.cells, this.#frames, extra, this.#edges, this.#hosts);
    this.#heapBytes -= freedBytes;
    this.#counts.collections++;
    this.#counts.slotsFreed += freed;
    this.#allocsSinceGc = 0;
    let live = 0;
    for (const store of this.#stores) live += store.live;
    this.#counts.liveAfter = live;
    return freed;
  }
}
