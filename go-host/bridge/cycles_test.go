package bridge_test

import (
	"context"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vm3-bridge/vm3/go-host/bridge"
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

// cycleCallback is a host value: m1's captures the Ref of its struct.
type cycleCallback struct {
	ref *vm3.Ref
	n   int64
}

type cycleCounts struct {
	allocated, cleaned atomic.Int64
}

func cycleHost(m1 bool, counts *cycleCounts) map[string]bridge.HostFunc {
	return map[string]bridge.HostFunc{
		"callback": {Sig: "(struct) -> host", Fn: func(_ *bridge.HostCall, args []any) (any, error) {
			cb := &cycleCallback{n: counts.allocated.Add(1)}
			if m1 {
				cb.ref = args[0].(*vm3.Ref)
			}
			runtime.AddCleanup(cb, func(c *cycleCounts) { c.cleaned.Add(1) }, counts)
			return cb, nil
		}},
		"invoke": {Sig: "(host) -> i64", Fn: func(_ *bridge.HostCall, args []any) (any, error) {
			// m1's callback answers through its Ref (its struct's n field, 0
			// for the first), m0's plainly; both 1.
			cb := args[0].(*cycleCallback)
			if cb.ref == nil {
				return int64(1), nil
			}
			n, err := cb.ref.Heap().StructGet(cb.ref.Cell(), 1)
			if err != nil {
				return nil, err
			}
			v, err := n.Decode()
			return v.Int + 1, err
		}},
	}
}

// settle runs Go's collector until the cleanups stop arriving (cleanups
// run on another goroutine, some time after the collection that found
// their objects unreachable), then collects the heap.
func settle(h *vm3.Heap, counts *cycleCounts) {
	for range 2 {
		last, still := counts.cleaned.Load(), 0
		for deadline := time.Now().Add(10 * time.Second); still < 3 && time.Now().Before(deadline); {
			runtime.GC()
			time.Sleep(5 * time.Millisecond)
			if n := counts.cleaned.Load(); n == last {
				still++
			} else {
				last, still = n, 0
			}
		}
		h.Collect()
	}
}

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
			counts := &cycleCounts{}
			m, err := bridge.Compile(context.Background(), wasm, bridge.Options{Host: cycleHost(tc.m1, counts)})
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close(context.Background())
			res, err := m.Run(context.Background(), "main", []int64{n}, vm3.Config{Variant: vm3pb.Variant_AUTO, HostEdges: tc.edges}, bridge.ResultI64)
			if err != nil || res.Trap != nil || res.I64 != 1 {
				t.Fatalf("main(%d): %v, trap %v, result %d", n, err, res.Trap, res.I64)
			}
			settle(res.Heap, counts)
			live, st := res.Heap.LiveSlots(), res.Heap.EdgeStats()
			t.Logf("N=%d %s %s: %d callbacks allocated, %d cleaned up, %d live slots after, peak %d live, edges %+v",
				n, mode, tc.edges, counts.allocated.Load(), counts.cleaned.Load(), live, res.PeakLiveSlots, st)
			if got := counts.allocated.Load(); got != n {
				t.Fatalf("%d callbacks allocated, want %d", got, n)
			}
			if err := res.Heap.CheckInvariants(); err != nil {
				t.Fatal(err)
			}
			if tc.m1 && tc.edges == vm3.HostEdgesStrong {
				// The baseline leaks every cycle: N structs and N Host slots.
				if live != 2*n || counts.cleaned.Load() != 0 {
					t.Errorf("strong m1: %d live slots, %d callbacks cleaned up; want %d and 0", live, counts.cleaned.Load(), 2*n)
				}
				return
			}
			// Bounded: a few cycles may still wait for a cleanup Go has
			// not run yet, but not a fraction of N.
			if live > n/1000 || counts.cleaned.Load() < n-n/1000 {
				t.Errorf("%s %s: %d live slots, %d of %d callbacks cleaned up; want about 0 and all", mode, tc.edges, live, counts.cleaned.Load(), n)
			}
		})
	}
}
