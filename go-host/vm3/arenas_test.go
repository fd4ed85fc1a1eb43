package vm3

import (
	"bytes"
	"math"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Tests of the String, Map, F64Arr and I64Arr arenas and Struct shapes
// (operations.md §3.2, §3.3; arenas.md §2.6).

const badCell Cell = 0xFFF8_0000_0000_0000

func heapBytes(h *Heap) uint64 { return h.Stats().HeapBytes }

func TestStringsCopyConcatEq(t *testing.T) {
	h := NewHeap(Config{})
	raw := []byte{0, 255, 7}
	s := need(t)(h.StrNew(raw))
	raw[0] = 9
	got, err := h.StrGet(s)
	ok(t, err)
	if !bytes.Equal(got, []byte{0, 255, 7}) {
		t.Fatalf("StrGet = %v", got)
	}
	got[1] = 1
	if again, _ := h.StrGet(s); again[1] != 255 {
		t.Fatal("StrGet exposed the stored bytes")
	}
	a := need(t)(h.StrNewString("ab"))
	b := need(t)(h.StrNewString("cd"))
	c := need(t)(h.StrConcat(a, b))
	if c != MakeHandle(vm3pb.Arena_ARENA_STRING, 0, 3) {
		t.Fatalf("concat handle %v", c)
	}
	if text, _ := h.StrText(c); text != "abcd" {
		t.Fatalf("concat = %q", text)
	}
	d := need(t)(h.StrNewString("abcd"))
	if eq, err := h.StrEq(c, d); err != nil || !eq {
		t.Fatalf("StrEq(c, d) = %v, %v", eq, err)
	}
	if eq, _ := h.StrEq(a, b); eq {
		t.Fatal("StrEq(a, b)")
	}
	if n, _ := h.StrLen(c); n != 4 {
		t.Fatalf("StrLen = %d", n)
	}
	if got := heapBytes(h); got != 19+18+18+20+20 {
		t.Fatalf("heap_bytes %d", got)
	}
	check(t, h)
}

func TestStringTrapsInOrder(t *testing.T) {
	h := NewHeap(Config{})
	s := need(t)(h.StrNewString("x"))
	l := need(t)(h.ListNew(0))
	unchanged(t, h, vm3pb.TrapCode_BAD_CELL, func() error { _, err := h.StrLen(badCell); return err })
	unchanged(t, h, vm3pb.TrapCode_NULL_DEREF, func() error { _, err := h.StrLen(Null); return err })
	unchanged(t, h, vm3pb.TrapCode_NOT_A_HANDLE, func() error { _, err := h.StrLen(icell(t, 3)); return err })
	unchanged(t, h, vm3pb.TrapCode_WRONG_ARENA, func() error { _, err := h.StrConcat(l, badCell); return err })
	unchanged(t, h, vm3pb.TrapCode_NULL_DEREF, func() error { _, err := h.StrConcat(s, Null); return err })
	unchanged(t, h, vm3pb.TrapCode_STALE_HANDLE, func() error {
		_, err := h.StrEq(MakeHandle(vm3pb.Arena_ARENA_STRING, 0, 5), l)
		return err
	})
	ok(t, h.Free(s))
	unchanged(t, h, vm3pb.TrapCode_STALE_HANDLE, func() error { _, err := h.StrGet(s); return err })
}

func TestStringLimitsAndAutoRoots(t *testing.T) {
	h := NewHeap(Config{MaxHeapBytes: 40})
	a := need(t)(h.StrNewString("0123456789"))
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { _, err := h.StrConcat(a, a); return err })

	auto := NewHeap(Config{Variant: vm3pb.Variant_AUTO, AutoMinThreshold: 2})
	x := need(t)(auto.StrNewString("x"))
	y := need(t)(auto.StrNewString("y"))
	xy := need(t)(auto.StrConcat(x, y))
	if auto.Stats().Collections != 1 {
		t.Fatal("the safepoint did not collect")
	}
	for c, want := range map[Cell]string{x: "x", y: "y", xy: "xy"} {
		if got, err := auto.StrText(c); err != nil || got != want {
			t.Fatalf("StrText = %q, %v; want %q", got, err, want)
		}
	}
	check(t, auto)
}

