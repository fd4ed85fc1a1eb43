package testee

// Igalia's ref-cpp m0/m1 on the Go heap (DESIGN §12, collection.md §4.7):
// the host functions of compiler3-emit/bench/cycles/cycles.ir and the
// settling after a run, shared by `vm3-go bench-cycles` and the bridge's
// TestCyclesM0M1.

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/vm3-bridge/vm3/go-host/bridge"
	"github.com/vm3-bridge/vm3/go-host/vm3"
)

// CycleCounts counts the callbacks made (Allocated) and cleaned up by Go's
// collector (Cleaned, from runtime.AddCleanup on each).
type CycleCounts struct {
	Allocated, Cleaned atomic.Int64
}

// cycleCallback is a callback the host makes; m1's captures the Ref of its
// struct (the cycle through both heaps), m0's nothing.
type cycleCallback struct {
	ref *vm3.Ref
	n   int64
}

// CyclesHost is cycles.ir's host library: @callback(struct<Obj>) -> host
// makes each struct's callback, @invoke(host) -> i64 calls the first one's.
func CyclesHost(m1 bool, counts *CycleCounts) map[string]bridge.HostFunc {
	return map[string]bridge.HostFunc{
		"callback": {Sig: "(struct) -> host", Fn: func(_ *bridge.HostCall, args []any) (any, error) {
			cb := &cycleCallback{n: counts.Allocated.Add(1)}
			if m1 {
				cb.ref, _ = args[0].(*vm3.Ref)
			}
			runtime.AddCleanup(cb, func(c *CycleCounts) { c.Cleaned.Add(1) }, counts)
			return cb, nil
		}},
		// 1 from both: m1's callback reads its struct through its Ref
		// (the first struct's n is 0), m0's answers plainly.
		"invoke": {Sig: "(host) -> i64", Fn: func(_ *bridge.HostCall, args []any) (any, error) {
			cb, ok := args[0].(*cycleCallback)
			if !ok {
				return nil, fmt.Errorf("not a callback: %T", args[0])
			}
			if cb.ref == nil {
				return int64(1), nil
			}
			c, err := cb.ref.Heap().StructGet(cb.ref.Cell(), 1)
			if err != nil {
				return nil, err
			}
			v, err := c.Decode()
			return v.Int + 1, err
		}},
	}
}

// SettleCycles runs Go's collector until the callbacks' cleanups stop
// arriving (cleanups run on another goroutine, some time after the
// collection that found their objects unreachable; the Refs' cleanups
// queue their unpins the same way), then collects the heap; twice, so what
// the first heap collection freed from the Refs' cycles is counted too.
func SettleCycles(h *vm3.Heap, counts *CycleCounts) {
	for range 2 {
		last, still := counts.Cleaned.Load(), 0
		for deadline := time.Now().Add(30 * time.Second); still < 3 && time.Now().Before(deadline); {
			runtime.GC()
			time.Sleep(5 * time.Millisecond)
			if c := counts.Cleaned.Load(); c == last {
				still++
			} else {
				last, still = c, 0
			}
		}
		h.Collect()
	}
}
