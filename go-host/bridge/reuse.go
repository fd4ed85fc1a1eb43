package bridge

import (
	"context"
	"fmt"

	"github.com/vm3-bridge/vm3/go-host/vm3"
)

// HeapPolicy is what a reused Instance's heap is when a call starts
// (embedding.md §7.4).
type HeapPolicy int

const (
	// KeepHeap runs the call on the heap as the previous call left it:
	// what that call allocated and the guest left unpinned is garbage to
	// the next collection, since every guest frame is closed when an entry
	// returns (handle-abi.md §10.5).
	KeepHeap HeapPolicy = iota
	// ResetHeap runs the call on a fresh heap made from the Instance's
	// vm3.Config, with vm3_init run on it first: the call sees what a fresh
	// instance sees.
	ResetHeap
)

func (p HeapPolicy) String() string {
	switch p {
	case KeepHeap:
		return "keep"
	case ResetHeap:
		return "reset"
	}
	return fmt.Sprintf("HeapPolicy(%d)", int(p))
}

// ParseHeapPolicy reads "keep" or "reset".
func ParseHeapPolicy(s string) (HeapPolicy, error) {
	switch s {
	case "keep":
		return KeepHeap, nil
	case "reset":
		return ResetHeap, nil
	}
	return 0, fmt.Errorf("heap policy %q: want keep or reset", s)
}

// Run calls entry(args…) on this instance and reads its result as want
// says, as Module.Run does, but without instantiating: compile once,
// Instantiate once, then Run as often as the embedder calls the program
// (embedding.md §7.4). policy says which heap the call runs on.
//
// A trap is a Result with Trap set, and the instance stays usable: the
// frames and scopes the call opened are closed, so nothing the trapped call
// rooted stays alive. Result.PeakLiveSlots is the most slots alive at once
// during this call (under ResetHeap, vm3_init's included) and Result.Heap
// the heap it ran on. Any error other than a usage error (ErrEntry,
// ErrReentry) — a context that ended, an engine trap outside the ABI —
// closes the instance: wazero has closed a module whose context ended, and
// after an engine fault nothing says the guest's state is sound. A host
// function calling Run on its own instance gets ErrReentry.
func (inst *Instance) Run(ctx context.Context, entry string, args []int64, want ResultType, policy HeapPolicy) (Result, error) {
	if inst.closed.Load() {
		return Result{}, ErrClosed
	}
	if inst.r.inHost > 0 {
		return Result{}, fmt.Errorf("%w (Run of %s called during a host call)", ErrReentry, entry)
	}
	kind, err := inst.m.entryResult(entry, len(args), want)
	if err != nil {
		return Result{}, err
	}
	switch policy {
	case KeepHeap:
		inst.r.peak = inst.r.heap.LiveSlots()
	case ResetHeap:
		inst.r.heap, inst.r.peak = vm3.NewHeap(inst.cfg), 0
		trap, err := inst.Call(ctx, "vm3_init", make([]uint64, 0))
		if err != nil {
			inst.Close(ctx)
			return Result{}, fmt.Errorf("bridge: vm3_init: %w", err)
		}
		if trap != nil {
			// The next ResetHeap call starts on a fresh heap again; a
			// KeepHeap one would find the constants half made.
			res := inst.result()
			res.Trap = trap
			return res, nil
		}
	default:
		return Result{}, fmt.Errorf("%w: unknown heap policy %v", ErrEntry, policy)
	}
	res, err := inst.runEntry(ctx, entry, kind, args, true)
	if err != nil {
		inst.Close(ctx)
	}
	return res, err
}
