package vm3

import (
	"math"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

func TestFrameKeepsAliveAcrossCollect(t *testing.T) {
	for _, v := range []vm3pb.Variant{vm3pb.Variant_MINIMAL, vm3pb.Variant_AUTO} {
		h := NewHeap(Config{Variant: v, AutoMinThreshold: 1})
		mark := needN(t)(h.FrameEnter(2))
		if mark != 1 {
			t.Fatalf("mark %d", mark)
		}
		l := need(t)(h.ListNew(1))
		ok(t, h.FrameRoot(mark, 0, l))
		// Under AUTO with threshold 1 these allocations collect; l survives.
		for range 10 {
			need(t)(h.StructNew(0))
		}
		if h.Collect() == 0 && v == vm3pb.Variant_MINIMAL {
			t.Fatal("the garbage structs were not freed")
		}
		if n := needN(t)(h.ListLen(l)); n != 1 {
			t.Fatalf("list_len %d", n)
		}
		ok(t, h.FrameExit(mark))
		if h.Collect() != 1 {
			t.Fatal("the list outlived its frame")
		}
		wantTrap(t, code2(h.ListLen(l)), vm3pb.TrapCode_STALE_HANDLE)
		check(t, h)
	}
}

// need(t)(h.ListLen(l)) is for Cells; this wraps an int64 result.
func needN(t testing.TB) func(int64, error) int64 {
	return func(n int64, err error) int64 {
		t.Helper()
		ok(t, err)
		return n
	}
}

func TestFrameOverwriteReleases(t *testing.T) {
	h := NewHeap(Config{})
	mark := needN(t)(h.FrameEnter(1))
	a := need(t)(h.ListNew(0))
	b := need(t)(h.ListNew(0))
	ok(t, h.FrameRoot(mark, 0, a))
	ok(t, h.FrameRoot(mark, 0, b))
	if h.Collect() != 1 {
		t.Fatal("the overwritten Cell's object was kept")
	}
	wantTrap(t, code2(h.ListLen(a)), vm3pb.TrapCode_STALE_HANDLE)
	if needN(t)(h.ListLen(b)) != 0 {
		t.Fatal("b")
	}
	// A scalar or a stale handle in the slot marks nothing.
	ok(t, h.FrameRoot(mark, 0, a))
	ok(t, h.FrameRoot(mark, 0, F64Cell(2.5)))
	if h.Collect() != 1 {
		t.Fatal("b kept by a slot overwritten with a scalar")
	}
	if st := h.Stats(); st.FrameRoots != 1 {
		t.Fatalf("frame_roots %d", st.FrameRoots)
	}
	ok(t, h.FrameExit(mark))
	if st := h.Stats(); st.FrameRoots != 0 {
		t.Fatalf("frame_roots %d", st.FrameRoots)
	}
	check(t, h)
}

func code2(_ int64, err error) error { return err }

func TestFrameTraps(t *testing.T) {
	h := NewHeap(Config{})
	l := need(t)(h.ListNew(0))
	// No frame open: every mark mismatches.
	for _, m := range []int64{0, 1, -1, math.MaxInt64, math.MinInt64} {
		unchanged(t, h, vm3pb.TrapCode_SCOPE_MISMATCH, func() error { return h.FrameExit(m) })
		unchanged(t, h, vm3pb.TrapCode_SCOPE_MISMATCH, func() error { return h.FrameRoot(m, 0, l) })
	}
	for _, n := range []int64{-1, MaxFrameSlots + 1, math.MaxInt64, math.MinInt64} {
		unchanged(t, h, vm3pb.TrapCode_BAD_ARGUMENT, func() error { _, err := h.FrameEnter(n); return err })
	}
	outer := needN(t)(h.FrameEnter(3))
	inner := needN(t)(h.FrameEnter(0))
	if outer != 1 || inner != 2 {
		t.Fatalf("marks %d %d", outer, inner)
	}
	for _, s := range []int64{-1, 3, 1 << 32, math.MaxInt64, math.MinInt64, 1<<53 + 1} {
		unchanged(t, h, vm3pb.TrapCode_OUT_OF_BOUNDS, func() error { return h.FrameRoot(outer, s, l) })
	}
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_BOUNDS, func() error { return h.FrameRoot(inner, 0, l) })
	unchanged(t, h, vm3pb.TrapCode_SCOPE_MISMATCH, func() error { return h.FrameRoot(3, 0, l) })
	// Check order: the mark before the slot before the Cell.
	bad := Cell(0xFFF8_0000_0000_0000)
	unchanged(t, h, vm3pb.TrapCode_SCOPE_MISMATCH, func() error { return h.FrameRoot(0, 99, bad) })
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_BOUNDS, func() error { return h.FrameRoot(outer, 99, bad) })
	for _, c := range []Cell{bad, 0xFFF9_0000_0000_0001, 0xFFFD_0000_0000_0000, 0xFFFB_0000_0000_0002, 0xFFFC_0000_0000_0001} {
		unchanged(t, h, vm3pb.TrapCode_BAD_CELL, func() error { return h.FrameRoot(outer, 2, c) })
	}
	// Only the innermost frame exits.
	unchanged(t, h, vm3pb.TrapCode_SCOPE_MISMATCH, func() error { return h.FrameExit(outer) })
	unchanged(t, h, vm3pb.TrapCode_SCOPE_MISMATCH, func() error { return h.FrameExit(3) })
	ok(t, h.FrameExit(inner))
	ok(t, h.FrameExit(outer))
	unchanged(t, h, vm3pb.TrapCode_SCOPE_MISMATCH, func() error { return h.FrameExit(outer) })
	check(t, h)
}

