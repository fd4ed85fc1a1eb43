package vm3

import "github.com/vm3-bridge/vm3/go-host/vm3pb"

// Indexes of the heap arenas in Heap.arenas: number order (arenas.md §2.1),
// which is also the order of release and sweep (collection.md §4.4).
const (
	listIdx = iota
	structIdx
	hostIdx
	arenaCount
)

// arenaIndex maps a Cell's arena field to its index in Heap.arenas, or -1
// for an arena this version does not implement (cell.md §1.3, last note).
var arenaIndex = [16]int8{-1, listIdx, -1, -1, structIdx, -1, -1, -1, -1, -1, -1, -1, -1, hostIdx, -1, -1}

// Bounds of operations.md §3.1.
const (
	MaxLength = 1<<31 - 1
	MaxFields = 65535
)

// Heap is one vm3 heap: its arenas, roots and counters. It is not safe for
// concurrent use.
type Heap struct {
	lim    limits
	arenas [arenaCount]arena

	heapBytes   uint64
	collections uint64
	slotsFreed  uint64

	// roots is the scope root stack; scopes holds each open scope's root
	// stack height at its opening (collection.md §4.2).
	roots  []Cell
	scopes []int

	// AUTO's trigger (collection.md §4.5).
	allocsSinceGC uint64
	liveAfter     uint64

	// work is the collector's work list, kept between collections.
	work []uint64
}

// NewHeap makes an empty heap.
func NewHeap(cfg Config) *Heap {
	h := &Heap{lim: cfg.resolve()}
	h.arenas[listIdx] = newArena(vm3pb.Arena_ARENA_LIST, true)
	h.arenas[structIdx] = newArena(vm3pb.Arena_ARENA_STRUCT, true)
	h.arenas[hostIdx] = newArena(vm3pb.Arena_ARENA_HOST, false)
	return h
}

// Variant is the heap's resolved collector variant.
func (h *Heap) Variant() vm3pb.Variant { return h.lim.variant }

// allocate is operations.md §3.2's allocate(A, bytes, roots) up to taking
// the slot: the AUTO safepoint, then the byte and slot limits, collecting
// once more under AUTO before giving up with OUT_OF_MEMORY.
func (h *Heap) allocate(op string, idx int, bytes uint64, n uint32) (uint32, error) {
	a := &h.arenas[idx]
	collected := false
	if h.lim.auto && h.allocsSinceGC >= max(h.lim.autoMin, h.liveAfter) {
		h.collect(nil)
		collected = true
	}
	for !h.fits(bytes) || !a.hasRoom(h.lim.maxSlots) {
		if !h.lim.auto || collected {
			if !a.hasRoom(h.lim.maxSlots) {
				return 0, trapf(vm3pb.TrapCode_OUT_OF_MEMORY, op, "%v has %d slots, the most max_slots_per_arena allows", a.number, a.total())
			}
			return 0, trapf(vm3pb.TrapCode_OUT_OF_MEMORY, op, "heap_bytes %d + %d would exceed max_heap_bytes %d", h.heapBytes, bytes, h.lim.maxBytes)
		}
		h.collect(nil)
		collected = true
	}
	s := a.take(n)
	h.heapBytes += bytes
	h.allocsSinceGC++
	return s, nil
}

// fits reports whether bytes more stay within max_heap_bytes.
func (h *Heap) fits(bytes uint64) bool {
	return bytes <= h.lim.maxBytes && h.heapBytes <= h.lim.maxBytes-bytes
}

// HostNew stores v in a new Host slot (operations.md §3.2 host_new).
func (h *Heap) HostNew(v any) (Cell, error) {
	s, err := h.allocate("host_new", hostIdx, 16, 0)
	if err != nil {
		return 0, err
	}
	a := &h.arenas[hostIdx]
	a.hosts[s] = v
	return MakeHandle(vm3pb.Arena_ARENA_HOST, a.meta[s]&MaxGeneration, s), nil
}

// HostGet returns the value a Host slot holds (operations.md §3.2 host_get).
func (h *Heap) HostGet(c Cell) (any, error) {
	a, s, err := h.handle("host_get", c, hostIdx)
	if err != nil {
		return nil, err
	}
	return a.hosts[s], nil
}

// Free frees any heap slot (operations.md §3.2 free): its generation bumps,
// its pins go with it, and its bytes leave heap_bytes.
func (h *Heap) Free(c Cell) error {
	a, s, err := h.anyHandle("free", c)
	if err != nil {
		return err
	}
	h.freeSlot(a, s)
	return nil
}

func (h *Heap) freeSlot(a *arena, s uint32) {
	h.heapBytes -= a.release(s, h.lim.stub)
	h.slotsFreed++
}

// liveTotal counts alive slots in all arenas.
func (h *Heap) liveTotal() uint64 {
	var n uint64
	for i := range h.arenas {
		n += h.arenas[i].live
	}
	return n
}
