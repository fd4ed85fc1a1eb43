package vm3

import "github.com/vm3-bridge/vm3/go-host/vm3pb"

// handle is operations.md §3.1's handle(c, A): c must name a live slot of
// the arena at index idx. Checks, in order: BAD_CELL, NULL_DEREF,
// NOT_A_HANDLE, WRONG_ARENA, STALE_HANDLE.
func (h *Heap) handle(op string, c Cell, idx int) (*arena, uint32, error) {
	a := &h.arenas[idx]
	// A handle pattern of an implemented arena is valid whatever its
	// generation and slot, so only liveness is left to check.
	if uint64(c)>>44 == tagHandle<<4|uint64(a.number) {
		if s, ok := a.liveSlot(c); ok {
			return a, s, nil
		}
		return nil, 0, staleTrap(op, c)
	}
	if err := h.handleShape(op, c); err != nil {
		return nil, 0, err
	}
	return nil, 0, trapf(vm3pb.TrapCode_WRONG_ARENA, op, "%v is a %v handle, not %v", c, vm3pb.Arena(c.arena()), a.number)
}

// anyHandle is operations.md §3.1's anyHandle(c): handle without the arena
// check.
func (h *Heap) anyHandle(op string, c Cell) (*arena, uint32, error) {
	if err := h.handleShape(op, c); err != nil {
		return nil, 0, err
	}
	if i := arenaIndex[c.arena()]; i >= 0 {
		a := &h.arenas[i]
		if s, ok := a.liveSlot(c); ok {
			// The barrier (collection.md §4.7): pin, unpin, free and a new
			// Ref given a handle in a region promote it first.
			if a.demoted != 0 {
				h.promote(a, s, siteAnyHandle)
			}
			return a, s, nil
		}
	}
	return nil, 0, staleTrap(op, c)
}

// handleShape runs steps 1-3 of handle/anyHandle: BAD_CELL, NULL_DEREF,
// NOT_A_HANDLE.
func (h *Heap) handleShape(op string, c Cell) error {
	if why := c.invalid(); why != "" {
		return trapf(vm3pb.TrapCode_BAD_CELL, op, "%v: %s", c, why)
	}
	if c == Null {
		return trapf(vm3pb.TrapCode_NULL_DEREF, op, "null where a handle is needed")
	}
	if !c.isHeapHandle() {
		return trapf(vm3pb.TrapCode_NOT_A_HANDLE, op, "%v is not a heap handle", c)
	}
	return nil
}

// value is operations.md §3.1's value(c): c is valid and, if a heap handle,
// names a live slot (storing a stale handle is refused at once). Every store
// and scope_root checks its value here, so this is also their barrier
// (collection.md §4.7): a live handle in a region promotes it.
func (h *Heap) value(op string, c Cell) error {
	if c.tag() != tagHandle {
		if why := c.invalid(); why != "" {
			return trapf(vm3pb.TrapCode_BAD_CELL, op, "%v: %s", c, why)
		}
		return nil
	}
	if i := arenaIndex[c.arena()]; i >= 0 {
		a := &h.arenas[i]
		if s, ok := a.liveSlot(c); ok {
			if a.demoted != 0 {
				h.promote(a, s, siteValue)
			}
			return nil
		}
	}
	if why := c.invalid(); why != "" {
		return trapf(vm3pb.TrapCode_BAD_CELL, op, "%v: %s", c, why)
	}
	if c.arena() != arenaSmallInt {
		return staleTrap(op, c)
	}
	return nil
}

// isLive reports whether c is a heap handle naming a live slot
// (arenas.md §2.4).
func (h *Heap) isLive(c Cell) bool {
	if c.tag() != tagHandle {
		return false
	}
	i := arenaIndex[c.arena()]
	if i < 0 {
		return false
	}
	_, ok := h.arenas[i].liveSlot(c)
	return ok
}

// index is operations.md §3.1's index(i, n).
func index(op string, i int64, n uint32) (uint32, error) {
	if i < 0 || i >= int64(n) {
		return 0, trapf(vm3pb.TrapCode_OUT_OF_BOUNDS, op, "index %d outside [0, %d)", i, n)
	}
	return uint32(i), nil
}

func staleTrap(op string, c Cell) *Trap {
	return trapf(vm3pb.TrapCode_STALE_HANDLE, op, "%v names no live slot", c)
}

// intArg is operations.md §3.1's int(c): c is valid (BAD_CELL) and an
// integer, a SmallInt or an Int48 (WRONG_TYPE). Map keys and values, I64Arr
// elements.
func intArg(op string, c Cell) error {
	if why := c.invalid(); why != "" {
		return trapf(vm3pb.TrapCode_BAD_CELL, op, "%v: %s", c, why)
	}
	if c.tag() != tagInt48 && !(c.tag() == tagHandle && c.arena() == arenaSmallInt) {
		return trapf(vm3pb.TrapCode_WRONG_TYPE, op, "%v is not an integer", c)
	}
	return nil
}

// floatArg is operations.md §3.1's float(c): c is valid (BAD_CELL) and a
// float (WRONG_TYPE). F64Arr elements.
func floatArg(op string, c Cell) error {
	if why := c.invalid(); why != "" {
		return trapf(vm3pb.TrapCode_BAD_CELL, op, "%v: %s", c, why)
	}
	if c.tag() >= tagFloatEnd {
		return trapf(vm3pb.TrapCode_WRONG_TYPE, op, "%v is not a float", c)
	}
	return nil
}
