// Internal consistency of a heap, for tests and fuzzing (Heap.checkInvariants).
import { Arena } from "./arena.ts";
import { ALIVE, type ArenaStore, type Cells, DEAD, FREE, NO_SLOT, QUARANTINED } from "./arena-store.ts";
import { classify, HI, inRange, KIND_BAD, KIND_F64, KIND_INT48, KIND_SMALL_INT, LO, word, word64 } from "./cell-bits.ts";
import { type FrameStack, MAX_FRAME_TOTAL } from "./frames.ts";
import type { RootStack } from "./roots.ts";

/** Throws an Error naming the first broken invariant. */
export function checkHeapInvariants(stores: readonly ArenaStore<unknown>[], roots: RootStack, frames: FrameStack, heapBytes: number, stub: boolean): void {
  let bytes = 0;
  for (const store of stores) bytes += checkStore(store, stub);
  if (bytes !== heapBytes) fail(`heap_bytes is ${heapBytes} but the live slots account for ${bytes}`);
  let previous = 0;
  for (const height of roots.heights) {
    if (height < previous || height > roots.cells.length) fail(`scope heights ${roots.heights.join(",")} do not fit a root stack of ${roots.cells.length}`);
    previous = height;
  }
  roots.cells.forEach((c, i) => checkCell(c, `root ${i}`));
  previous = 0;
  for (const base of frames.bases) {
    if (base < previous || base > frames.size) fail(`frame bases ${frames.bases.join(",")} do not fit ${frames.size} frame slots`);
    previous = base;
  }
  if (frames.depth === 0 && frames.size !== 0) fail(`${frames.size} frame slots with no frame open`);
  if (frames.size > MAX_FRAME_TOTAL) fail(`${frames.size} frame slots exceed MAX_FRAME_TOTAL`);
  let i = 0;
  frames.forEach((c) => {
    // A BigUint64Array holds only 64-bit patterns: classify alone (and no detail string per slot).
    word64[0] = c;
    if (classify(word[HI]!, word[LO]!) === KIND_BAD) checkCell(c, `frame slot ${i}`);
    i++;
  });
}

/** Checks one arena; → the accounted bytes of its live slots. */
function checkStore(store: ArenaStore<unknown>, stub: boolean): number {
  const where = `arena ${store.arena}`;
  const capacity = store.states.length;
  for (const array of [store.generations, store.pins, store.marks, store.freeList]) {
    if (array.length !== capacity) fail(`${where}: per-slot arrays have different capacities`);
  }
  if (store.total > capacity || store.payload.length !== store.total) fail(`${where}: total ${store.total}, capacity ${capacity}, payloads ${store.payload.length}`);
  const counts = [0, 0, 0, 0, 0];
  let pinned = 0;
  let bytes = 0;
  for (let s = 0; s < store.total; s++) {
    const state = store.states[s]!;
    if (state === NO_SLOT || state > DEAD) fail(`${where}: slot ${s} has state ${state}`);
    counts[state]!++;
    const pins = store.pins[s]!;
    if (pins !== 0) {
      if (state !== ALIVE) fail(`${where}: slot ${s} is not alive but has ${pins} pins`);
      pinned++;
    }
    if (state === ALIVE) {
      bytes += store.accountedBytes(s);
      checkPayload(store, s, where);
    } else if (store.payload[s] !== undefined || store.lengths[s] !== 0) {
      fail(`${where}: slot ${s} in state ${state} still holds a payload`);
    }
    if (state === QUARANTINED && store.generations[s] !== 0) fail(`${where}: quarantined slot ${s} has generation ${store.generations[s]}`);
  }
  for (let s = store.total; s < capacity; s++) {
    if (store.states[s] !== NO_SLOT) fail(`${where}: slot ${s} beyond total ${store.total} has a state`);
  }
  if (counts[ALIVE] !== store.live) fail(`${where}: live is ${store.live} but ${counts[ALIVE]} slots are alive`);
  if (pinned !== store.pinnedSlots) fail(`${where}: pinnedSlots is ${store.pinnedSlots} but ${pinned} slots have pins`);
  if (stub && (counts[FREE] !== 0 || counts[QUARANTINED] !== 0)) fail(`${where}: STUB heap has free or quarantined slots`);
  if (!stub && counts[DEAD] !== 0) fail(`${where}: dead slots outside STUB`);
  checkMembers(where, "free list", Array.from(store.freeList.subarray(0, store.freeTop)), FREE, counts[FREE]!, store);
  checkMembers(where, "quarantine", store.quarantine, QUARANTINED, counts[QUARANTINED]!, store);
  return bytes;
}

/** An alive slot's payload has its arena's form, its length and only Cells of the arena's kinds. */
function checkPayload(store: ArenaStore<unknown>, s: number, where: string): void {
  const payload = store.payload[s];
  const length = store.lengths[s]!;
  switch (store.kind) {
    case "cells":
    case "f64":
    case "i64": {
      if (!Array.isArray(payload)) fail(`${where}: alive slot ${s} has no Cell payload`);
      const cells = payload as Cells;
      if (cells.length > length || (store.arena === Arena.STRUCT && cells.length !== length)) {
        fail(`${where}: slot ${s} holds ${cells.length} Cells for length ${length}`);
      }
      for (let i = 0; i < cells.length; i++) checkCell(cells[i], `${where} slot ${s} element ${i}`, store.kind);
      return;
    }
    case "bytes":
      if (!(payload instanceof Uint8Array) || payload.length !== length) fail(`${where}: slot ${s} is not ${length} bytes`);
      return;
    case "map":
      if (!(payload instanceof Map) || payload.size !== length) fail(`${where}: slot ${s} is not a map of ${length} keys`);
      for (const [k, v] of payload as Map<unknown, unknown>) {
        checkCell(k, `${where} slot ${s} key`, "i64");
        checkCell(v, `${where} slot ${s} value`, "i64");
      }
      return;
    case "host":
      if (length !== 0) fail(`${where}: host slot ${s} has length ${length}`);
  }
}

/** Each slot of `members` is distinct and in `state`, and they are all `count` such slots. */
function checkMembers(where: string, what: string, members: readonly number[], state: number, count: number, store: ArenaStore<unknown>): void {
  const seen = new Set<number>();
  for (const s of members) {
    if (seen.has(s)) fail(`${where}: slot ${s} is on the ${what} twice`);
    seen.add(s);
    if (s >= store.total || store.states[s] !== state) fail(`${where}: slot ${s} on the ${what} has state ${store.states[s]}`);
  }
  if (members.length !== count) fail(`${where}: the ${what} holds ${members.length} slots but ${count} are in its state`);
}

/**
 * Stored and rooted Cells are valid patterns (they passed `value`); liveness
 * may have lapsed since. F64Arr elements are floats; I64Arr elements and map
 * keys and values integers.
 */
function checkCell(c: unknown, where: string, kind: string = "cells"): void {
  if (typeof c !== "bigint" || !inRange(c)) fail(`${where}: ${String(c)} is not a Cell`);
  word64[0] = c as bigint;
  const k = classify(word[HI]!, word[LO]!);
  if (k === KIND_BAD) fail(`${where}: ${String(c)} is not a valid Cell`);
  if (kind === "f64" && k !== KIND_F64) fail(`${where}: ${String(c)} is not a float`);
  if (kind === "i64" && k !== KIND_SMALL_INT && k !== KIND_INT48) fail(`${where}: ${String(c)} is not an integer`);
}

function fail(message: string): never {
  throw new Error(`heap invariant: ${message}`);
}
