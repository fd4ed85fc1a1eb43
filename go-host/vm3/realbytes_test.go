package vm3

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

type footprintShape struct {
	name string
	fill func(h *Heap, i int) error
}

func pinned(h *Heap, c Cell, err error) error {
	if err != nil {
		return err
	}
	return h.Pin(c)
}

// The shapes that cost the Go heap the most per accounted byte.
var footprintShapes = []footprintShape{
	{"List, length 0", func(h *Heap, _ int) error { c, err := h.ListNew(0); return pinned(h, c, err) }},
	{"List, 1 element", func(h *Heap, _ int) error { c, err := h.ListNew(1); return pinned(h, c, err) }},
	{"List, 1,000 pushed", func(h *Heap, _ int) error {
		c, err := h.ListNew(0)
		for i := 0; err == nil && i < 1000; i++ {
			err = h.ListPush(c, smallInt(int64(i)))
		}
		return pinned(h, c, err)
	}},
	{"Struct, 1 field", func(h *Heap, _ int) error { c, err := h.StructNew(1); return pinned(h, c, err) }},
	{"Struct, 8 fields", func(h *Heap, _ int) error { c, err := h.StructNew(8); return pinned(h, c, err) }},
	{"String, 0 bytes", func(h *Heap, _ int) error { c, err := h.StrNew(nil); return pinned(h, c, err) }},
	{"String, 1 byte", func(h *Heap, i int) error { c, err := h.StrNewString(fmt.Sprint(i % 10)); return pinned(h, c, err) }},
	{"String, 16 bytes", func(h *Heap, i int) error {
		c, err := h.StrNewString(fmt.Sprintf("%16d", i))
		return pinned(h, c, err)
	}},
	{"String, 64 KiB", func(h *Heap, i int) error {
		c, err := h.StrNewString(strings.Repeat("x", 65536-8) + fmt.Sprintf("%8d", i))
		return pinned(h, c, err)
	}},
	{"Map, 0 keys", func(h *Heap, _ int) error { c, err := h.MapNew(); return pinned(h, c, err) }},
	{"Map, 1,000 keys", func(h *Heap, _ int) error {
		c, err := h.MapNew()
		for k := 0; err == nil && k < 1000; k++ {
			err = h.MapSet(c, smallInt(int64(k)), smallInt(int64(k)))
		}
		return pinned(h, c, err)
	}},
	{"F64Arr, 1,000 pushed", func(h *Heap, _ int) error {
		c, err := h.F64ArrNew(0)
		for i := 0; err == nil && i < 1000; i++ {
			err = h.F64ArrPush(c, F64Cell(float64(i)+0.5))
		}
		return pinned(h, c, err)
	}},
	{"I64Arr, 1,000 pushed", func(h *Heap, _ int) error {
		c, err := h.I64ArrNew(0)
		for i := 0; err == nil && i < 1000; i++ {
			err = h.I64ArrPush(c, smallInt(int64(i)))
		}
		return pinned(h, c, err)
	}},
	{"Host", func(h *Heap, _ int) error { c, err := h.HostNew(nil); return pinned(h, c, err) }},
}

func liveGoBytes() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestRealBytesPerAccountedByte holds the Go heap to arenas.md §2.7: each
// shape fills a fresh heap to 16 MiB accounted, and the Go heap's live bytes
// (after a collection) may grow by at most RealBytesFactor times that.
func TestRealBytesPerAccountedByte(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the footprint test allocates about 1 GiB in all")
	}
	const target = 16 << 20
	for _, s := range footprintShapes {
		before := liveGoBytes()
		h := NewHeap(Config{MaxHeapBytes: 2*target + 1<<20})
		for i := 0; h.heapBytes < target; i++ {
			if err := s.fill(h, i); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
		}
		real := float64(liveGoBytes()) - float64(before)
		factor := real / float64(h.heapBytes)
		runtime.KeepAlive(h)
		t.Logf("%-22s %5.2f×  (%.1f MiB real)", s.name, factor, real/(1<<20))
		if factor > RealBytesFactor {
			t.Errorf("%s: %.2f real bytes per accounted byte, above arenas.md §2.7's %d", s.name, factor, RealBytesFactor)
		}
	}
}
