package vm3

// Collect runs a collection (collection.md §4.4) and returns the number of
// slots its sweep freed. In the STUB variant it does nothing and returns 0,
// and is not counted (§4.5).
func (h *Heap) Collect() int64 {
	if h.lim.stub {
		return 0
	}
	return int64(h.collect(nil))
}

// collect is collection.md §4.4 with extra roots (an AUTO collection's
// operation arguments, §4.1 item 3).
func (h *Heap) collect(extra []Cell) uint64 {
	h.applyDroppedRefs()
	for i := range h.arenas {
		a := &h.arenas[i]
		words := (len(a.meta) + 63) / 64
		if cap(a.marks) < words {
			a.marks = make([]uint64, words)
		} else {
			a.marks = a.marks[:words]
			clear(a.marks)
		}
	}
	h.mark(extra)
	h.formRegions()
	for i := range h.arenas {
		h.arenas[i].releaseQuarantine()
	}
	freed := h.sweep()
	h.collections++
	h.allocsSinceGC = 0
	h.liveAfter = h.liveTotal()
	return freed
}

// mark is step 1: the roots (scope roots, frame slots, extra, pins), then the work list until it is empty. Work
// items are arena index << 32 | slot; a slot enters the list once, when it
// is marked, so marking a million-list chain needs no recursion. In the
// weak design a Ref's pin is not a root of this first mark: what only Refs
// reach is marked after it, region by region (collection.md §4.7,
// formRegions), so it stays alive just the same.
func (h *Heap) mark(extra []Cell) {
	for _, c := range h.roots {
		h.visit(c)
	}
	for _, c := range h.frameSlots {
		h.visit(c)
	}
	for _, c := range extra {
		h.visit(c)
	}
	for i := range h.arenas {
		a := &h.arenas[i]
		if a.pinned == 0 {
			continue
		}
		if a.wrapped == 0 {
			for s, n := range a.pins {
				if n != 0 && a.meta[s]&stateMask == stateAlive {
					h.markSlot(i, uint32(s))
				}
			}
			continue
		}
		// A slot pinned more times than it has Refs is an ordinary root.
		for s, n := range a.pins {
			if n != 0 && a.meta[s]&stateMask == stateAlive && (s >= len(a.wraps) || n > a.wraps[s]) {
				h.markSlot(i, uint32(s))
			}
		}
	}
	for len(h.work) > 0 {
		top := len(h.work) - 1
		item := h.work[top]
		h.work = h.work[:top]
		a := &h.arenas[item>>32]
		for _, c := range a.cells[uint32(item)] {
			h.visit(c)
		}
	}
}

// visit is collection.md §4.4 step 1's "visiting a Cell": mark the live slot
// it names, or record the quarantined slot it names (any generation) as
// named; ignore anything else.
func (h *Heap) visit(c Cell) {
	if c.tag() != tagHandle {
		return
	}
	i := arenaIndex[c.arena()]
	if i < 0 {
		return
	}
	a := &h.arenas[i]
	s := c.slot()
	if int(s) >= len(a.meta) {
		return
	}
	switch m := a.meta[s]; {
	case m == stateAlive|c.generation():
		h.markSlot(int(i), s)
	case m&stateMask == stateQuarantined:
		a.marks[s/64] |= 1 << (s % 64)
	}
}

// markSlot marks alive slot s of arena i and queues it for scanning if its
// payload holds Cells.
func (h *Heap) markSlot(i int, s uint32) {
	a := &h.arenas[i]
	w, bit := s/64, uint64(1)<<(s%64)
	if a.marks[w]&bit != 0 {
		return
	}
	a.marks[w] |= bit
	if a.holdsCells && len(a.cells[s]) > 0 {
		h.work = append(h.work, uint64(i)<<32|uint64(s))
	}
}

// sweep is step 3: every alive, unmarked slot is freed, arenas in number
// order, slots ascending, so the free list order is the same everywhere.
func (h *Heap) sweep() uint64 {
	var freed uint64
	for i := range h.arenas {
		a := &h.arenas[i]
		for s, m := range a.meta {
			if m&stateMask == stateAlive && a.marks[s/64]&(1<<(uint(s)%64)) == 0 {
				h.freeSlot(a, uint32(s))
				freed++
			}
		}
	}
	return freed
}
