package vm3

import (
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// TestMaxHeapBytes: the trap comes at the exact step arenas.md §2.6 says,
// changes nothing, and freeing makes room again.
func TestMaxHeapBytes(t *testing.T) {
	h := NewHeap(Config{MaxHeapBytes: 100})
	a := need(t)(h.ListNew(5)) // 56
	b := need(t)(h.StructNew(3))
	if h.Stats().HeapBytes != 96 {
		t.Fatalf("heap_bytes %d", h.Stats().HeapBytes)
	}
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { _, err := h.HostNew(nil); return err })
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { return h.ListPush(a, Null) })
	ok(t, h.Free(b))
	ok(t, h.ListPush(a, Null))
	need(t)(h.StructNew(2)) // 64 + 32 = 96
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { _, err := h.ListNew(0); return err })
	h.Collect()
	need(t)(h.ListNew(10)) // everything was unrooted: 96 bytes
	check(t, h)
}

func TestMaxSlotsPerArena(t *testing.T) {
	h := NewHeap(Config{MaxSlotsPerArena: 2})
	a := need(t)(h.HostNew(1))
	need(t)(h.HostNew(2))
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { _, err := h.HostNew(3); return err })
	need(t)(h.ListNew(0)) // other arenas have their own limit
	ok(t, h.Free(a))
	c := need(t)(h.HostNew(3))
	if c != MakeHandle(vm3pb.Arena_ARENA_HOST, 1, 0) {
		t.Errorf("reuse %v", c)
	}
	check(t, h)
}

// TestAutoCollectsBeforeOutOfMemory: AUTO collects once before trapping;
// if that frees enough, the allocation succeeds.
func TestAutoCollectsBeforeOutOfMemory(t *testing.T) {
	h := NewHeap(Config{Variant: vm3pb.Variant_AUTO, MaxSlotsPerArena: 3})
	for range 3 {
		need(t)(h.StructNew(0))
	}
	got := need(t)(h.StructNew(0))
	if got != MakeHandle(vm3pb.Arena_ARENA_STRUCT, 1, 2) {
		t.Errorf("allocation after the collection %v", got)
	}
	ok(t, h.Pin(got))
	if st := h.Stats(); st.Collections != 1 || st.SlotsFreed != 3 {
		t.Errorf("stats %v", st)
	}
	for range 2 {
		ok(t, h.Pin(need(t)(h.StructNew(0))))
	}
	unchangedButCollected(t, h, func() error { _, err := h.StructNew(0); return err })
	check(t, h)
}

// TestPinLimit: a pin count at 2^32-1 traps OUT_OF_MEMORY.
func TestPinLimit(t *testing.T) {
	h := NewHeap(Config{})
	c := need(t)(h.ListNew(0))
	ok(t, h.Pin(c))
	h.arenas[listIdx].pins[0] = 1<<32 - 1
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { return h.Pin(c) })
	ok(t, h.Unpin(c))
	ok(t, h.Pin(c))
}
