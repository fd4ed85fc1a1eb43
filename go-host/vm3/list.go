package vm3

import "github.com/vm3-bridge/vm3/go-host/vm3pb"

// ListNew allocates a List of length nulls (operations.md §3.2 list_new):
// BAD_ARGUMENT outside [0, MaxLength], then allocate(List, 16+8·length, []).
func (h *Heap) ListNew(length int64) (Cell, error) {
	if length < 0 || length > MaxLength {
		return 0, trapf(vm3pb.TrapCode_BAD_ARGUMENT, "list_new", "length %d outside [0, %d]", length, MaxLength)
	}
	s, err := h.allocate("list_new", listIdx, 16+8*uint64(length), uint32(length))
	if err != nil {
		return 0, err
	}
	return MakeHandle(vm3pb.Arena_ARENA_LIST, h.arenas[listIdx].meta[s]&MaxGeneration, s), nil
}

// ListLen returns a List's length (operations.md §3.2 list_len).
func (h *Heap) ListLen(list Cell) (int64, error) {
	a, s, err := h.handle("list_len", list, listIdx)
	if err != nil {
		return 0, err
	}
	return int64(a.lengths[s]), nil
}

// ListGet returns element i (operations.md §3.2 list_get).
func (h *Heap) ListGet(list Cell, i int64) (Cell, error) {
	a, s, err := h.handle("list_get", list, listIdx)
	if err != nil {
		return 0, err
	}
	if p := a.cells[s]; i >= 0 && i < int64(len(p)) {
		return p[i], nil
	}
	j, err := index("list_get", i, a.lengths[s])
	if err != nil {
		return 0, err
	}
	return a.element(s, j), nil
}

// ListSet stores v as element i (operations.md §3.2 list_set): checks
// handle(list), index(i), value(v), in that order.
func (h *Heap) ListSet(list Cell, i int64, v Cell) error {
	a, s, err := h.handle("list_set", list, listIdx)
	if err != nil {
		return err
	}
	j, err := index("list_set", i, a.lengths[s])
	if err != nil {
		return err
	}
	if err := h.value("list_set", v); err != nil {
		return err
	}
	if err := storable("list_set", uint64(j)); err != nil {
		return err
	}
	a.setElement(s, j, v)
	return nil
}

// ListPush appends v (operations.md §3.2 list_push): handle(list), value(v),
// MaxLength, MaxStored, then the byte limit, which under AUTO first collects once with
// list and v as extra roots.
func (h *Heap) ListPush(list Cell, v Cell) error {
	a, s, err := h.handle("list_push", list, listIdx)
	if err != nil {
		return err
	}
	if err := h.value("list_push", v); err != nil {
		return err
	}
	n := a.lengths[s]
	if n == MaxLength {
		return trapf(vm3pb.TrapCode_OUT_OF_MEMORY, "list_push", "list is at the maximum length %d", MaxLength)
	}
	if err := storable("list_push", uint64(n)); err != nil {
		return err
	}
	if err := h.grow("list_push", 8, list, v); err != nil {
		return err
	}
	a.push(s, v)
	return nil
}
