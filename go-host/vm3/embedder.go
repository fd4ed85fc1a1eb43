package vm3

import "github.com/vm3-bridge/vm3/go-host/vm3pb"

// Accessors for embedders that answer a guest's imports (handle-abi.md §10,
// go-host/bridge).

// LiveSlots is the number of alive slots in all arenas now: the sum of
// Stats' per-arena live counts, without building a Stats. It costs one pass
// over the seven arenas, so a host can sample it after every allocation.
func (h *Heap) LiveSlots() uint64 { return h.liveTotal() }

// CheckHandle is operations.md §3.1's handle(c, A) for any arena number A
// in 0..15 (the handle ABI's check import, handle-abi.md §10.2): BAD_CELL,
// NULL_DEREF, NOT_A_HANDLE, WRONG_ARENA, STALE_HANDLE. For an arena this
// version does not implement, and for the SmallInt arena 12, no Cell passes:
// a handle of that arena names no live slot (STALE_HANDLE), a SmallInt is
// not a heap handle (NOT_A_HANDLE). The caller bounds A (the import answers
// an arena outside 0..13 with BAD_ARGUMENT before calling this).
func (h *Heap) CheckHandle(c Cell, arena vm3pb.Arena) error {
	const op = "check"
	a := uint32(arena)
	if a < 16 {
		if i := arenaIndex[a]; i >= 0 {
			_, _, err := h.handle(op, c, int(i))
			return err
		}
	}
	if err := h.handleShape(op, c); err != nil {
		return err
	}
	if c.arena() != a {
		return trapf(vm3pb.TrapCode_WRONG_ARENA, op, "%v is a %v handle, not %v", c, vm3pb.Arena(c.arena()), arena)
	}
	return staleTrap(op, c)
}