func TestMaps(t *testing.T) {
	h := NewHeap(Config{})
	m := need(t)(h.MapNew())
	one, big := icell(t, 1), icell(t, 1<<40)
	ok(t, h.MapSet(m, one, icell(t, 10)))
	ok(t, h.MapSet(m, big, icell(t, -1)))
	if got := heapBytes(h); got != 48 {
		t.Fatalf("heap_bytes %d", got)
	}
	ok(t, h.MapSet(m, one, icell(t, 11)))
	if got := heapBytes(h); got != 48 {
		t.Fatalf("overwrite changed heap_bytes to %d", got)
	}
	if v := need(t)(h.MapGet(m, one)); v != icell(t, 11) {
		t.Fatalf("MapGet = %v", v)
	}
	if v := need(t)(h.MapGet(m, icell(t, 3))); v != icell(t, 0) {
		t.Fatalf("MapGet of an absent key = %v", v)
	}
	if has, _ := h.MapHas(m, icell(t, 3)); has {
		t.Fatal("MapHas of an absent key")
	}
	if n, _ := h.MapLen(m); n != 2 {
		t.Fatalf("MapLen = %d", n)
	}
	unchanged(t, h, vm3pb.TrapCode_WRONG_TYPE, func() error { return h.MapSet(m, F64Cell(1), one) })
	unchanged(t, h, vm3pb.TrapCode_WRONG_TYPE, func() error { return h.MapSet(m, one, Null) })
	unchanged(t, h, vm3pb.TrapCode_WRONG_TYPE, func() error { return h.MapSet(m, one, m) })
	unchanged(t, h, vm3pb.TrapCode_WRONG_TYPE, func() error { return h.MapSet(m, BoolCell(true), badCell) })
	unchanged(t, h, vm3pb.TrapCode_BAD_CELL, func() error { return h.MapSet(m, 0xFFFA_0000_0000_0005, BoolCell(true)) })
	unchanged(t, h, vm3pb.TrapCode_NULL_DEREF, func() error { _, err := h.MapHas(Null, F64Cell(0)); return err })
	check(t, h)

	lim := NewHeap(Config{MaxHeapBytes: 32})
	n := need(t)(lim.MapNew())
	ok(t, lim.MapSet(n, one, one))
	unchanged(t, lim, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { return lim.MapSet(n, icell(t, 2), one) })
	ok(t, lim.MapSet(n, one, icell(t, 5)))

	auto := NewHeap(Config{Variant: vm3pb.Variant_AUTO, MaxHeapBytes: 48})
	need(t)(auto.ListNew(2))
	am := need(t)(auto.MapNew())
	ok(t, auto.MapSet(am, one, one))
	if st := auto.Stats(); st.Collections != 1 || st.SlotsFreed != 1 || st.HeapBytes != 32 {
		t.Fatalf("stats %v", st)
	}
	check(t, auto)
}

