package vm3

import (
	"runtime"
	"testing"
	"time"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Wrapper-owned weak host edges (collection.md §4.7), case by case; the
// property test (wrapperedges_property_test.go) hunts for what these miss.

// m1Value is a host value capturing a Ref (Igalia's m1 callback).
type m1Value struct {
	ref *Ref
	n   int
}

// goCollect runs Go's collector until the cleanups of dropped Refs have
// queued their unpins (or a few rounds pass), so that the next heap
// collection applies them.
func goCollect(h *Heap) {
	for k := 0; k < 50 && (k < 3 || !h.DroppedRefsPending()); k++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

// m1Pairs makes n m1 cycles: struct o, its Ref r, o.f0 = a Host slot whose
// value captures r; nothing else holds them.
func m1Pairs(t testing.TB, h *Heap, n int) {
	for k := range n {
		o := need(t)(h.StructNew(2))
		r, err := NewRef(h, o)
		ok(t, err)
		ok(t, h.StructSet(o, 0, need(t)(h.HostNew(&m1Value{r, k}))))
	}
}

// TestWrapperEdgesM1: the weak design frees m1 cycles once Go drops them;
// the strong one keeps every one.
func TestWrapperEdgesM1(t *testing.T) {
	const n = 10_000
	for _, edges := range []HostEdges{HostEdgesWeak, HostEdgesStrong} {
		h := NewHeap(Config{HostEdges: edges})
		m1Pairs(t, h, n)
		h.Collect() // forms the regions
		if st := h.EdgeStats(); edges == HostEdgesWeak && (st.RegionSlots != 2*n || st.WeakHosts != n || st.RegionsFormed != n) {
			t.Fatalf("after the first collection: %+v", st)
		}
		for range 3 {
			goCollect(h)
			h.Collect()
		}
		want := uint64(0)
		if edges == HostEdgesStrong {
			want = 2 * n
		}
		// A cleanup Go has not run yet may keep a few; not a fraction of n.
		if live := h.LiveSlots(); (edges == HostEdgesStrong && live != want) || live > want+n/100 {
			t.Errorf("%v: %d live slots after, want %d", edges, live, want)
		}
		check(t, h)
	}
}

// region makes an m1 pair whose struct's Ref the test keeps, and collects
// so the pair is a region: → the Ref, the struct, the Host slot, the value.
func region(t testing.TB, h *Heap) (*Ref, Cell, Cell, *m1Value) {
	o := need(t)(h.StructNew(2))
	r, err := NewRef(h, o)
	ok(t, err)
	v := &m1Value{ref: r}
	hc := need(t)(h.HostNew(v))
	ok(t, h.StructSet(o, 0, hc))
	h.Collect()
	if st := h.EdgeStats(); st.RegionSlots != 2 || st.WeakHosts != 1 {
		t.Fatalf("no region: %+v", st)
	}
	if r.anchor == nil || len(r.anchor.holder) != 1 || r.anchor.holder[0].v != any(v) {
		t.Fatal("the Ref's anchor does not hold the region's value")
	}
	return r, o, hc, v
}

// TestWrapperEdgesBarrier: each barrier site given a handle in a region
// promotes it (its value back in its slot, strongly); reads and writes
// through a region handle do not.
func TestWrapperEdgesBarrier(t *testing.T) {
	sites := []struct {
		name string
		op   func(h *Heap, c Cell) error
	}{
		{"struct_set", func(h *Heap, c Cell) error { return h.StructSet(need(t)(h.StructNew(1)), 0, c) }},
		{"list_set", func(h *Heap, c Cell) error { return h.ListSet(need(t)(h.ListNew(1)), 0, c) }},
		{"list_push", func(h *Heap, c Cell) error { return h.ListPush(need(t)(h.ListNew(0)), c) }},
		{"scope_root", func(h *Heap, c Cell) error {
			_, err := h.ScopeEnter()
			ok(t, err)
			return h.ScopeRoot(c)
		}},
		{"frame_root", func(h *Heap, c Cell) error {
			m, err := h.FrameEnter(1)
			ok(t, err)
			return h.FrameRoot(m, 0, c)
		}},
		{"pin", func(h *Heap, c Cell) error { return h.Pin(c) }},
		// The struct's one pin is its Ref's; the Host slot has none, and
		// anyHandle (with its barrier) runs before the NOT_PINNED check.
		{"unpin", func(h *Heap, c Cell) error {
			if err := h.Unpin(c); code(t, err) != vm3pb.TrapCode_NOT_PINNED {
				return err
			}
			return nil
		}},
		{"free", func(h *Heap, c Cell) error { return h.Free(c) }},
		{"NewRef", func(h *Heap, c Cell) error { _, err := NewRef(h, c); return err }},
	}
	for _, site := range sites {
		for _, which := range []string{"struct", "host"} {
			h := NewHeap(Config{})
			r, o, hc, v := region(t, h)
			c := o
			if which == "host" {
				c = hc // a member of the region other than the Ref's own slot
			}
			ok(t, site.op(h, c))
			st := h.EdgeStats()
			if st.RegionSlots != 0 || st.WeakHosts != 0 || (h.isLive(hc) && h.arenas[hostIdx].hosts[hc.slot()] != any(v)) {
				t.Errorf("%s of the region's %s: not promoted: %+v", site.name, which, st)
			}
			runtime.KeepAlive(r)
			check(t, h)
		}
	}
	// Through a region handle: reads, and stores of ordinary values into it.
	h := NewHeap(Config{})
	r, o, hc, v := region(t, h)
	if got := need(t)(h.StructGet(o, 0)); got != hc {
		t.Fatal(got)
	}
	if got, err := h.HostGet(hc); err != nil || got != any(v) {
		t.Fatal(got, err)
	}
	ok(t, h.StructSet(o, 1, icell(t, 5)))
	ok(t, h.StructSet(o, 1, need(t)(h.ListNew(0))))
	if _, err := h.StructLen(o); err != nil {
		t.Fatal(err)
	}
	if st := h.EdgeStats(); st.RegionSlots != 2 || st.WeakHosts != 1 || st.Promotions != 0 {
		t.Errorf("a read or write through a region handle promoted it: %+v", st)
	}
	runtime.KeepAlive(r)
	check(t, h)
}

// TestWrapperEdgesLostValueTraps: a region value whose Refs Go collected
// is gone; reading its slot (through a Cell held without a root) traps
// STALE_HANDLE, and the next collection frees the slot.
func TestWrapperEdgesLostValueTraps(t *testing.T) {
	h := NewHeap(Config{})
	_, _, hc, _ := region(t, h)
	for k := 0; k < 50; k++ {
		goCollect(h)
		if _, err := h.HostGet(hc); err != nil {
			wantTrap(t, err, vm3pb.TrapCode_STALE_HANDLE)
			check(t, h)
			h.Collect()
			if h.LiveSlots() != 0 {
				t.Errorf("%d live slots after the Ref's cleanup", h.LiveSlots())
			}
			check(t, h)
			return
		}
	}
	t.Fatal("the dropped cycle's value was never collected")
}

// TestWrapperEdgesRelease: releasing the last Ref of a region promotes it
// (unpin's anyHandle), so a Cell still held reads the value until the next
// collection frees the slot, as in the strong design.
func TestWrapperEdgesRelease(t *testing.T) {
	h := NewHeap(Config{})
	r, _, hc, v := region(t, h)
	r.Release()
	goCollect(h)
	if got, err := h.HostGet(hc); err != nil || got != any(v) {
		t.Fatalf("after Release: %v, %v", got, err)
	}
	h.Collect()
	if h.LiveSlots() != 0 || h.EdgeStats().WrappedSlots != 0 {
		t.Errorf("after Release and a collection: %d live, %+v", h.LiveSlots(), h.EdgeStats())
	}
	check(t, h)
}

// TestWrapperEdgesSharedRegion: two Refs whose objects reach one Host slot
// are one region, and both hold its value: dropping either keeps it.
func TestWrapperEdgesSharedRegion(t *testing.T) {
	for _, keep := range []int{0, 1} {
		h := NewHeap(Config{})
		v := &m1Value{n: 7}
		hc := need(t)(h.HostNew(v))
		var refs [2]*Ref
		for k := range refs {
			o := need(t)(h.StructNew(1))
			ok(t, h.StructSet(o, 0, hc))
			r, err := NewRef(h, o)
			ok(t, err)
			refs[k] = r
		}
		v.ref = refs[0]
		h.Collect()
		if st := h.EdgeStats(); st.RegionsFormed != 1 || st.RegionSlots != 3 {
			t.Fatalf("want one region of 3 slots: %+v", st)
		}
		kept := refs[keep]
		refs = [2]*Ref{}
		v = nil
		for range 3 {
			goCollect(h)
			h.Collect()
		}
		if got, err := h.HostGet(hc); err != nil || got.(*m1Value).n != 7 {
			t.Fatalf("keeping Ref %d: %v, %v", keep, got, err)
		}
		// Keeping Ref 1 keeps the holder, so the value, so the Ref 0 it
		// captures: all three slots. Keeping Ref 0, Ref 1 is collected.
		if want := uint64(2 + keep); h.LiveSlots() != want {
			t.Errorf("keeping Ref %d: %d live slots, want %d", keep, h.LiveSlots(), want)
		}
		runtime.KeepAlive(kept)
		check(t, h)
	}
}

// TestWrapperEdgesAutoExtraRoots: an AUTO collection roots its operation's
// arguments (collection.md §4.1 item 3) without a barrier; a region object
// among them is ordinary for that collection, and the values demoted below
// it go back into their slots, since its Ref's holder is replaced.
func TestWrapperEdgesAutoExtraRoots(t *testing.T) {
	h := NewHeap(Config{Variant: vm3pb.Variant_AUTO, AutoMinThreshold: 1 << 20})
	l := need(t)(h.ListNew(0))
	r, err := NewRef(h, l)
	ok(t, err)
	v := &m1Value{ref: r}
	ok(t, h.ListPush(l, need(t)(h.HostNew(v))))
	h.Collect()
	if st := h.EdgeStats(); st.RegionSlots != 2 || st.WeakHosts != 1 {
		t.Fatalf("no region: %+v", st)
	}
	// list_push past max_heap_bytes: AUTO collects with l as an extra root.
	h.lim.maxBytes = h.heapBytes
	before := h.collections
	wantTrap(t, h.ListPush(r.Cell(), Null), vm3pb.TrapCode_OUT_OF_MEMORY)
	if h.collections != before+1 {
		t.Fatal("list_push did not collect")
	}
	if st := h.EdgeStats(); st.RegionSlots != 0 || st.WeakHosts != 0 {
		t.Errorf("the extra root's Host slot still weak: %+v", st)
	}
	v = nil
	goCollect(h)
	got, err := h.HostGet(need(t)(h.ListGet(r.Cell(), 0)))
	if err != nil || got.(*m1Value).ref != r {
		t.Fatalf("the value under the extra root: %v, %v", got, err)
	}
	check(t, h)
}

// TestWrapperEdgesQuarantineNamed: a stale Cell in a slot only a Ref
// reaches names its quarantined slot exactly as if the Ref's pin were a
// root (collection.md §4.4 step 1): the weak and strong designs agree.
func TestWrapperEdgesQuarantineNamed(t *testing.T) {
	for _, edges := range []HostEdges{HostEdgesWeak, HostEdgesStrong} {
		h := NewHeap(Config{HostEdges: edges})
		holder := need(t)(h.StructNew(1))
		r, err := NewRef(h, holder)
		ok(t, err)
		c := need(t)(h.HostNew(nil))
		ok(t, h.StructSet(holder, 0, c))
		ok(t, h.Free(c))
		for range 4095 {
			ok(t, h.Free(need(t)(h.HostNew(nil))))
		}
		for range 3 {
			h.Collect()
			if q := h.Stats().Quarantined; q != 1 {
				t.Fatalf("%v: the slot a Ref's region names left quarantine", edges)
			}
		}
		r.Release()
		h.Collect()
		h.Collect()
		if q := h.Stats().Quarantined; q != 0 {
			t.Fatalf("%v: unnamed slot still quarantined", edges)
		}
		check(t, h)
	}
}

// TestWrapperEdgesNoRefsNoCost: a heap that never had a Ref has no edge
// state at all, and one whose Refs are all released skips region forming.
func TestWrapperEdgesNoRefsNoCost(t *testing.T) {
	h := NewHeap(Config{})
	l := need(t)(h.ListNew(0))
	ok(t, h.Pin(l))
	ok(t, h.ListPush(l, need(t)(h.HostNew(&m1Value{}))))
	m, err := h.FrameEnter(1)
	ok(t, err)
	ok(t, h.FrameRoot(m, 0, l))
	h.Collect()
	if h.edges != nil || h.arenas[listIdx].region != nil || h.arenas[hostIdx].region != nil {
		t.Fatal("edge state on a heap without Refs")
	}
	r, err := NewRef(h, l)
	ok(t, err)
	h.Collect()
	r.Release()
	h.Collect()
	formed := h.EdgeStats().RegionsFormed
	for _, a := range h.arenas {
		if a.wrapped|a.demoted|a.weakHosts != 0 {
			t.Fatalf("%v: edge counts after every Ref was released", a.number)
		}
	}
	h.Collect()
	if h.EdgeStats().RegionsFormed != formed {
		t.Error("regions formed with no Ref")
	}
	check(t, h)
}

// TestWrapperEdgesReleasedRefHoldsNothing: a released Ref that Go still
// holds no longer holds its region's values (its anchor is dropped), nor
// does the Ref of a freed slot.
func TestWrapperEdgesReleasedRefHoldsNothing(t *testing.T) {
	for _, how := range []string{"release", "free"} {
		h := NewHeap(Config{})
		r, o, _, _ := region(t, h)
		if how == "release" {
			r.Release()
		} else {
			ok(t, h.Free(o))
		}
		if r.anchor.holder != nil {
			t.Errorf("%s: the Ref still holds its region's values", how)
		}
		check(t, h)
	}
}
