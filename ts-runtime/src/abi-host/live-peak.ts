// The most slots alive at once during a run (the handle-ABI analogue of a
// heap's high-water mark; the Go bridge's Result.PeakLiveSlots).
//
// How: the live count rises only when an operation takes a slot, and every
// such operation is an import marked `allocates` (signatures.ts). The host
// samples `heap.liveSlots()` (seven counters summed) after each of them, so
// the maximum of the samples is exactly the peak: a collection inside an
// allocating import only lowers the count before the new slot is taken.

import type { Heap } from "../heap.ts";

export class LivePeak {
  readonly #heap: Heap;
  #peak: number;

  constructor(heap: Heap) {
    this.#heap = heap;
    this.#peak = heap.liveSlots();
  }

  /** Called after every allocating import (also after one that trapped: it may have collected, never allocated). */
  sample(): void {
    const live = this.#heap.liveSlots();
    if (live > this.#peak) this.#peak = live;
  }

  /** Starts over from the live count now: a call on a reused instance reports its own peak (embedding.md §7.4). */
  restart(): void {
    this.#peak = this.#heap.liveSlots();
  }

  get peak(): number {
    return this.#peak;
  }
}