func TestTypedArrays(t *testing.T) {
	h := NewHeap(Config{})
	a := need(t)(h.F64ArrNew(2))
	if v := need(t)(h.F64ArrGet(a, 1)); v != 0 {
		t.Fatalf("F64Arr zero = %v", v)
	}
	ok(t, h.F64ArrSet(a, 0, F64Cell(math.Copysign(0, -1))))
	ok(t, h.F64ArrPush(a, F64Cell(math.NaN())))
	if v := need(t)(h.F64ArrGet(a, 2)); v != canonicalNaN {
		t.Fatalf("NaN stored as %v", v)
	}
	if got := heapBytes(h); got != 40 {
		t.Fatalf("heap_bytes %d", got)
	}
	i := need(t)(h.I64ArrNew(0))
	unchanged(t, h, vm3pb.TrapCode_WRONG_TYPE, func() error { return h.F64ArrSet(a, 0, icell(t, 1)) })
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_BOUNDS, func() error { return h.F64ArrSet(a, 3, icell(t, 1)) })
	unchanged(t, h, vm3pb.TrapCode_BAD_CELL, func() error { return h.F64ArrPush(a, 0x7FF8_0000_0000_0001) })
	unchanged(t, h, vm3pb.TrapCode_WRONG_ARENA, func() error { return h.F64ArrPush(i, F64Cell(1)) })
	unchanged(t, h, vm3pb.TrapCode_BAD_ARGUMENT, func() error { _, err := h.F64ArrNew(-1); return err })
	unchanged(t, h, vm3pb.TrapCode_WRONG_TYPE, func() error { return h.I64ArrPush(i, F64Cell(1)) })
	ok(t, h.I64ArrPush(i, icell(t, 1<<40)))
	if v := need(t)(h.I64ArrGet(i, 0)); v != icell(t, 1<<40) {
		t.Fatalf("I64ArrGet = %v", v)
	}
	check(t, h)

	long := NewHeap(Config{MaxHeapBytes: 1 << 35})
	b := need(t)(long.I64ArrNew(MaxLength))
	if v := need(t)(long.I64ArrGet(b, MaxLength-1)); v != icell(t, 0) {
		t.Fatalf("lazy element = %v", v)
	}
	ok(t, long.I64ArrSet(b, 5, icell(t, 7)))
	if v := need(t)(long.I64ArrGet(b, 4)); v != icell(t, 0) {
		t.Fatalf("materialized element = %v", v)
	}
	unchanged(t, long, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { return long.I64ArrPush(b, icell(t, 1)) })
	ok(t, long.Free(b))
	unchanged(t, long, vm3pb.TrapCode_STALE_HANDLE, func() error { _, err := long.I64ArrLen(b); return err })
}

func TestCollectMarksUnscannedArenas(t *testing.T) {
	h := NewHeap(Config{})
	mark, _ := h.ScopeEnter()
	l := need(t)(h.ListNew(0))
	ok(t, h.ScopeRoot(l))
	kept := []Cell{need(t)(h.StrNewString("k")), need(t)(h.MapNew()), need(t)(h.F64ArrNew(1)), need(t)(h.I64ArrNew(1))}
	for _, c := range kept {
		ok(t, h.ListPush(l, c))
	}
	need(t)(h.StrNewString("garbage"))
	need(t)(h.MapNew())
	need(t)(h.F64ArrNew(0))
	need(t)(h.I64ArrNew(0))
	if n := h.Collect(); n != 4 {
		t.Fatalf("collect freed %d", n)
	}
	want := [][3]uint64{{0, 1, 2}, {1, 1, 1}, {2, 1, 2}, {4, 0, 0}, {9, 1, 2}, {10, 1, 2}, {13, 0, 0}}
	for k, a := range h.Stats().Arenas {
		if got := [3]uint64{uint64(a.Arena), a.Live, a.Total}; got != want[k] {
			t.Fatalf("arena stats %d: %v, want %v", k, got, want[k])
		}
	}
	ok(t, h.ScopeExit(mark))
	if n := h.Collect(); n != 5 || heapBytes(h) != 0 {
		t.Fatalf("second collect freed %d, heap_bytes %d", n, heapBytes(h))
	}
	check(t, h)
}

func TestStructShapes(t *testing.T) {
	h := NewHeap(Config{})
	s := need(t)(h.StructNewShaped(2, 7))
	u := need(t)(h.StructNew(1))
	if sh, _ := h.StructShape(s); sh != 7 {
		t.Fatalf("shape %d", sh)
	}
	if sh, _ := h.StructShape(u); sh != 0 {
		t.Fatalf("default shape %d", sh)
	}
	ok(t, h.Free(s))
	_, err := h.StructShape(s)
	wantTrap(t, err, vm3pb.TrapCode_STALE_HANDLE)
	v := need(t)(h.StructNewShaped(0, math.MaxUint32))
	if sh, _ := h.StructShape(v); v != MakeHandle(vm3pb.Arena_ARENA_STRUCT, 1, 0) || sh != math.MaxUint32 {
		t.Fatalf("reused slot %v shape %d", v, sh)
	}
	for k := uint32(0); k < 100; k++ {
		c := need(t)(h.StructNewShaped(0, k))
		if sh, _ := h.StructShape(c); sh != k {
			t.Fatalf("shape %d, want %d", sh, k)
		}
	}
	l := need(t)(h.ListNew(0))
	unchanged(t, h, vm3pb.TrapCode_WRONG_ARENA, func() error { _, err := h.StructShape(l); return err })
	check(t, h)
}
