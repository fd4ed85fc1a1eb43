package vm3

import (
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

func TestCycleCollected(t *testing.T) {
	h := NewHeap(Config{})
	l := need(t)(h.ListNew(0))
	s := need(t)(h.StructNew(1))
	ok(t, h.ListPush(l, s))
	ok(t, h.StructSet(s, 0, l))
	ok(t, h.ListPush(l, l))
	if n := h.Collect(); n != 2 {
		t.Fatalf("collect freed %d, want the 2-slot cycle", n)
	}
	st := h.Stats()
	if st.HeapBytes != 0 || st.Collections != 1 || st.SlotsFreed != 2 {
		t.Errorf("stats %v", st)
	}
	check(t, h)
}

// TestRootsKeepSlots: scope roots, pins, and what they reach survive; the
// sweep frees the rest in ascending order, so the free list's top is the
// highest freed slot (collection.md §4.4).
func TestRootsKeepSlots(t *testing.T) {
	h := NewHeap(Config{})
	var cells []Cell
	for range 6 {
		cells = append(cells, need(t)(h.StructNew(1)))
	}
	x := need(t)(h.HostNew("kept"))
	ok(t, h.StructSet(cells[1], 0, cells[2]))
	ok(t, h.StructSet(cells[4], 0, x))
	mark, _ := h.ScopeEnter()
	ok(t, h.ScopeRoot(cells[1]))
	ok(t, h.Pin(cells[4]))
	if n := h.Collect(); n != 3 {
		t.Fatalf("freed %d, want 3 (slots 0, 3, 5)", n)
	}
	for _, c := range []Cell{cells[1], cells[2], cells[4]} {
		_, err := h.StructLen(c)
		ok(t, err)
	}
	if v, err := h.HostGet(x); err != nil || v != "kept" {
		t.Errorf("host_get %v %v", v, err)
	}
	for _, want := range []uint32{5, 3, 0} {
		if got := need(t)(h.StructNew(0)); got != MakeHandle(vm3pb.Arena_ARENA_STRUCT, 1, want) {
			t.Errorf("allocation %v, want slot %d", got, want)
		}
	}
	ok(t, h.ScopeExit(mark))
	ok(t, h.Unpin(cells[4]))
	if n := h.Collect(); n != 7 {
		t.Errorf("second collect freed %d, want 7", n)
	}
	check(t, h)
}

// TestMillionListChain: marking is iterative (collection.md §4.4 step 1).
func TestMillionListChain(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	h := NewHeap(Config{})
	prev := Null
	for range 1_000_000 {
		l := need(t)(h.ListNew(0))
		ok(t, h.ListPush(l, prev))
		prev = l
	}
	ok(t, h.Pin(prev))
	if n := h.Collect(); n != 0 {
		t.Fatalf("freed %d of a rooted chain", n)
	}
	ok(t, h.Unpin(prev))
	if n := h.Collect(); n != 1_000_000 {
		t.Fatalf("freed %d, want the whole chain", n)
	}
	if st := h.Stats(); st.HeapBytes != 0 || st.Arenas[listIdx].Live != 0 {
		t.Errorf("stats %v", st)
	}
}

// TestAutoThreshold: AUTO collects at the allocation safepoint once
// allocs_since_gc reaches max(auto_min_threshold, live_after)
// (collection.md §4.5).
func TestAutoThreshold(t *testing.T) {
	h := NewHeap(Config{Variant: vm3pb.Variant_AUTO, AutoMinThreshold: 4})
	mark, _ := h.ScopeEnter()
	for i := range 4 {
		c := need(t)(h.StructNew(0))
		if i < 2 {
			ok(t, h.ScopeRoot(c))
		}
	}
	if h.Stats().Collections != 0 {
		t.Fatal("collected before the threshold")
	}
	need(t)(h.StructNew(0)) // 5th allocation: safepoint collects, frees 2
	st := h.Stats()
	if st.Collections != 1 || st.SlotsFreed != 2 || st.Arenas[structIdx].Live != 3 {
		t.Fatalf("stats %v", st)
	}
	// live_after is 2 < 4: the next collection comes after 4 more.
	for range 3 {
		need(t)(h.StructNew(0))
	}
	if h.Stats().Collections != 1 {
		t.Fatal("collected early")
	}
	need(t)(h.StructNew(0))
	if h.Stats().Collections != 2 {
		t.Fatal("no second collection")
	}
	ok(t, h.ScopeExit(mark))
	// MINIMAL never collects by itself.
	m := NewHeap(Config{AutoMinThreshold: 1})
	for range 100 {
		need(t)(m.ListNew(0))
	}
	if m.Stats().Collections != 0 {
		t.Fatal("MINIMAL collected")
	}
	check(t, h)
}

// TestAutoPushRootsArguments: list_push's OUT_OF_MEMORY collection roots the
// list and the value (operations.md §3.2).
func TestAutoPushRootsArguments(t *testing.T) {
	h := NewHeap(Config{Variant: vm3pb.Variant_AUTO, MaxHeapBytes: 16 + 16 + 16})
	l := need(t)(h.ListNew(0))
	v := need(t)(h.StructNew(0))
	need(t)(h.HostNew(nil)) // garbage
	ok(t, h.ListPush(l, v))
	st := h.Stats()
	if st.Collections != 1 || st.SlotsFreed != 1 || st.HeapBytes != 16+8+16 {
		t.Fatalf("stats %v", st)
	}
	_, err := h.StructLen(v)
	ok(t, err)
	ok(t, h.ListPush(l, v)) // 48: exactly full
	// Full with everything rooted: the collection stays done, the push traps.
	unchangedButCollected(t, h, func() error { return h.ListPush(l, v) })
	check(t, h)
}

func unchangedButCollected(t *testing.T, h *Heap, f func() error) {
	before := h.Stats()
	wantTrap(t, f(), vm3pb.TrapCode_OUT_OF_MEMORY)
	after := h.Stats()
	if after.Collections != before.Collections+1 || after.HeapBytes != before.HeapBytes || after.SlotsFreed != before.SlotsFreed {
		t.Fatalf("before %v after %v", before, after)
	}
}
