package bridge

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3"
)

// mustHeap is inst.Heap() of an open instance.
func mustHeap(t testing.TB, inst *Instance) *vm3.Heap {
	t.Helper()
	h, err := inst.Heap()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

var errorf = fmt.Errorf

// TestClosedInstance: after Close every method of an Instance returns
// ErrClosed and touches no heap, even while the Module runs other
// instances. Eight goroutines hammer closed instances (Call of an
// allocating export and of one that reads a list, Heap, PeakLiveSlots, Close) while four
// others run correct programs on the same Module; under -race this reports
// no race, and every correct run gives its right answer. Before ErrClosed,
// a closed instance's Call ran its closed module against whichever run's
// heap was current.
func TestClosedInstance(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			m := compile(t, valuesModule(), e.opts)
			var closed []*Instance
			for k := 0; k < 4; k++ {
				inst, _, err := m.Instantiate(ctx, vm3.Config{})
				if err != nil {
					t.Fatal(err)
				}
				// A list the closed instance's heap holds, for list_len.
				stack := []uint64{3}
				if trap, err := inst.Call(ctx, "list_new", stack); trap != nil || err != nil {
					t.Fatal(trap, err)
				}
				if err := inst.Close(ctx); err != nil {
					t.Fatal(err)
				}
				closed = append(closed, inst)
			}
			const rounds = 200
			var wg sync.WaitGroup
			errs := make(chan error, 64)
			report := func(err error) {
				select {
				case errs <- err:
				default:
				}
			}
			for g := 0; g < 8; g++ {
				wg.Add(1)
				go func(inst *Instance) {
					defer wg.Done()
					for k := 0; k < rounds; k++ {
						stack := []uint64{5, 0}
						if trap, err := inst.Call(ctx, "list_new", stack); trap != nil || !errors.Is(err, ErrClosed) {
							report(errorf("closed Call(list_new): trap %v, err %v", trap, err))
						}
						stack = []uint64{0}
						if trap, err := inst.Call(ctx, "get3", stack); trap != nil || !errors.Is(err, ErrClosed) {
							report(errorf("closed Call(get3): trap %v, err %v", trap, err))
						}
						if h, err := inst.Heap(); h != nil || !errors.Is(err, ErrClosed) {
							report(errorf("closed Heap: %v, %v", h, err))
						}
						if n, err := inst.PeakLiveSlots(); n != 0 || !errors.Is(err, ErrClosed) {
							report(errorf("closed PeakLiveSlots: %d, %v", n, err))
						}
						if err := inst.Close(ctx); !errors.Is(err, ErrClosed) {
							report(errorf("closed Close: %v", err))
						}
					}
				}(closed[g%len(closed)])
			}
			for g := 0; g < 4; g++ {
				wg.Add(1)
				go func(g int) {
					defer wg.Done()
					for k := 0; k < rounds/4; k++ {
						// alloc(n, keep) allocates n lists, keeping them when keep
						// is 1: the peak is n on its own heap, whatever else runs.
						n := int64(10 + g + k%7)
						res, err := m.Run(ctx, "alloc", []int64{n, 1}, vm3.Config{}, ResultAuto)
						if err != nil || res.Trap != nil || res.PeakLiveSlots != uint64(n) || res.Heap.LiveSlots() != uint64(n) {
							report(errorf("alloc(%d, 1): %v %v, peak %d", n, err, res.Trap, res.PeakLiveSlots))
						}
						res, err = m.Run(ctx, "add", []int64{n, int64(g)}, vm3.Config{}, ResultAuto)
						if err != nil || res.Trap != nil || res.I64 != n+int64(g) {
							report(errorf("add(%d, %d) = %s, %v", n, g, res.Text(), err))
						}
					}
				}(g)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}
