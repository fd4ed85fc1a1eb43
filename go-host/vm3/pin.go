package vm3

import (
	"math"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Pin adds one to a slot's pin count; a pinned slot is a root
// (collection.md §4.3). anyHandle(c), then OUT_OF_MEMORY at 2^32-1.
func (h *Heap) Pin(c Cell) error {
	a, s, err := h.anyHandle("pin", c)
	if err != nil {
		return err
	}
	switch a.pins[s] {
	case math.MaxUint32:
		return trapf(vm3pb.TrapCode_OUT_OF_MEMORY, "pin", "pin count is at its maximum 2^32-1")
	case 0:
		a.pinned++
	}
	a.pins[s]++
	return nil
}

// Unpin takes one from a slot's pin count: anyHandle(c), then NOT_PINNED at
// zero (collection.md §4.3).
func (h *Heap) Unpin(c Cell) error {
	a, s, err := h.anyHandle("unpin", c)
	if err != nil {
		return err
	}
	if a.pins[s] == 0 {
		return trapf(vm3pb.TrapCode_NOT_PINNED, "unpin", "%v is not pinned", c)
	}
	a.unpinSlot(s)
	return nil
}

// unpinSlot takes one from slot s's pin count, which is above zero.
func (a *arena) unpinSlot(s uint32) {
	a.pins[s]--
	if a.pins[s] == 0 {
		a.pinned--
	}
}
