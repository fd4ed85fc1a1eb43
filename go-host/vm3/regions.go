package vm3

import "weak"

// Forming the regions of the wrapper-owned weak host edges at each
// collection (collection.md §4.7; the design and its safety argument are in
// wrapperedges.go): after the first mark, each Ref'd slot the mark did not
// reach starts a traversal that labels what only it reaches; traversals that
// meet are one region (union-find); each region's Host values move behind
// weak pointers into the region's holder.

// formRegions runs after the first mark (collection.md §4.7 Regions),
// whose roots left out the Refs' pins: every slot an ordinary root reaches
// is marked. From each wrapped slot the first mark did not reach, it marks
// what that slot reaches and the first mark did not: a region, labelled;
// traversals that meet are one region (union-find). Region slots stay
// marked (the Refs' pins keep them) and their Host values are demoted.
func (h *Heap) formRegions() {
	e := h.edges
	if e == nil {
		return // no Ref was ever made: the plain collection, at no cost
	}
	var busy uint64
	for i := range h.arenas {
		a := &h.arenas[i]
		busy |= a.wrapped | a.demoted | a.weakHosts
	}
	if busy == 0 {
		return // every Ref released and nothing demoted: nothing to do either
	}
	// Regions are recomputed from scratch: the previous ones dissolve.
	for i := range h.arenas {
		a := &h.arenas[i]
		if a.demoted != 0 {
			clear(a.region)
			a.demoted = 0
		}
		if n := len(a.meta); len(a.region) < n {
			a.region = growZeroed(a.region, n)
		}
	}
	e.regions = 0
	e.labelled = e.labelled[:0]
	e.parent = append(e.parent[:0], 0)
	for i := range h.arenas {
		a := &h.arenas[i]
		if a.wrapped == 0 {
			continue
		}
		for s, n := range a.wraps {
			if n == 0 {
				continue
			}
			switch {
			case a.region[s] != 0:
				// Reached by an earlier Ref's traversal: the same region.
			case a.pins[s] == 0 || a.marked(uint32(s)):
				// Unpinned by hand, or an ordinary root reaches it: in no
				// region, nothing to hold.
				if anc := a.anchors[s].Value(); anc != nil {
					anc.holder = nil
				}
			default:
				label := uint32(len(e.parent))
				e.parent = append(e.parent, label)
				h.regionSlot(i, uint32(s), label)
				for len(h.work) > 0 {
					top := len(h.work) - 1
					item := h.work[top]
					h.work = h.work[:top]
					for _, c := range h.arenas[item>>32].cells[uint32(item)] {
						h.regionVisit(c, label)
					}
				}
			}
		}
	}
	// A host value demoted at an earlier collection that an ordinary root
	// reaches now (an AUTO collection's operation arguments read through a
	// region handle, §4.1 item 3) is held by its slot again: its Refs'
	// holders are about to be replaced.
	if hosts := &h.arenas[hostIdx]; hosts.weakHosts != 0 {
		for s, v := range hosts.hosts {
			if _, ok := v.(weakHost); ok && hosts.region[s] == 0 && hosts.marked(uint32(s)) {
				hosts.strengthen(uint32(s))
			}
		}
	}
	if len(e.labelled) == 0 {
		return
	}
	h.labelRegions()
}

// labelRegions gives each region (a union-find root) a compact label
// 1..k, records its members for promotion, demotes its Host values into
// one holder per region and hands each holder to the anchors of the
// region's wrapped slots.
func (h *Heap) labelRegions() {
	e := h.edges
	e.compact = growZeroed(e.compact[:0], len(e.parent))
	e.counts = append(e.counts[:0], 0)
	e.hostCount = append(e.hostCount[:0], 0)
	k := uint32(0)
	for _, m := range e.labelled {
		a := &h.arenas[m>>32]
		s := uint32(m)
		r := e.find(a.region[s])
		if e.compact[r] == 0 {
			k++
			e.compact[r] = k
			e.counts = append(e.counts, 0)
			e.hostCount = append(e.hostCount, 0)
		}
		l := e.compact[r]
		a.region[s] = l
		a.demoted++
		e.counts[l]++
		if m>>32 == hostIdx {
			e.hostCount[l]++
		}
	}
	// offsets[l] is where region l+1 starts; counts becomes each region's
	// fill cursor.
	e.offsets = growZeroed(e.offsets[:0], int(k)+1)
	for l := uint32(1); l <= k; l++ {
		e.offsets[l] = e.offsets[l-1] + e.counts[l]
		e.counts[l] = e.offsets[l-1]
	}
	e.members = growZeroed(e.members[:0], len(e.labelled))
	e.holders = growZeroed(e.holders[:0], int(k)+1)
	hosts := &h.arenas[hostIdx]
	for _, m := range e.labelled {
		a := &h.arenas[m>>32]
		s := uint32(m)
		l := a.region[s]
		e.members[e.counts[l]] = m
		e.counts[l]++
		if a != hosts {
			continue
		}
		var box *hostBox
		switch v := hosts.hosts[s].(type) {
		case weakHost:
			// Demoted before: its box is alive while a Ref's holder held
			// it; dead only if no live Ref reached the region.
			box = v.p.Value()
		default:
			if boxable(v) {
				box = &hostBox{v}
				hosts.hosts[s] = weakHost{weak.Make(box)}
				hosts.weakHosts++
				e.valuesDemoted++
			}
		}
		if box != nil {
			if e.holders[l] == nil {
				e.holders[l] = make([]*hostBox, 0, e.hostCount[l])
			}
			e.holders[l] = append(e.holders[l], box)
		}
	}
	for _, m := range e.labelled {
		a := &h.arenas[m>>32]
		s := uint32(m)
		if int(s) < len(a.wraps) && a.wraps[s] != 0 {
			if anc := a.anchors[s].Value(); anc != nil {
				anc.holder = e.holders[a.region[s]]
			}
		}
	}
	clear(e.holders)
	e.regions = k
	e.regionsFormed += uint64(k)
}

// regionSlot visits alive slot s of arena i in region label's traversal:
// a slot of another traversal's region joins the two; a marked one (an
// ordinary root reaches it, or this traversal did) is left; any other is
// marked, labelled and queued for scanning.
func (h *Heap) regionSlot(i int, s uint32, label uint32) {
	a := &h.arenas[i]
	if o := a.region[s]; o != 0 {
		e := h.edges
		if x, y := e.find(o), e.find(label); x != y {
			e.parent[x] = y
		}
		return
	}
	w, bit := s/64, uint64(1)<<(s%64)
	if a.marks[w]&bit != 0 {
		return
	}
	a.marks[w] |= bit
	a.region[s] = label
	h.edges.labelled = append(h.edges.labelled, uint64(i)<<32|uint64(s))
	if a.holdsCells && len(a.cells[s]) > 0 {
		h.work = append(h.work, uint64(i)<<32|uint64(s))
	}
}

// regionVisit is visit (collection.md §4.4 step 1) within a region's
// traversal: a live slot joins the region, and a quarantined slot a region
// slot names is recorded as named, exactly as if the first mark had
// reached it through the Ref's pin (region slots stay alive, so their
// stale Cells must keep the quarantine from reissuing the slot).
func (h *Heap) regionVisit(c Cell, label uint32) {
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
		h.regionSlot(int(i), s, label)
	case m&stateMask == stateQuarantined:
		a.marks[s/64] |= 1 << (s % 64)
	}
}

// find is union-find's root of label x, halving the path.
func (e *wrapperEdges) find(x uint32) uint32 {
	p := e.parent
	for p[x] != x {
		p[x] = p[p[x]]
		x = p[x]
	}
	return x
}