func TestFrameTotalLimit(t *testing.T) {
	h := NewHeap(Config{})
	for range MaxFrameTotal / MaxFrameSlots {
		needN(t)(h.FrameEnter(MaxFrameSlots))
	}
	if got := h.Stats().FrameRoots; got != MaxFrameTotal {
		t.Fatalf("frame_roots %d", got)
	}
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { _, err := h.FrameEnter(1); return err })
	// BAD_ARGUMENT comes first.
	unchanged(t, h, vm3pb.TrapCode_BAD_ARGUMENT, func() error { _, err := h.FrameEnter(MaxFrameSlots + 1); return err })
	if m := needN(t)(h.FrameEnter(0)); m != MaxFrameTotal/MaxFrameSlots+1 {
		t.Fatalf("mark %d", m)
	}
	check(t, h)
}

func TestFrameStaleCellAccepted(t *testing.T) {
	h := NewHeap(Config{})
	mark := needN(t)(h.FrameEnter(2))
	l := need(t)(h.ListNew(0))
	ok(t, h.Free(l))
	// A stale handle, a forged generation, an unimplemented arena's handle
	// and a SmallInt are valid Cells: kept, marking nothing.
	for _, c := range []Cell{l, MakeHandle(vm3pb.Arena_ARENA_LIST, 77, 0), MakeHandle(3, 0, 5), icell(t, -7), Null, BoolCell(true)} {
		ok(t, h.FrameRoot(mark, 1, c))
		check(t, h)
	}
	// The reused slot is not kept by the stale Cell of its previous life.
	ok(t, h.FrameRoot(mark, 0, l))
	m := need(t)(h.ListNew(0))
	if m.slot() != l.slot() {
		t.Fatal("slot not reused")
	}
	if h.Collect() != 1 {
		t.Fatal("a stale Cell kept the reused slot alive")
	}
	check(t, h)
}

func TestFrameNested(t *testing.T) {
	h := NewHeap(Config{})
	outer := needN(t)(h.FrameEnter(1))
	a := need(t)(h.ListNew(0))
	ok(t, h.FrameRoot(outer, 0, a))
	inner := needN(t)(h.FrameEnter(2))
	b := need(t)(h.ListNew(0))
	c := need(t)(h.ListNew(0))
	ok(t, h.FrameRoot(inner, 1, b))
	// An outer frame's slot can be written while an inner one is open.
	ok(t, h.FrameRoot(outer, 0, c))
	if h.Stats().FrameRoots != 3 {
		t.Fatal("frame_roots")
	}
	if h.Collect() != 1 { // a
		t.Fatal("collect while nested")
	}
	ok(t, h.FrameExit(inner))
	if h.Stats().FrameRoots != 1 || h.Collect() != 1 { // b
		t.Fatal("the inner frame's slots were not dropped")
	}
	// A new frame starts null, whatever the old one held.
	again := needN(t)(h.FrameEnter(2))
	if again != 2 || h.Collect() != 0 {
		t.Fatal("reopened frame")
	}
	ok(t, h.FrameExit(again))
	ok(t, h.FrameExit(outer))
	if h.Collect() != 1 { // c
		t.Fatal("outer frame's slot not dropped")
	}
	check(t, h)
}

// A loop rooting a new object each iteration in one slot keeps one root:
// live slots stay bounded under AUTO.
func TestFrameLoopBounded(t *testing.T) {
	h := NewHeap(Config{Variant: vm3pb.Variant_AUTO, AutoMinThreshold: 64})
	mark := needN(t)(h.FrameEnter(1))
	var peak uint64
	for range 10_000 {
		l := need(t)(h.ListNew(0))
		ok(t, h.FrameRoot(mark, 0, l))
		if live := h.liveTotal(); live > peak {
			peak = live
		}
	}
	if peak > 65 {
		t.Fatalf("peak live %d", peak)
	}
	ok(t, h.FrameExit(mark))
	check(t, h)
}
