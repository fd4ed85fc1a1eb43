package vm3

import (
	"errors"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// fixture is a heap holding one live slot per arena and a stale List.
type fixture struct {
	h                  *Heap
	list, strct, host  Cell
	freed, neverMade   Cell
	otherGen, unimpl   Cell
	badBits, notHandle []Cell
}

func newFixture(t *testing.T) *fixture {
	h := NewHeap(Config{})
	f := &fixture{h: h}
	f.list = need(t)(h.ListNew(2))
	f.strct = need(t)(h.StructNew(2))
	f.host = need(t)(h.HostNew("x"))
	f.freed = need(t)(h.ListNew(0))
	ok(t, h.Free(f.freed))
	f.neverMade = MakeHandle(vm3pb.Arena_ARENA_LIST, 0, 99)
	f.otherGen = MakeHandle(vm3pb.Arena_ARENA_LIST, 7, f.list.slot())
	f.unimpl = MakeHandle(vm3pb.Arena_ARENA_SET, 0, 0)
	f.badBits = []Cell{0xFFF8_0000_0000_0000, 0x7FF8_0000_0000_0001, 0xFFFA_0000_0000_0005, 0xFFFB_0000_0000_0002, 0xFFFC_0000_0000_0001, 0xFFFF_E000_0000_0000, 0xFFFF_C001_0000_0000}
	f.notHandle = []Cell{F64Cell(1.5), icell(t, 7), icell(t, 1<<40), BoolCell(true)}
	return f
}

// TestHandleChecks runs handle(c, A) / anyHandle(c) (operations.md §3.1) on
// every operation that has them, with one bad Cell of each kind.
func TestHandleChecks(t *testing.T) {
	f := newFixture(t)
	h := f.h
	type op struct {
		name  string
		arena Cell // a live handle of the arena the op wants; 0 for anyHandle
		run   func(c Cell) error
	}
	ops := []op{
		{"list_len", f.list, func(c Cell) error { _, err := h.ListLen(c); return err }},
		{"list_get", f.list, func(c Cell) error { _, err := h.ListGet(c, 0); return err }},
		{"list_set", f.list, func(c Cell) error { return h.ListSet(c, 0, Null) }},
		{"list_push", f.list, func(c Cell) error { return h.ListPush(c, Null) }},
		{"struct_len", f.strct, func(c Cell) error { _, err := h.StructLen(c); return err }},
		{"struct_get", f.strct, func(c Cell) error { _, err := h.StructGet(c, 0); return err }},
		{"struct_set", f.strct, func(c Cell) error { return h.StructSet(c, 0, Null) }},
		{"host_get", f.host, func(c Cell) error { _, err := h.HostGet(c); return err }},
		{"free", 0, h.Free},
		{"pin", 0, h.Pin},
		{"unpin", 0, h.Unpin},
	}
	for _, o := range ops {
		t.Run(o.name, func(t *testing.T) {
			for _, c := range f.badBits {
				unchanged(t, h, vm3pb.TrapCode_BAD_CELL, func() error { return o.run(c) })
			}
			unchanged(t, h, vm3pb.TrapCode_NULL_DEREF, func() error { return o.run(Null) })
			for _, c := range f.notHandle {
				unchanged(t, h, vm3pb.TrapCode_NOT_A_HANDLE, func() error { return o.run(c) })
			}
			if o.arena != 0 {
				for _, c := range []Cell{f.list, f.strct, f.host, f.unimpl} {
					if c != o.arena {
						unchanged(t, h, vm3pb.TrapCode_WRONG_ARENA, func() error { return o.run(c) })
					}
				}
			} else {
				unchanged(t, h, vm3pb.TrapCode_STALE_HANDLE, func() error { return o.run(f.unimpl) })
			}
			stale := []Cell{f.freed, f.neverMade, f.otherGen, MakeHandle(vm3pb.Arena_ARENA_LIST, 0, 0xFFFF_FFFF)}
			if o.arena != 0 && o.arena != f.list {
				stale = []Cell{MakeHandle(vm3pb.Arena(o.arena.arena()), 1, o.arena.slot()), MakeHandle(vm3pb.Arena(o.arena.arena()), 0, 50)}
			}
			for _, c := range stale {
				unchanged(t, h, vm3pb.TrapCode_STALE_HANDLE, func() error { return o.run(c) })
			}
		})
	}
}

// TestValueChecks: value(c) on every operation that stores or roots a Cell.
func TestValueChecks(t *testing.T) {
	f := newFixture(t)
	h := f.h
	mark, _ := h.ScopeEnter()
	stores := map[string]func(v Cell) error{
		"list_set":   func(v Cell) error { return h.ListSet(f.list, 1, v) },
		"list_push":  func(v Cell) error { return h.ListPush(f.list, v) },
		"struct_set": func(v Cell) error { return h.StructSet(f.strct, 1, v) },
		"scope_root": h.ScopeRoot,
	}
	for name, store := range stores {
		t.Run(name, func(t *testing.T) {
			for _, c := range f.badBits {
				unchanged(t, h, vm3pb.TrapCode_BAD_CELL, func() error { return store(c) })
			}
			for _, c := range []Cell{f.freed, f.neverMade, f.otherGen, f.unimpl} {
				unchanged(t, h, vm3pb.TrapCode_STALE_HANDLE, func() error { return store(c) })
			}
			for _, c := range append([]Cell{Null, f.list, f.strct, f.host}, f.notHandle...) {
				ok(t, store(c))
				check(t, h)
			}
		})
	}
	ok(t, h.ScopeExit(mark))
}

// TestCheckOrder: arguments left to right, each argument's checks in order,
// heap-state checks last (operations.md §3).
func TestCheckOrder(t *testing.T) {
	f := newFixture(t)
	h := f.h
	bad := f.badBits[0]
	// list handle before index before value.
	unchanged(t, h, vm3pb.TrapCode_STALE_HANDLE, func() error { return h.ListSet(f.freed, 9, bad) })
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_BOUNDS, func() error { return h.ListSet(f.list, 9, bad) })
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_BOUNDS, func() error { return h.ListSet(f.list, -1, f.freed) })
	unchanged(t, h, vm3pb.TrapCode_BAD_CELL, func() error { return h.ListSet(f.list, 1, bad) })
	unchanged(t, h, vm3pb.TrapCode_WRONG_ARENA, func() error { return h.StructSet(f.list, 9, bad) })
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_BOUNDS, func() error { return h.StructSet(f.strct, 2, bad) })
	unchanged(t, h, vm3pb.TrapCode_STALE_HANDLE, func() error { return h.StructSet(f.strct, 0, f.freed) })
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_BOUNDS, func() error { _, err := h.StructGet(f.strct, 2); return err })
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_BOUNDS, func() error { _, err := h.ListGet(f.list, 2); return err })
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_BOUNDS, func() error { _, err := h.ListGet(f.list, -1); return err })
	// list_push: value before the byte limit.
	small := NewHeap(Config{MaxHeapBytes: 16})
	l := need(t)(small.ListNew(0))
	unchanged(t, small, vm3pb.TrapCode_BAD_CELL, func() error { return small.ListPush(l, bad) })
	unchanged(t, small, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { return small.ListPush(l, Null) })
	// scope_root: value before "no scope open".
	unchanged(t, h, vm3pb.TrapCode_STALE_HANDLE, func() error { return h.ScopeRoot(f.freed) })
	unchanged(t, h, vm3pb.TrapCode_SCOPE_MISMATCH, func() error { return h.ScopeRoot(Null) })
	// unpin: handle before NOT_PINNED.
	unchanged(t, h, vm3pb.TrapCode_STALE_HANDLE, func() error { return h.Unpin(f.freed) })
	unchanged(t, h, vm3pb.TrapCode_NOT_PINNED, func() error { return h.Unpin(f.list) })
	// BAD_ARGUMENT before any allocation limit.
	full := NewHeap(Config{MaxHeapBytes: 1})
	unchanged(t, full, vm3pb.TrapCode_BAD_ARGUMENT, func() error { _, err := full.ListNew(-1); return err })
	unchanged(t, full, vm3pb.TrapCode_BAD_ARGUMENT, func() error { _, err := full.ListNew(MaxLength + 1); return err })
	unchanged(t, full, vm3pb.TrapCode_BAD_ARGUMENT, func() error { _, err := full.StructNew(MaxFields + 1); return err })
	unchanged(t, full, vm3pb.TrapCode_BAD_ARGUMENT, func() error { _, err := full.StructNew(-5); return err })
	unchanged(t, full, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { _, err := full.StructNew(0); return err })
	unchanged(t, full, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { _, err := full.HostNew(1); return err })
}

