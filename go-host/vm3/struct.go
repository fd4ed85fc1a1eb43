package vm3

import "github.com/vm3-bridge/vm3/go-host/vm3pb"

// StructNew allocates a Struct of fields null fields (operations.md §3.2
// struct_new): BAD_ARGUMENT outside [0, MaxFields], then
// allocate(Struct, 16+8·fields, []).
func (h *Heap) StructNew(fields int64) (Cell, error) {
	return h.StructNewShaped(fields, 0)
}

// StructNewShaped is StructNew recording shape, the embedder's shape number
// (an IR StructID; operations.md §3.3), which StructShape reads back.
func (h *Heap) StructNewShaped(fields int64, shape uint32) (Cell, error) {
	if fields < 0 || fields > MaxFields {
		return 0, trapf(vm3pb.TrapCode_BAD_ARGUMENT, "struct_new", "field count %d outside [0, %d]", fields, MaxFields)
	}
	s, err := h.allocate("struct_new", structIdx, 16+8*uint64(fields), uint32(fields))
	if err != nil {
		return 0, err
	}
	for int(s) >= len(h.shapes) {
		h.shapes = append(h.shapes, 0)
	}
	h.shapes[s] = shape
	return h.handleOf(structIdx, s), nil
}

// StructShape returns the shape number a Struct was made with
// (operations.md §3.3): handle(s, Struct).
func (h *Heap) StructShape(st Cell) (uint32, error) {
	_, s, err := h.handle("struct_shape", st, structIdx)
	if err != nil {
		return 0, err
	}
	return h.shapes[s], nil
}

// StructLen returns a Struct's field count (operations.md §3.2 struct_len).
func (h *Heap) StructLen(st Cell) (int64, error) {
	a, s, err := h.handle("struct_len", st, structIdx)
	if err != nil {
		return 0, err
	}
	return int64(a.lengths[s]), nil
}

// StructGet returns field i (operations.md §3.2 struct_get). Struct fields
// are always materialized: MaxFields is small.
func (h *Heap) StructGet(st Cell, i int64) (Cell, error) {
	a, s, err := h.handle("struct_get", st, structIdx)
	if err != nil {
		return 0, err
	}
	p := a.cells[s]
	if i < 0 || i >= int64(len(p)) {
		return 0, trapf(vm3pb.TrapCode_OUT_OF_BOUNDS, "struct_get", "index %d outside [0, %d)", i, len(p))
	}
	return p[i], nil
}

// StructSet stores v in field i (operations.md §3.2 struct_set): checks
// handle(s), index(i), value(v), in that order.
func (h *Heap) StructSet(st Cell, i int64, v Cell) error {
	a, s, err := h.handle("struct_set", st, structIdx)
	if err != nil {
		return err
	}
	p := a.cells[s]
	if i < 0 || i >= int64(len(p)) {
		return trapf(vm3pb.TrapCode_OUT_OF_BOUNDS, "struct_set", "index %d outside [0, %d)", i, len(p))
	}
	if err := h.value("struct_set", v); err != nil {
		return err
	}
	p[i] = v
	return nil
}
