package vm3

import (
	"weak"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Wrapper-owned weak host edges (collection.md §4.7): how the Go heap lets
// Go's collector see a cycle through both heaps.
//
// A wrapper is a Ref (ref.go), Go code's pinned handle. In Igalia's m1 a Ref
// W pins heap object O, O's Host slot holds a Go value C, and C holds W. If
// W's pin were a root (HostEdgesStrong), the Host arena's slice would hold C,
// C would hold W, W's cleanup would never run and W → O → C → W would live
// forever. Instead each collection finds the *regions*: slots that only Refs'
// pins reach (not the scopes, frames, ordinary pins or the collection's own
// roots). A region's Host slots keep their values through a weak.Pointer to
// a box (weak.Pointer needs a pointer; a Host value is any Go value), and the
// boxes' only strong holder is the region's holder slice, which every Ref
// of the region reaches through its slot's anchor. The heap holds anchors
// only weakly, so W → anchor → holder → box → C → W has no root in Go:
// Go's collector frees it, W's cleanup queues the unpin, and the next heap
// collection frees O and its Host slot.
//
// Safety (never lose a host value a root or a live Ref still reaches): a
// region's values are held by every Ref that reaches the region (Refs whose
// traversals meet share one region, by union-find), and a region becomes
// reachable from an ordinary root only through an operation given a handle
// inside it: the value check of stores and scope_root (checks.go value),
// frame_root (frame.go), pin/unpin/free (checks.go anyHandle) and a new Ref
// (NewRef pins). Each *promotes* the region first: its values back into
// their slots, strongly. collection.md §4.7 has the proof sketch;
// wrapperedges_property_test.go hunts for counterexamples, and its mutation
// check shows that leaving any one of the three sites out loses a value.

// anchor is what the Refs of one slot share (one per wrapped slot): the
// holder of the slot's region, nil when the slot is in none. Ref holds its
// anchor strongly; the heap holds it only through a weak.Pointer
// (arena.anchors), so the heap never keeps a holder alive.
type anchor struct {
	holder []*hostBox
}

// hostBox holds a demoted Host slot's value. Its only strong holder is its
// region's holder; the slot keeps a weak.Pointer to it (weakHost).
type hostBox struct{ v any }

// weakHost is a demoted Host slot's payload in arena.hosts. No host value
// can be one (the type is unexported), so HostGet tells them apart by type.
type weakHost struct{ p weak.Pointer[hostBox] }

// barrierSite names where the barrier runs, for the property test's
// mutation check (barrierSkip).
type barrierSite uint8

const (
	siteNone barrierSite = iota
	// siteAnyHandle: pin, unpin, free and NewRef (anyHandle).
	siteAnyHandle
	// siteValue: the value check of every store and of scope_root.
	siteValue
	// siteFrame: frame_root.
	siteFrame
)

// barrierSkip is a barrier site left out, for the property test's mutation
// check only (wrapperedges_property_test.go), which must then find a lost
// host value. siteNone otherwise; nothing but that test sets it.
var barrierSkip = siteNone

// wrapperEdges is a heap's state of the weak design: made by the heap's
// first Ref, so a heap that never had one (every guest run whose host
// functions take no references) pays nothing at a collection.
type wrapperEdges struct {
	// The regions of the last collection: region l's members (arena index
	// << 32 | slot) are members[offsets[l-1]:offsets[l]], for l in
	// 1..regions.
	members []uint64
	offsets []uint32
	regions uint32

	// Scratch of formRegions, kept between collections: the slots
	// labelled, the union-find parents of the labels (parent[0] unused),
	// each label's compact number, and per compact label its member and
	// host value counts.
	labelled  []uint64
	parent    []uint32
	compact   []uint32
	counts    []uint32
	hostCount []uint32
	// holders is scratch too, cleared after each use: a holder reachable
	// from the heap would keep its region alive.
	holders [][]*hostBox

	regionsFormed, valuesDemoted, promotions uint64
}

// EdgeStats are the counters of the weak host edges (collection.md §4.7),
// for benchmarks and tests; not part of heap.proto's Stats.
type EdgeStats struct {
	// Weak: the heap's design is HostEdgesWeak.
	Weak bool
	// WrappedSlots: slots with at least one Ref now.
	WrappedSlots uint64
	// RegionSlots: slots in a region now (reached only from Refs at the
	// last collection and not promoted since).
	RegionSlots uint64
	// WeakHosts: Host slots holding their value through a weak pointer now.
	WeakHosts uint64
	// Since the heap was made: regions formed, host values demoted (boxed
	// and held weakly), regions promoted.
	RegionsFormed, ValuesDemoted, Promotions uint64
}

// EdgeStats returns the counters of the weak host edges.
func (h *Heap) EdgeStats() EdgeStats {
	st := EdgeStats{Weak: h.lim.weakEdges}
	for i := range h.arenas {
		a := &h.arenas[i]
		st.WrappedSlots += a.wrapped
		st.RegionSlots += a.demoted
		st.WeakHosts += a.weakHosts
	}
	if e := h.edges; e != nil {
		st.RegionsFormed, st.ValuesDemoted, st.Promotions = e.regionsFormed, e.valuesDemoted, e.promotions
	}
	return st
}

// wrap pins c for a new Ref (Pin's checks and traps) and, in the weak
// design, counts the Ref and returns the slot's anchor, which the Ref must
// hold. Pin's anyHandle promotes c's region first: a new Ref of a region
// slot could otherwise hold a fresh anchor without the region's holder.
func (h *Heap) wrap(c Cell) (*anchor, error) {
	if err := h.Pin(c); err != nil {
		return nil, err
	}
	if !h.lim.weakEdges {
		return nil, nil
	}
	if h.edges == nil {
		h.edges = &wrapperEdges{}
	}
	a := &h.arenas[arenaIndex[c.arena()]]
	s := c.slot()
	if n := len(a.meta); len(a.wraps) < n {
		a.wraps = growZeroed(a.wraps, n)
		a.anchors = growZeroed(a.anchors, n)
	}
	if a.wraps[s] == 0 {
		a.wrapped++
	}
	a.wraps[s]++
	anc := a.anchors[s].Value()
	if anc == nil {
		// The first Ref of the slot, or every earlier one was collected
		// (their unpins still queued): a new anchor.
		anc = &anchor{}
		a.anchors[s] = weak.Make(anc)
	}
	return anc, nil
}

// unwrap releases one Ref's pin of c: anyHandle(c) (which promotes, as
// unpin does), NOT_PINNED at a pin count of zero, then one Ref and one pin
// fewer.
func (h *Heap) unwrap(c Cell) error {
	a, s, err := h.anyHandle("unpin", c)
	if err != nil {
		return err
	}
	if a.pins[s] == 0 {
		return trapf(vm3pb.TrapCode_NOT_PINNED, "unpin", "%v is not pinned", c)
	}
	if int(s) < len(a.wraps) && a.wraps[s] != 0 {
		a.wraps[s]--
		if a.wraps[s] == 0 {
			a.forgetAnchor(s)
		}
	}
	a.unpinSlot(s)
	return nil
}

// forgetAnchor drops slot s's anchor, whose last Ref is released or whose
// slot is: a released Ref that Go still holds then holds no values (the
// region was promoted by anyHandle, or the slot is going).
func (a *arena) forgetAnchor(s uint32) {
	if anc := a.anchors[s].Value(); anc != nil {
		anc.holder = nil
	}
	a.anchors[s] = weak.Pointer[anchor]{}
	a.wraps[s] = 0
	a.wrapped--
}

// dropEdges clears slot s's Refs, region and weak payload before it is
// released (free drops pins, and the Refs' share of them with it).
func (a *arena) dropEdges(s uint32) {
	if int(s) < len(a.wraps) && a.wraps[s] != 0 {
		a.forgetAnchor(s)
	}
	if int(s) < len(a.region) && a.region[s] != 0 {
		a.region[s] = 0
		a.demoted--
	}
	if a.kind == kindHost {
		if _, ok := a.hosts[s].(weakHost); ok {
			a.weakHosts--
		}
	}
}

// promote is the barrier of collection.md §4.7: an operation that can make
// slot s of a reachable from an ordinary root (storing it, rooting it,
// pinning it, a new Ref) was given its handle. If s is in a region, the
// region becomes ordinary first: its host values back into their slots,
// strongly. The caller has checked a.demoted != 0 (the inlined fast test);
// an operation that only reads or writes *through* a region handle needs no
// barrier, since what it reads out reaches a root only through one of these.
func (h *Heap) promote(a *arena, s uint32, site barrierSite) {
	if int(s) >= len(a.region) {
		return
	}
	l := a.region[s]
	if l == 0 || barrierSkip == site {
		return
	}
	e := h.edges
	e.promotions++
	for _, m := range e.members[e.offsets[l-1]:e.offsets[l]] {
		b := &h.arenas[m>>32]
		t := uint32(m)
		if b.region[t] != l {
			continue // released since (its label went with it)
		}
		b.region[t] = 0
		b.demoted--
		if b.kind == kindHost {
			b.strengthen(t)
		}
	}
}

// strengthen puts Host slot s's value back into the slot, if it is held
// weakly and still alive. A dead one stays: then no live Ref reached the
// region when Go's collector ran, so no root reaches the slot either, and
// reading it traps STALE_HANDLE (HostGet).
func (a *arena) strengthen(s uint32) {
	if w, ok := a.hosts[s].(weakHost); ok {
		if box := w.p.Value(); box != nil {
			a.hosts[s] = box.v
			a.weakHosts--
		}
	}
}

// frameBarrier is frame_root's barrier (c is a valid handle pattern).
func (h *Heap) frameBarrier(c Cell) {
	i := arenaIndex[c.arena()]
	if i < 0 {
		return
	}
	a := &h.arenas[i]
	if a.demoted == 0 {
		return
	}
	if s, ok := a.liveSlot(c); ok {
		h.promote(a, s, siteFrame)
	}
}

func (a *arena) marked(s uint32) bool { return a.marks[s/64]&(1<<(s%64)) != 0 }

// boxable reports whether a Host value is demoted (held weakly) in a
// region. A value of these types holds no pointer that could lead back to
// a Ref, so it cannot be part of a cycle and stays in its slot.
func boxable(v any) bool {
	switch v.(type) {
	case nil, bool, string, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, uintptr,
		float32, float64, complex64, complex128:
		return false
	}
	return true
}

// growZeroed returns s with length n (n >= len(s)), the new elements
// zero, reusing s's array when it is large enough.
func growZeroed[T any](s []T, n int) []T {
	if cap(s) >= n {
		old := len(s)
		s = s[:n]
		clear(s[old:])
		return s
	}
	return append(s, make([]T, n-len(s))...)
}