func TestOperationsRoundTrip(t *testing.T) {
	h := NewHeap(Config{})
	l := need(t)(h.ListNew(3))
	s := need(t)(h.StructNew(2))
	x := need(t)(h.HostNew([]int{4}))
	ok(t, h.ListSet(l, 2, s))
	ok(t, h.ListPush(l, F64Cell(2.5)))
	ok(t, h.StructSet(s, 1, x))
	if n, _ := h.ListLen(l); n != 4 {
		t.Errorf("list_len %d", n)
	}
	if n, _ := h.StructLen(s); n != 2 {
		t.Errorf("struct_len %d", n)
	}
	for i, want := range []Cell{Null, Null, s, F64Cell(2.5)} {
		if got := need(t)(h.ListGet(l, int64(i))); got != want {
			t.Errorf("list_get %d = %v, want %v", i, got, want)
		}
	}
	if got := need(t)(h.StructGet(s, 1)); got != x {
		t.Errorf("struct_get = %v", got)
	}
	v, err := h.HostGet(x)
	ok(t, err)
	if v.([]int)[0] != 4 {
		t.Errorf("host_get = %v", v)
	}
	if got := h.Stats().HeapBytes; got != (16+8*4)+(16+8*2)+16 {
		t.Errorf("heap_bytes %d", got)
	}
	check(t, h)
}

