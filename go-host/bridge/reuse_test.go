package bridge

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

var policies = []HeapPolicy{KeepHeap, ResetHeap}

// openInstance compiles wasm and instantiates it on an AUTO heap, closed at
// the test's end.
func openInstance(t testing.TB, wasm []byte, cfg vm3.Config) *Instance {
	t.Helper()
	m := compile(t, wasm, Options{})
	inst, res, err := m.Instantiate(context.Background(), cfg)
	if err != nil || res.Trap != nil {
		t.Fatalf("instantiate: %v %v", err, res.Trap)
	}
	t.Cleanup(func() { inst.Close(context.Background()) })
	return inst
}

// Reused instances (embedding.md §7.4): every program vector, run in file
// order on one Instance per program and policy, gives what a fresh
// Module.Run gives, and leaves no frame or scope open, trap or not.
func TestReusedInstanceVectors(t *testing.T) {
	ctx := context.Background()
	insts := map[string]*Instance{}
	for _, v := range programVectors(t) {
		if _, timeout := v.GetExpect().GetOutcome().(*vm3pb.ProgramExpect_Timeout); timeout {
			continue // a time limit closes the instance: TestReusedInstanceClosedByTimeout
		}
		entry, kind, err := ProgramEntry(programIR(t, v.GetProgram()), v.GetEntry())
		if err != nil {
			t.Fatalf("%s: %v", v.GetName(), err)
		}
		for _, policy := range policies {
			key := v.GetProgram() + " " + policy.String()
			inst := insts[key]
			if inst == nil {
				inst = openInstance(t, programWasm(t, v.GetProgram()), vm3.Config{Variant: vm3pb.Variant_AUTO})
				insts[key] = inst
			}
			res, err := inst.Run(ctx, entry, v.GetArgs(), kind, policy)
			if err != nil {
				t.Fatalf("%s (%v): %v", v.GetName(), policy, err)
			}
			if msg := judge(res, v.GetExpect()); msg != "" {
				t.Errorf("%s (%v, on a reused instance): %s", v.GetName(), policy, msg)
			}
			if f, s := res.Heap.OpenFrames(), res.Heap.OpenScopes(); f != 0 || s != 0 {
				t.Errorf("%s (%v): %d frames and %d scopes open after the call", v.GetName(), policy, f, s)
			}
			if err := res.Heap.CheckInvariants(); err != nil {
				t.Errorf("%s (%v): heap invariants: %v", v.GetName(), policy, err)
			}
		}
	}
}

// Under KeepHeap the garbage of one call is the next one's to collect: 30
// calls of binary_trees leave, after a collection, exactly the slots
// vm3_init left (its pinned string constants). A call that traps
// OUT_OF_MEMORY deep in make's recursion, its frames rooting a half-built
// tree, leaves none of it behind either.
func TestReusedInstanceKeepsHeapBounded(t *testing.T) {
	ctx := context.Background()
	inst := openInstance(t, programWasm(t, "heap/binary_trees.ir"), vm3.Config{Variant: vm3pb.Variant_AUTO, MaxSlotsPerArena: 5000})
	heap, _ := inst.Heap()
	heap.Collect()
	base := heap.LiveSlots()
	settled := func(what string) {
		t.Helper()
		if f, s := heap.OpenFrames(), heap.OpenScopes(); f != 0 || s != 0 {
			t.Fatalf("%s: %d frames and %d scopes open", what, f, s)
		}
		heap.Collect()
		if live := heap.LiveSlots(); live != base {
			t.Fatalf("%s: %d slots live after a collection, want vm3_init's %d", what, live, base)
		}
	}
	for k := range 30 {
		res, err := inst.Run(ctx, "binary_trees", []int64{8}, ResultI64, KeepHeap)
		if err != nil || res.Trap != nil || res.Heap != heap {
			t.Fatalf("call %d: %s, %v (same heap: %v)", k, res.Text(), err, res.Heap == heap)
		}
		settled("after a call")
	}
	res, err := inst.Run(ctx, "binary_trees", []int64{12}, ResultI64, KeepHeap)
	if err != nil || res.Trap == nil || res.Trap.Code != vm3pb.TrapCode_OUT_OF_MEMORY {
		t.Fatalf("want OUT_OF_MEMORY at 5,000 struct slots, got %s, %v", res.Text(), err)
	}
	if res.PeakLiveSlots <= 4000 {
		t.Fatalf("the trapped call peaked at %d slots: it did not fill the heap", res.PeakLiveSlots)
	}
	settled("after the trap")
	res, err = inst.Run(ctx, "binary_trees", []int64{6}, ResultI64, KeepHeap)
	if err != nil || res.Trap != nil {
		t.Fatalf("after the trap: %s, %v", res.Text(), err)
	}
}

// An ended context closes the instance (wazero closed its module); the
// next Run is ErrClosed, and the Module runs a new instance.
func TestReusedInstanceClosedByTimeout(t *testing.T) {
	m := compile(t, programWasm(t, "runaway/runaway.ir"), Options{})
	inst, _, err := m.Instantiate(context.Background(), vm3.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := inst.Run(ctx, "spin", []int64{0}, ResultAuto, KeepHeap); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want a deadline error, got %v", err)
	}
	if _, err := inst.Run(context.Background(), "finite", []int64{10}, ResultAuto, KeepHeap); !errors.Is(err, ErrClosed) {
		t.Fatalf("after the timeout: want ErrClosed, got %v", err)
	}
	again, _, err := m.Instantiate(context.Background(), vm3.Config{})
	if err != nil {
		t.Fatal(err)
	}
	again.Close(context.Background())
}

// The fixed cost of one call on a reused instance (`vm3-go bench --reuse
// keep --calls N` prints it too): sum_loop(1) does almost nothing.
func BenchmarkReusedCall(b *testing.B) {
	for _, policy := range policies {
		b.Run(policy.String(), func(b *testing.B) {
			inst := openInstance(b, programWasm(b, "corpus/sum_loop.ir"), vm3.Config{Variant: vm3pb.Variant_AUTO})
			ctx := context.Background()
			for b.Loop() {
				if _, err := inst.Run(ctx, "sum_loop", []int64{1}, ResultI64, policy); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A program compiled once, instantiated once and called three times on the
// heap it keeps; the trap in the middle leaves the instance usable.
func ExampleInstance_Run() {
	ctx := context.Background()
	wasm, err := os.ReadFile("testdata/programs/heap/binary_trees.wasm")
	if err != nil {
		panic(err)
	}
	m, err := Compile(ctx, wasm, Options{})
	if err != nil {
		panic(err)
	}
	defer m.Close(ctx)
	inst, _, err := m.Instantiate(ctx, vm3.Config{Variant: vm3pb.Variant_AUTO, MaxSlotsPerArena: 5000})
	if err != nil {
		panic(err)
	}
	defer inst.Close(ctx)
	for _, depth := range []int64{6, 12, 7} {
		res, err := inst.Run(ctx, "binary_trees", []int64{depth}, ResultI64, KeepHeap)
		if err != nil {
			panic(err)
		}
		fmt.Printf("binary_trees(%d): %s\n", depth, res.Text())
	}
	// Output:
	// binary_trees(6): 4398
	// binary_trees(12): trap OUT_OF_MEMORY (code 8)
	// binary_trees(7): 8798
}
