package vm3

import (
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// TestFreeListIsAStack: the last slot freed is the first reused, with its
// generation bumped (arenas.md §2.3, §2.5).
func TestFreeListIsAStack(t *testing.T) {
	h := NewHeap(Config{})
	a := need(t)(h.StructNew(1))
	b := need(t)(h.StructNew(1))
	c := need(t)(h.StructNew(1))
	ok(t, h.Free(a))
	ok(t, h.Free(c))
	if got, want := need(t)(h.StructNew(0)), MakeHandle(vm3pb.Arena_ARENA_STRUCT, 1, 2); got != want {
		t.Errorf("first reuse %v, want %v", got, want)
	}
	if got, want := need(t)(h.StructNew(3)), MakeHandle(vm3pb.Arena_ARENA_STRUCT, 1, 0); got != want {
		t.Errorf("second reuse %v, want %v", got, want)
	}
	if got, want := need(t)(h.StructNew(0)), MakeHandle(vm3pb.Arena_ARENA_STRUCT, 0, 3); got != want {
		t.Errorf("fresh slot %v, want %v", got, want)
	}
	_, err := h.StructLen(a)
	wantTrap(t, err, vm3pb.TrapCode_STALE_HANDLE)
	ok(t, h.Free(b))
	wantTrap(t, h.Free(b), vm3pb.TrapCode_STALE_HANDLE)
	st := h.Stats()
	if st.SlotsFreed != 3 || st.Arenas[structIdx].Live != 3 || st.Arenas[structIdx].Total != 4 || st.HeapBytes != 16+(16+24)+16 {
		t.Errorf("stats %v", st)
	}
	check(t, h)
}

// TestStaleAfterCollect: a slot the sweep frees is stale under its old
// handle, and reused under the next generation.
func TestStaleAfterCollect(t *testing.T) {
	h := NewHeap(Config{})
	old := need(t)(h.ListNew(1))
	if n := h.Collect(); n != 1 {
		t.Fatalf("collect freed %d", n)
	}
	_, err := h.ListLen(old)
	wantTrap(t, err, vm3pb.TrapCode_STALE_HANDLE)
	if got := need(t)(h.ListNew(0)); got != MakeHandle(vm3pb.Arena_ARENA_LIST, 1, 0) {
		t.Errorf("reuse %v", got)
	}
	_, err = h.ListLen(old)
	wantTrap(t, err, vm3pb.TrapCode_STALE_HANDLE)
	check(t, h)
}

// cycleSlot frees and reallocates slot 0 of the Host arena n times and
// returns the live handle.
func cycleSlot(t *testing.T, h *Heap, n int) Cell {
	c := need(t)(h.HostNew(nil))
	for range n {
		ok(t, h.Free(c))
		if h.arenas[hostIdx].meta[0]&stateMask == stateQuarantined {
			return 0
		}
		c = need(t)(h.HostNew(nil))
		if c.slot() != 0 {
			t.Fatalf("slot %d reused instead of 0", c.slot())
		}
	}
	return c
}

// TestQuarantine: the 4096th free of one slot wraps its generation to 0 and
// quarantines it; a collection with no Cell naming it releases it, and its
// next allocation is generation 0 again (arenas.md §2.5).
func TestQuarantine(t *testing.T) {
	h := NewHeap(Config{})
	c := cycleSlot(t, h, 4095)
	if c.generation() != 4095 {
		t.Fatalf("generation %d after 4095 reuses", c.generation())
	}
	ok(t, h.Free(c))
	if q := h.Stats().Quarantined; q != 1 {
		t.Fatalf("quarantined %d", q)
	}
	check(t, h)
	if got := need(t)(h.HostNew(nil)); got != MakeHandle(vm3pb.Arena_ARENA_HOST, 0, 1) {
		t.Errorf("allocation during quarantine %v, want a fresh slot 1", got)
	}
	h.Collect() // frees slot 1 (unrooted) and releases slot 0
	if q := h.Stats().Quarantined; q != 0 {
		t.Fatalf("quarantined %d after collect", q)
	}
	// Free list: slot 0 (released in step 2) below slot 1 (swept in step 3).
	if got := need(t)(h.HostNew(nil)); got != MakeHandle(vm3pb.Arena_ARENA_HOST, 1, 1) {
		t.Errorf("first allocation %v", got)
	}
	if got := need(t)(h.HostNew(nil)); got != MakeHandle(vm3pb.Arena_ARENA_HOST, 0, 0) {
		t.Errorf("second allocation %v, want slot 0 at generation 0", got)
	}
	check(t, h)
}

// TestQuarantineG3: a stale Cell stored in a live slot keeps the slot it
// names quarantined through any number of collections; once it is gone,
// the next collection releases the slot.
func TestQuarantineG3(t *testing.T) {
	h := NewHeap(Config{})
	holder := need(t)(h.StructNew(1))
	ok(t, h.Pin(holder))
	c := need(t)(h.HostNew(nil))
	ok(t, h.StructSet(holder, 0, c)) // stored while live
	ok(t, h.Free(c))                 // now a stale Cell in the heap
	for range 4095 {
		c = need(t)(h.HostNew(nil))
		ok(t, h.Free(c))
	}
	if c.generation() != 4095 || h.arenas[hostIdx].meta[0] != stateQuarantined {
		t.Fatalf("slot 0 not quarantined: meta %#x", h.arenas[hostIdx].meta[0])
	}
	for range 3 {
		h.Collect()
		if q := h.Stats().Quarantined; q != 1 {
			t.Fatalf("the named slot left quarantine: %d", q)
		}
		if got := need(t)(h.HostNew(nil)); got.slot() == 0 {
			t.Fatalf("quarantined slot handed out as %v", got)
		}
	}
	_, err := h.HostGet(need(t)(h.StructGet(holder, 0)))
	wantTrap(t, err, vm3pb.TrapCode_STALE_HANDLE)
	ok(t, h.StructSet(holder, 0, Null))
	h.Collect()
	if q := h.Stats().Quarantined; q != 0 {
		t.Fatalf("unnamed slot still quarantined")
	}
	check(t, h)
}

// TestStubNeverReuses: in STUB a freed slot is dead, collect does nothing.
func TestStubNeverReuses(t *testing.T) {
	h := NewHeap(Config{Variant: vm3pb.Variant_STUB})
	a := need(t)(h.ListNew(1))
	ok(t, h.Free(a))
	b := need(t)(h.ListNew(1))
	if b.slot() != 1 {
		t.Errorf("STUB reused: %v", b)
	}
	_, err := h.ListLen(a)
	wantTrap(t, err, vm3pb.TrapCode_STALE_HANDLE)
	if n := h.Collect(); n != 0 {
		t.Errorf("STUB collect returned %d", n)
	}
	st := h.Stats()
	if st.Collections != 0 || st.SlotsFreed != 1 || st.Arenas[listIdx].Live != 1 || st.Arenas[listIdx].Total != 2 {
		t.Errorf("stats %v", st)
	}
	_, err = h.ListLen(b)
	ok(t, err)
	for range 5000 {
		ok(t, h.Free(need(t)(h.HostNew(nil))))
	}
	if st := h.Stats(); st.Quarantined != 0 || st.Arenas[hostIdx].Total != 5000 {
		t.Errorf("stats %v", st)
	}
	check(t, h)
}