// TestDefaultByteLimit: the default max_heap_bytes is 2^28 (arenas.md §2.6,
// §2.7), so the longest list is refused without a configured limit, and a
// list that fills the budget exactly leaves room for nothing else.
func TestDefaultByteLimit(t *testing.T) {
	h := NewHeap(Config{})
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { _, err := h.ListNew(MaxLength); return err })
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { _, err := h.ListNew((1<<28-16)/8 + 1); return err })
	need(t)(h.ListNew((1<<28 - 16) / 8))
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { _, err := h.StructNew(0); return err })
}

// TestPinnedStructFlood: pinned struct_new(MaxFields) without end traps at
// the default limit after 511 structs (arenas.md §2.7).
func TestPinnedStructFlood(t *testing.T) {
	h := NewHeap(Config{})
	made := 0
	for {
		c, err := h.StructNew(MaxFields)
		if err != nil {
			var trap *Trap
			if !errors.As(err, &trap) || trap.Code != vm3pb.TrapCode_OUT_OF_MEMORY {
				t.Fatalf("after %d structs: %v", made, err)
			}
			break
		}
		ok(t, h.Pin(c))
		made++
	}
	if want := (1 << 28) / (16 + 8*MaxFields); made != want {
		t.Errorf("made %d structs, want %d", made, want)
	}
}

// TestSparseList: a long list costs its accounting, not its memory, until
// written (arena.go materializeLimit).
func TestSparseList(t *testing.T) {
	h := NewHeap(Config{MaxHeapBytes: 1 << 40})
	l := need(t)(h.ListNew(MaxLength))
	if got := need(t)(h.ListGet(l, MaxLength-1)); got != Null {
		t.Errorf("far element %v", got)
	}
	ok(t, h.ListSet(l, 1000, BoolCell(true)))
	if got := need(t)(h.ListGet(l, 1000)); got != BoolCell(true) {
		t.Errorf("element 1000 = %v", got)
	}
	unchanged(t, h, vm3pb.TrapCode_OUT_OF_MEMORY, func() error { return h.ListPush(l, Null) })
	m := need(t)(h.ListNew(materializeLimit + 5))
	ok(t, h.ListPush(m, icell(t, 3)))
	if got := need(t)(h.ListGet(m, materializeLimit+5)); got != icell(t, 3) {
		t.Errorf("pushed element %v", got)
	}
	if got := need(t)(h.ListGet(m, 7)); got != Null {
		t.Errorf("element 7 = %v", got)
	}
	check(t, h)
}
