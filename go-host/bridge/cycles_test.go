package bridge_test

import (
	"context"
	"os"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/bridge"
	"github.com/vm3-bridge/vm3/go-host/testee"
	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Igalia's m0/m1 on the Go heap (DESIGN §12, collection.md §4.7) through
// the bridge with real host functions: testdata/programs/cycles/cycles.wasm
// (compiler3-emit/bench/cycles/cycles.ir, testdata/regen.ts) makes N
// structs, each given a callback by the host function @callback, which
// receives the struct as a *vm3.Ref; in m1 the callback captures that Ref
// (struct → Host slot → callback → Ref → struct, a cycle through both
// heaps), in m0 it captures nothing and the Ref is dropped. After the run,
// Go and heap collections; the weak design (the default) must free the m1
// cycles, the strong one (HostEdgesStrong) keeps every one: 2N live slots.
// `vm3-go bench-cycles` measures the same at any N.

func TestCyclesM0M1(t *testing.T) {
	const n = 100_000
	wasm, err := os.ReadFile("testdata/programs/cycles/cycles.wasm")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		edges vm3.HostEdges
		m1    bool
	}{{vm3.HostEdgesWeak, true}, {vm3.HostEdgesStrong, true}, {vm3.HostEdgesWeak, false}, {vm3.HostEdgesStrong, false}} {
		mode := "m0"
		if tc.m1 {
			mode = "m1"
		}
		t.Run(mode+"/"+tc.edges.String(), func(t *testing.T) {
			counts := &testee.CycleCounts{}
			m, err := bridge.Compile(context.Background(), wasm, bridge.Options{Host: testee.CyclesHost(tc.m1, counts)})
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close(context.Background())
			res, err := m.Run(context.Background(), "main", []int64{n}, vm3.Config{Variant: vm3pb.Variant_AUTO, HostEdges: tc.edges}, bridge.ResultI64)
			if err != nil || res.Trap != nil || res.I64 != 1 {
				t.Fatalf("main(%d): %v, trap %v, result %d", n, err, res.Trap, res.I64)
			}
			testee.SettleCycles(res.Heap, counts)
			live, st := res.Heap.LiveSlots(), res.Heap.EdgeStats()
			t.Logf("N=%d %s %s: %d callbacks allocated, %d cleaned up, %d live slots after, peak %d live, edges %+v",
				n, mode, tc.edges, counts.Allocated.Load(), counts.Cleaned.Load(), live, res.PeakLiveSlots, st)
			if got := counts.Allocated.Load(); got != n {
				t.Fatalf("%d callbacks allocated, want %d", got, n)
			}
			if err := res.Heap.CheckInvariants(); err != nil {
				t.Fatal(err)
			}
			if tc.m1 && tc.edges == vm3.HostEdgesStrong {
				// The baseline leaks every cycle: N structs and N Host slots.
				if live != 2*n || counts.Cleaned.Load() != 0 {
					t.Errorf("strong m1: %d live slots, %d callbacks cleaned up; want %d and 0", live, counts.Cleaned.Load(), 2*n)
				}
				return
			}
			// Bounded: a few cycles may still wait for a cleanup Go has
			// not run yet, but not a fraction of N.
			if live > n/1000 || counts.Cleaned.Load() < n-n/1000 {
				t.Errorf("%s %s: %d live slots, %d of %d callbacks cleaned up; want about 0 and all", mode, tc.edges, live, counts.Cleaned.Load(), n)
			}
		})
	}
}
