package vm3

import (
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

func TestScopes(t *testing.T) {
	h := NewHeap(Config{})
	unchanged(t, h, vm3pb.TrapCode_SCOPE_MISMATCH, func() error { return h.ScopeExit(0) })
	unchanged(t, h, vm3pb.TrapCode_SCOPE_MISMATCH, func() error { return h.ScopeExit(1) })
	outer, _ := h.ScopeEnter()
	a := need(t)(h.ListNew(0))
	ok(t, h.ScopeRoot(a))
	inner, _ := h.ScopeEnter()
	if outer != 1 || inner != 2 {
		t.Fatalf("marks %d %d", outer, inner)
	}
	b := need(t)(h.ListNew(0))
	ok(t, h.ScopeRoot(b))
	ok(t, h.ScopeRoot(F64Cell(1)))
	unchanged(t, h, vm3pb.TrapCode_SCOPE_MISMATCH, func() error { return h.ScopeExit(outer) })
	unchanged(t, h, vm3pb.TrapCode_SCOPE_MISMATCH, func() error { return h.ScopeExit(3) })
	if h.Collect() != 0 || h.Stats().ScopeRoots != 3 {
		t.Fatal("scope roots not kept")
	}
	ok(t, h.ScopeExit(inner))
	if h.Stats().ScopeRoots != 1 || h.Collect() != 1 {
		t.Fatal("inner scope's roots not dropped")
	}
	// A root naming a freed slot stays as a stale Cell.
	ok(t, h.Free(a))
	if h.Stats().ScopeRoots != 1 {
		t.Fatal("root dropped by free")
	}
	ok(t, h.ScopeExit(outer))
	unchanged(t, h, vm3pb.TrapCode_SCOPE_MISMATCH, func() error { return h.ScopeExit(outer) })
	check(t, h)
}

func TestPins(t *testing.T) {
	h := NewHeap(Config{})
	c := need(t)(h.StructNew(0))
	ok(t, h.Pin(c))
	ok(t, h.Pin(c))
	if h.Stats().Pinned != 1 {
		t.Fatal("pinned count")
	}
	ok(t, h.Unpin(c))
	if h.Collect() != 0 {
		t.Fatal("pinned slot freed")
	}
	ok(t, h.Unpin(c))
	unchanged(t, h, vm3pb.TrapCode_NOT_PINNED, func() error { return h.Unpin(c) })
	if h.Stats().Pinned != 0 || h.Collect() != 1 {
		t.Fatal("unpinned slot kept")
	}
	// free of a pinned slot drops its pins.
	d := need(t)(h.HostNew(nil))
	ok(t, h.Pin(d))
	ok(t, h.Free(d))
	if h.Stats().Pinned != 0 {
		t.Fatal("pins outlived free")
	}
	unchanged(t, h, vm3pb.TrapCode_STALE_HANDLE, func() error { return h.Unpin(d) })
	check(t, h)
}
