package vm3

import "github.com/vm3-bridge/vm3/go-host/vm3pb"

// The F64Arr and I64Arr arenas (arenas.md §2.1): growable sequences of float
// Cells / integer Cells, accounted 16 + 8 per element (arenas.md §2.6). Their
// operations are the List operations plus an element-kind check (float /
// int of operations.md §3.1) on every store; they hold no handles.

// typedOps names one typed-array arena's operations and element check.
type typedOps struct {
	idx                      int
	new, len, get, set, push string
	check                    func(op string, c Cell) error
}

var (
	f64Ops = typedOps{f64Idx, "f64arr_new", "f64arr_len", "f64arr_get", "f64arr_set", "f64arr_push", floatArg}
	i64Ops = typedOps{i64Idx, "i64arr_new", "i64arr_len", "i64arr_get", "i64arr_set", "i64arr_push", intArg}
)

// F64ArrNew allocates an F64Arr of length elements +0.0 (f64arr_new).
func (h *Heap) F64ArrNew(length int64) (Cell, error) { return h.typedNew(&f64Ops, length) }

// F64ArrLen returns an F64Arr's length (f64arr_len).
func (h *Heap) F64ArrLen(arr Cell) (int64, error) { return h.typedLen(&f64Ops, arr) }

// F64ArrGet returns element i, a float Cell (f64arr_get).
func (h *Heap) F64ArrGet(arr Cell, i int64) (Cell, error) { return h.typedGet(&f64Ops, arr, i) }

// F64ArrSet stores float Cell v as element i (f64arr_set): handle, index,
// float(v).
func (h *Heap) F64ArrSet(arr Cell, i int64, v Cell) error { return h.typedSet(&f64Ops, arr, i, v) }

// F64ArrPush appends float Cell v (f64arr_push): handle, float(v), then
// list_push's limits.
func (h *Heap) F64ArrPush(arr Cell, v Cell) error { return h.typedPush(&f64Ops, arr, v) }

// I64ArrNew allocates an I64Arr of length elements integer 0 (i64arr_new).
func (h *Heap) I64ArrNew(length int64) (Cell, error) { return h.typedNew(&i64Ops, length) }

// I64ArrLen returns an I64Arr's length (i64arr_len).
func (h *Heap) I64ArrLen(arr Cell) (int64, error) { return h.typedLen(&i64Ops, arr) }

// I64ArrGet returns element i, an integer Cell (i64arr_get).
func (h *Heap) I64ArrGet(arr Cell, i int64) (Cell, error) { return h.typedGet(&i64Ops, arr, i) }

// I64ArrSet stores integer Cell v as element i (i64arr_set): handle, index,
// int(v).
func (h *Heap) I64ArrSet(arr Cell, i int64, v Cell) error { return h.typedSet(&i64Ops, arr, i, v) }

// I64ArrPush appends integer Cell v (i64arr_push): handle, int(v), then
// list_push's limits.
func (h *Heap) I64ArrPush(arr Cell, v Cell) error { return h.typedPush(&i64Ops, arr, v) }

func (h *Heap) typedNew(o *typedOps, length int64) (Cell, error) {
	if length < 0 || length > MaxLength {
		return 0, trapf(vm3pb.TrapCode_BAD_ARGUMENT, o.new, "length %d outside [0, %d]", length, MaxLength)
	}
	s, err := h.allocate(o.new, o.idx, 16+8*uint64(length), uint32(length))
	if err != nil {
		return 0, err
	}
	return h.handleOf(o.idx, s), nil
}

func (h *Heap) typedLen(o *typedOps, arr Cell) (int64, error) {
	a, s, err := h.handle(o.len, arr, o.idx)
	if err != nil {
		return 0, err
	}
	return int64(a.lengths[s]), nil
}

func (h *Heap) typedGet(o *typedOps, arr Cell, i int64) (Cell, error) {
	a, s, err := h.handle(o.get, arr, o.idx)
	if err != nil {
		return 0, err
	}
	j, err := index(o.get, i, a.lengths[s])
	if err != nil {
		return 0, err
	}
	return a.element(s, j), nil
}

func (h *Heap) typedSet(o *typedOps, arr Cell, i int64, v Cell) error {
	a, s, err := h.handle(o.set, arr, o.idx)
	if err != nil {
		return err
	}
	j, err := index(o.set, i, a.lengths[s])
	if err != nil {
		return err
	}
	if err := o.check(o.set, v); err != nil {
		return err
	}
	if err := storable(o.set, uint64(j)); err != nil {
		return err
	}
	a.setElement(s, j, v)
	return nil
}

func (h *Heap) typedPush(o *typedOps, arr Cell, v Cell) error {
	a, s, err := h.handle(o.push, arr, o.idx)
	if err != nil {
		return err
	}
	if err := o.check(o.push, v); err != nil {
		return err
	}
	if a.lengths[s] == MaxLength {
		return trapf(vm3pb.TrapCode_OUT_OF_MEMORY, o.push, "array is at the maximum length %d", MaxLength)
	}
	if err := storable(o.push, uint64(a.lengths[s])); err != nil {
		return err
	}
	if err := h.grow(o.push, 8, arr, v); err != nil {
		return err
	}
	a.push(s, v)
	return nil
}
