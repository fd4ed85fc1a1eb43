package vm3

import "testing"

// BenchmarkAllocate: struct_new(4) in a steady state, each slot freed so the
// free list recycles it.
func BenchmarkAllocate(b *testing.B) {
	h := NewHeap(Config{})
	for b.Loop() {
		c, err := h.StructNew(4)
		if err != nil {
			b.Fatal(err)
		}
		if err := h.Free(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAllocateGrow: struct_new(4) into an ever-growing heap, no frees.
func BenchmarkAllocateGrow(b *testing.B) {
	h := NewHeap(Config{})
	for b.Loop() {
		if _, err := h.StructNew(4); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStructGetSet(b *testing.B) {
	h := NewHeap(Config{})
	s, _ := h.StructNew(4)
	v, _ := IntCell(7)
	for b.Loop() {
		if err := h.StructSet(s, 2, v); err != nil {
			b.Fatal(err)
		}
		c, err := h.StructGet(s, 2)
		if err != nil || c != v {
			b.Fatal(err)
		}
	}
}

func BenchmarkListPush(b *testing.B) {
	h := NewHeap(Config{})
	l, _ := h.ListNew(0)
	v, _ := IntCell(7)
	for b.Loop() {
		if err := h.ListPush(l, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListGet(b *testing.B) {
	h := NewHeap(Config{})
	l, _ := h.ListNew(1024)
	i := int64(0)
	for b.Loop() {
		if _, err := h.ListGet(l, i&1023); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkCollect1M: a full collection with 1M live slots (a pinned List
// holding 999,999 Structs).
func BenchmarkCollect1M(b *testing.B) {
	h := NewHeap(Config{})
	root, _ := h.ListNew(0)
	if err := h.Pin(root); err != nil {
		b.Fatal(err)
	}
	for range 999_999 {
		s, _ := h.StructNew(1)
		if err := h.ListPush(root, s); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if n := h.Collect(); n != 0 {
			b.Fatalf("freed %d", n)
		}
	}
}

// BenchmarkFrameRoot: frame_root of a live handle, the guest's most common
// rooting operation (its barrier, collection.md §4.7, is one load on a heap
// without Refs).
func BenchmarkFrameRoot(b *testing.B) {
	h := NewHeap(Config{})
	l, _ := h.ListNew(0)
	m, _ := h.FrameEnter(4)
	i := int64(0)
	for b.Loop() {
		if err := h.FrameRoot(m, i&3, l); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
