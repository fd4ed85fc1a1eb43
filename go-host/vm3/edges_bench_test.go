package vm3

import (
	"runtime"
	"testing"
)

// BenchmarkCollectRefs: a collection of 100,000 structs each pinned by a
// Ref the benchmark holds, each holding a Host slot (m0 with the Refs
// kept): in the weak design every collection forms 100,000 regions
// (collection.md §4.7), in the strong one the Refs' pins are plain roots.
func BenchmarkCollectRefs(b *testing.B) {
	for _, edges := range []HostEdges{HostEdgesWeak, HostEdgesStrong} {
		b.Run(edges.String(), func(b *testing.B) {
			h := NewHeap(Config{HostEdges: edges})
			refs := make([]*Ref, 0, 100_000)
			for k := range 100_000 {
				o, _ := h.StructNew(1)
				r, err := NewRef(h, o)
				if err != nil {
					b.Fatal(err)
				}
				hc, _ := h.HostNew(&m1Value{n: k})
				if err := h.StructSet(o, 0, hc); err != nil {
					b.Fatal(err)
				}
				refs = append(refs, r)
			}
			for b.Loop() {
				if n := h.Collect(); n != 0 {
					b.Fatalf("freed %d", n)
				}
			}
			runtime.KeepAlive(refs)
		})
	}
}
