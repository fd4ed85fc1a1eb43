package vm3

import "github.com/vm3-bridge/vm3/go-host/vm3pb"

// Stats returns the heap's counters (operations.md §3.2 stats, heap.proto
// Stats): one ArenaStats per heap arena in number order (String, List, Map,
// Struct, F64Arr, I64Arr, Host).
func (h *Heap) Stats() *vm3pb.Stats {
	st := &vm3pb.Stats{
		Collections: h.collections,
		SlotsFreed:  h.slotsFreed,
		HeapBytes:   h.heapBytes,
		ScopeRoots:  uint64(len(h.roots)),
		FrameRoots:  uint64(len(h.frameSlots)),
	}
	for i := range h.arenas {
		a := &h.arenas[i]
		st.Arenas = append(st.Arenas, &vm3pb.ArenaStats{Arena: a.number, Live: a.live, Total: a.total()})
		st.Quarantined += uint64(len(a.quarantine))
		st.Pinned += a.pinned
	}
	return st
}
