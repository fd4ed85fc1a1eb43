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

// OpenFrames is the number of open frames (collection.md §4.6): the mark of
// the innermost, 0 when none is open. A host that reuses an instance after
// a trap closes the frames the trapped call left open (embedding.md §7.4).
func (h *Heap) OpenFrames() int64 { return int64(len(h.frameBase)) }

// OpenScopes is the number of open scopes (collection.md §4.2): the mark of
// the innermost, 0 when none is open.
func (h *Heap) OpenScopes() int64 { return int64(len(h.scopes)) }

// Unwind closes the innermost frames until frames are open, then the
// innermost scopes until scopes are open, dropping their roots, as that
// many frame_exit and scope_exit calls would (embedding.md §7.4). Marks
// below the counts open now stay open; a count at or above them changes
// nothing.
func (h *Heap) Unwind(frames, scopes int64) {
	for n := int64(len(h.frameBase)); n > max(frames, 0); n-- {
		h.frameSlots = h.frameSlots[:h.frameBase[n-1]]
		h.frameBase = h.frameBase[:n-1]
	}
	for n := int64(len(h.scopes)); n > max(scopes, 0); n-- {
		h.roots = h.roots[:h.scopes[n-1]]
		h.scopes = h.scopes[:n-1]
	}
}
