package vm3

import (
	"weak"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Slot states (arenas.md §2.2), kept with the generation in one uint16 per
// slot: bits 0..11 the generation, bits 12..14 the state. The handle check
// is then a single compare against stateAlive|generation.
const (
	stateFree        uint16 = 1 << 12
	stateAlive       uint16 = 2 << 12
	stateQuarantined uint16 = 3 << 12
	stateDead        uint16 = 4 << 12
	stateMask        uint16 = 7 << 12
)

// materializeLimit bounds the nulls list_new writes eagerly. A longer list
// starts with an empty prefix: its elements past the prefix read as null, so
// list_new(2^31-1) costs what its accounting says only once it is written.
const materializeLimit = 1 << 16

// reuseLimit is the largest payload capacity a freed slot keeps for its next
// allocation; larger arrays go back to the Go allocator.
const reuseLimit = 16

// payloadKind says what an arena's slots hold.
type payloadKind uint8

const (
	// kindCells: Cells the collector scans (List, Struct).
	kindCells payloadKind = iota
	// kindF64, kindI64: float / integer Cells, never scanned (F64Arr, I64Arr).
	kindF64
	kindI64
	// kindBytes: a String's bytes.
	kindBytes
	// kindMap: a Map's integer key Cells to integer value Cells.
	kindMap
	// kindHost: an opaque host value (operations.md, last note).
	kindHost
)

// arena is one heap arena's slots as a struct of arrays (arenas.md §2.2).
// Slot s exists for s < len(meta); payload entries are empty unless alive.
type arena struct {
	number vm3pb.Arena
	kind   payloadKind
	// holdsCells: List and Struct payloads are Cells the collector scans;
	// nothing else holds handles.
	holdsCells bool
	// seq: payloads are cells[s] (List, Struct, F64Arr, I64Arr).
	seq bool
	// zero fills new and materialized elements: null, +0.0 or integer 0.
	zero Cell
	// unit is the accounted bytes per unit of lengths[s] (arenas.md §2.6).
	unit uint64
	meta []uint16
	pins []uint32
	// cells[s] is a List's or typed array's materialized prefix or a Struct's
	// fields. An element at an index in [len(cells[s]), lengths[s]) is zero.
	cells [][]Cell
	// lengths[s] is the slot's size in units: a sequence's length or field
	// count, a String's byte length, a Map's key count; 0 for Host.
	lengths []uint32
	strs    [][]byte
	maps    []map[Cell]Cell
	hosts   []any
	// marks is the collector's bitmap: marked for an alive slot, named for a
	// quarantined one (collection.md §4.4 step 1).
	marks []uint64
	// free is the free list, a stack whose top is the last element
	// (arenas.md §2.3 step 1).
	free []uint32
	// quarantine holds the quarantined slots in the order they entered.
	quarantine []uint32
	live       uint64
	pinned     uint64

	// Wrapper-owned weak host edges (collection.md §4.7, wrapperedges.go):
	// all empty and zero on a heap that never had a Ref in the weak design.
	// The slices are shorter than meta until they are needed; a slot at or
	// past their length has none of it.
	//
	// wraps[s] is how many of slot s's pins are Refs'; wrapped counts the
	// slots whose wraps is above zero; anchors[s] is their shared anchor,
	// held weakly (the Refs hold it).
	wraps   []uint32
	anchors []weak.Pointer[anchor]
	wrapped uint64
	// region[s] is the region slot s is in, or 0; demoted counts the
	// slots in one, so the barrier costs one load while it is zero.
	region  []uint32
	demoted uint64
	// weakHosts counts the Host slots whose payload is a weakHost.
	weakHosts uint64
}

func newArena(number vm3pb.Arena, kind payloadKind) arena {
	a := arena{number: number, kind: kind, holdsCells: kind == kindCells, zero: Null, unit: 8}
	a.seq = kind == kindCells || kind == kindF64 || kind == kindI64
	switch kind {
	case kindF64:
		a.zero = 0
	case kindI64:
		a.zero = smallInt(0)
	case kindBytes:
		a.unit = 1
	case kindMap:
		a.unit = 16
	case kindHost:
		a.unit = 0
	}
	return a
}

func (a *arena) total() uint64 { return uint64(len(a.meta)) }

// liveSlot checks arenas.md §2.4 for a handle whose arena is a's.
func (a *arena) liveSlot(c Cell) (uint32, bool) {
	s := c.slot()
	if int(s) >= len(a.meta) {
		return 0, false
	}
	return s, a.meta[s] == stateAlive|c.generation()
}

// hasRoom reports whether a slot can be taken (arenas.md §2.3 step 2).
func (a *arena) hasRoom(maxSlots uint64) bool {
	return len(a.free) > 0 || a.total() < maxSlots
}

// take allocates a slot (arenas.md §2.3 steps 1 and 3) of n units (a
// sequence of n zero elements; a String's or Map's caller then stores its
// payload); the caller has checked hasRoom.
func (a *arena) take(n uint32) uint32 {
	var s uint32
	if top := len(a.free) - 1; top >= 0 {
		s = a.free[top]
		a.free = a.free[:top]
		a.meta[s] = stateAlive | a.meta[s]&MaxGeneration
	} else {
		s = uint32(len(a.meta))
		a.meta = append(a.meta, stateAlive)
		a.pins = append(a.pins, 0)
		a.lengths = append(a.lengths, 0)
		switch {
		case a.seq:
			a.cells = append(a.cells, nil)
		case a.kind == kindBytes:
			a.strs = append(a.strs, nil)
		case a.kind == kindMap:
			a.maps = append(a.maps, nil)
		default:
			a.hosts = append(a.hosts, nil)
		}
	}
	a.lengths[s] = n
	if a.seq {
		a.cells[s] = fill(a.cells[s], n, a.zero)
	}
	a.live++
	return s
}

// fill returns n copies of zero (or, past materializeLimit, an empty prefix),
// reusing old's array when it is large enough.
func fill(old []Cell, n uint32, zero Cell) []Cell {
	if n > materializeLimit {
		return nil
	}
	var p []Cell
	if uint64(cap(old)) >= uint64(n) {
		p = old[:n]
	} else {
		p = make([]Cell, n)
	}
	for i := range p {
		p[i] = zero
	}
	return p
}

// bytes is the accounted size of an alive slot (arenas.md §2.6): 16 + 8 per
// element of a List, Struct, F64Arr or I64Arr, 16 + its byte length for a
// String, 16 + 16 per key for a Map, 16 for Host.
func (a *arena) bytes(s uint32) uint64 {
	return 16 + a.unit*uint64(a.lengths[s])
}

// release frees alive slot s (arenas.md §2.5) and returns its accounted size.
func (a *arena) release(s uint32, stub bool) uint64 {
	size := a.bytes(s)
	switch {
	case a.seq:
		if cap(a.cells[s]) <= reuseLimit {
			a.cells[s] = a.cells[s][:0]
		} else {
			a.cells[s] = nil
		}
	case a.kind == kindBytes:
		a.strs[s] = nil
	case a.kind == kindMap:
		a.maps[s] = nil
	default:
		a.hosts[s] = nil
	}
	a.lengths[s] = 0
	if a.pins[s] != 0 {
		a.pins[s] = 0
		a.pinned--
	}
	g := (a.meta[s] + 1) & MaxGeneration
	a.live--
	switch {
	case stub:
		a.meta[s] = stateDead | g
	case g == 0:
		a.meta[s] = stateQuarantined
		a.quarantine = append(a.quarantine, s)
	default:
		a.pushFree(s, g)
	}
	return size
}

func (a *arena) pushFree(s uint32, g uint16) {
	a.meta[s] = stateFree | g
	a.free = append(a.free, s)
}

// element reads sequence element or Struct field i < lengths[s].
func (a *arena) element(s uint32, i uint32) Cell {
	if p := a.cells[s]; int(i) < len(p) {
		return p[i]
	}
	return a.zero
}

// setElement writes element i < lengths[s], materializing the prefix up to it.
func (a *arena) setElement(s uint32, i uint32, v Cell) {
	p := a.cells[s]
	if int(i) >= len(p) {
		p = a.materialize(s, uint64(i)+1)
	}
	p[i] = v
}

// materialize extends slot s's prefix to n Cells with the arena's zero.
func (a *arena) materialize(s uint32, n uint64) []Cell {
	p := a.cells[s]
	for uint64(len(p)) < n {
		p = append(p, a.zero)
	}
	a.cells[s] = p
	return p
}

// push appends v to sequence slot s, whose length is below MaxLength.
func (a *arena) push(s uint32, v Cell) {
	n := a.lengths[s]
	p := a.cells[s]
	if len(p) < int(n) {
		p = a.materialize(s, uint64(n))
	}
	a.cells[s] = append(p, v)
	a.lengths[s] = n + 1
}
