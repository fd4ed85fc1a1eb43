package vm3

import "github.com/vm3-bridge/vm3/go-host/vm3pb"

// The String arena (arenas.md §2.1): immutable byte strings, accounted
// 16 + byte length (arenas.md §2.6).

// StrNew allocates a String holding a copy of b (operations.md §3.2
// str_new): BAD_ARGUMENT beyond MaxStrBytes bytes, then
// allocate(String, 16+len(b), []).
func (h *Heap) StrNew(b []byte) (Cell, error) {
	if len(b) > MaxStrBytes {
		return 0, trapf(vm3pb.TrapCode_BAD_ARGUMENT, "str_new", "%d bytes, more than MaxStrBytes %d", len(b), MaxStrBytes)
	}
	s, err := h.allocate("str_new", stringIdx, 16+uint64(len(b)), uint32(len(b)))
	if err != nil {
		return 0, err
	}
	h.arenas[stringIdx].strs[s] = append([]byte(nil), b...)
	return h.handleOf(stringIdx, s), nil
}

// StrNewString is StrNew of a Go string's bytes.
func (h *Heap) StrNewString(text string) (Cell, error) { return h.StrNew([]byte(text)) }

// StrLen returns a String's byte length (operations.md §3.2 str_len).
func (h *Heap) StrLen(str Cell) (int64, error) {
	b, err := h.strBytes("str_len", str)
	return int64(len(b)), err
}

// StrConcat allocates a String a‖b (operations.md §3.2 str_concat):
// handle(a, String), handle(b, String), a result beyond MaxStrBytes bytes is
// OUT_OF_MEMORY, then allocate(String, 16+len, [a, b]).
func (h *Heap) StrConcat(a, b Cell) (Cell, error) {
	left, err := h.strBytes("str_concat", a)
	if err != nil {
		return 0, err
	}
	right, err := h.strBytes("str_concat", b)
	if err != nil {
		return 0, err
	}
	n := uint64(len(left)) + uint64(len(right))
	if n > MaxStrBytes {
		return 0, trapf(vm3pb.TrapCode_OUT_OF_MEMORY, "str_concat", "%d bytes, more than MaxStrBytes %d", n, MaxStrBytes)
	}
	joined := make([]byte, 0, n)
	joined = append(append(joined, left...), right...)
	s, err := h.allocate("str_concat", stringIdx, 16+n, uint32(n), a, b)
	if err != nil {
		return 0, err
	}
	h.arenas[stringIdx].strs[s] = joined
	return h.handleOf(stringIdx, s), nil
}

// StrEq reports whether two Strings hold the same bytes (operations.md §3.2
// str_eq).
func (h *Heap) StrEq(a, b Cell) (bool, error) {
	left, err := h.strBytes("str_eq", a)
	if err != nil {
		return false, err
	}
	right, err := h.strBytes("str_eq", b)
	if err != nil {
		return false, err
	}
	return string(left) == string(right), nil
}

// StrGet returns a copy of a String's bytes (operations.md §3.2 str_get).
func (h *Heap) StrGet(str Cell) ([]byte, error) {
	b, err := h.strBytes("str_get", str)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

// StrText returns a String's bytes as a Go string (str_get).
func (h *Heap) StrText(str Cell) (string, error) {
	b, err := h.strBytes("str_get", str)
	return string(b), err
}

func (h *Heap) strBytes(op string, str Cell) ([]byte, error) {
	a, s, err := h.handle(op, str, stringIdx)
	if err != nil {
		return nil, err
	}
	return a.strs[s], nil
}
