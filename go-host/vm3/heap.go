package vm3

import "github.com/vm3-bridge/vm3/go-host/vm3pb"

// Indexes of the heap arenas in Heap.arenas: number order (arenas.md §2.1),
// which is also the order of release and sweep (collection.md §4.4).
const (
	stringIdx = iota
	listIdx
	mapIdx
	structIdx
	f64Idx
	i64Idx
	hostIdx
	arenaCount
)

// arenaIndex maps a Cell's arena field to its index in Heap.arenas, or -1
// for an arena this version does not implement (cell.md §1.3, last note).
var arenaIndex = [16]int8{stringIdx, listIdx, mapIdx, -1, structIdx, -1, -1, -1, -1, f64Idx, i64Idx, -1, -1, hostIdx, -1, -1}

// Bounds of operations.md §3.1. The last three are what V8 can hold (its
// longest string, largest Map, longest array); Go enforces them too, so a
// heap one host accepts is one every host can represent.
const (
	MaxLength   = 1<<31 - 1
	MaxFields   = 65535
	MaxStrBytes = 1<<29 - 24
	MaxKeys     = 1 << 24
	MaxStored   = 1 << 27
)

// storable is OUT_OF_MEMORY when a sequence would store an element at index
// i >= MaxStored (operations.md §3.1): a set there, or a push onto a
// sequence that long. Checked before the byte limit, so nothing changes.
func storable(op string, i uint64) error {
	if i >= MaxStored {
		return trapf(vm3pb.TrapCode_OUT_OF_MEMORY, op, "element %d cannot be stored: a sequence stores at most MaxStored %d elements", i, MaxStored)
	}
	return nil
}

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

	// frameSlots holds the slots of every open frame, frameBase each open
	// frame's first index into it (collection.md §4.6, frame.go).
	frameSlots []Cell
	frameBase  []int

	// AUTO's trigger (collection.md §4.5).
	allocsSinceGC uint64
	liveAfter     uint64

	// work is the collector's work list, kept between collections.
	work []uint64

	// shapes[s] is the shape number of Struct slot s (operations.md §3.3),
	// meaningful while the slot is alive.
	shapes []uint32

	// refs queues the unpins of Refs that Go dropped unreleased (ref.go).
	refs *refQueue

	// edges is the state of the wrapper-owned weak host edges
	// (collection.md §4.7, wrapperedges.go), made by the first Ref of a
	// heap whose Config.HostEdges is HostEdgesWeak; nil until then.
	edges *wrapperEdges
}

// NewHeap makes an empty heap.
func NewHeap(cfg Config) *Heap {
	h := &Heap{lim: cfg.resolve(), refs: &refQueue{}}
	h.arenas[stringIdx] = newArena(vm3pb.Arena_ARENA_STRING, kindBytes)
	h.arenas[listIdx] = newArena(vm3pb.Arena_ARENA_LIST, kindCells)
	h.arenas[mapIdx] = newArena(vm3pb.Arena_ARENA_MAP, kindMap)
	h.arenas[structIdx] = newArena(vm3pb.Arena_ARENA_STRUCT, kindCells)
	h.arenas[f64Idx] = newArena(vm3pb.Arena_ARENA_F64_ARR, kindF64)
	h.arenas[i64Idx] = newArena(vm3pb.Arena_ARENA_I64_ARR, kindI64)
	h.arenas[hostIdx] = newArena(vm3pb.Arena_ARENA_HOST, kindHost)
	return h
}

// Variant is the heap's resolved collector variant.
func (h *Heap) Variant() vm3pb.Variant { return h.lim.variant }

// allocate is operations.md §3.2's allocate(A, bytes, roots) up to taking
// the slot: the AUTO safepoint, then the byte and slot limits, collecting
// once more under AUTO before giving up with OUT_OF_MEMORY. AUTO
// collections root the Cells in roots (the operation's Cell arguments).
func (h *Heap) allocate(op string, idx int, bytes uint64, n uint32, roots ...Cell) (uint32, error) {
	a := &h.arenas[idx]
	collected := false
	if h.lim.auto && h.allocsSinceGC >= max(h.lim.autoMin, h.liveAfter) {
		h.collect(roots)
		collected = true
	}
	for !h.fits(bytes) || !a.hasRoom(h.lim.maxSlots) {
		if !h.lim.auto || collected {
			if !a.hasRoom(h.lim.maxSlots) {
				return 0, trapf(vm3pb.TrapCode_OUT_OF_MEMORY, op, "%v has %d slots, the most max_slots_per_arena allows", a.number, a.total())
			}
			return 0, trapf(vm3pb.TrapCode_OUT_OF_MEMORY, op, "heap_bytes %d + %d would exceed max_heap_bytes %d", h.heapBytes, bytes, h.lim.maxBytes)
		}
		h.collect(roots)
		collected = true
	}
	s := a.take(n)
	h.heapBytes += bytes
	h.allocsSinceGC++
	return s, nil
}

// grow is the byte check of list_push and its kin (operations.md §3.2): if
// bytes more would exceed max_heap_bytes, AUTO collects once with roots as
// extra roots and checks again; then OUT_OF_MEMORY, or the bytes are
// accounted.
func (h *Heap) grow(op string, bytes uint64, roots ...Cell) error {
	if !h.fits(bytes) {
		if h.lim.auto {
			h.collect(roots)
		}
		if !h.fits(bytes) {
			return trapf(vm3pb.TrapCode_OUT_OF_MEMORY, op, "heap_bytes %d + %d would exceed max_heap_bytes %d", h.heapBytes, bytes, h.lim.maxBytes)
		}
	}
	h.heapBytes += bytes
	return nil
}

// handleOf is the handle Cell of slot s of the arena at index idx.
func (h *Heap) handleOf(idx int, s uint32) Cell {
	a := &h.arenas[idx]
	return MakeHandle(a.number, a.meta[s]&MaxGeneration, s)
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
	v := a.hosts[s]
	if w, ok := v.(weakHost); ok {
		// Demoted (collection.md §4.7): its Refs' holder keeps it. Gone
		// only when no live Ref and no root reached the slot as Go's
		// collector ran; the slot then waits for the next collection.
		box := w.p.Value()
		if box == nil {
			return nil, trapf(vm3pb.TrapCode_STALE_HANDLE, "host_get", "%v: the host value was collected: no root and no live Ref reached its slot", c)
		}
		return box.v, nil
	}
	return v, nil
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
	if h.edges != nil {
		// Its Refs, region and weak payload go with it (wrapperedges.go);
		// a heap that never had a Ref has none.
		a.dropEdges(s)
	}
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
