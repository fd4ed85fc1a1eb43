package bridge

// Benchmarks of the bridge (run: go test ./go-host/bridge -run '^$' -bench .):
//
//   - BenchmarkImport/*: one import through wazero, from a guest loop that
//     calls it b.N times in one Wasm call, so ns/op is the cost of one
//     crossing plus the heap operation (the loop adds about a nanosecond).
//     BenchmarkHeap/* is the same heap operation called from Go, for the
//     crossing's share.
//   - BenchmarkPrograms/NAME/{bridge,go}: a whole run of a kernel program
//     (compile once; each op is a fresh instance and heap, vm3_init and the
//     entry) against the plain Go kernel of go-host/bridge/kernels.
//     TestProgramsTable (VM3_BENCH_TABLE=1) prints the same as a table with
//     the ratios.

import (
	"context"
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	"github.com/vm3-bridge/vm3/go-host/bridge/kernels"
	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// loopModule exports loop_NAME(c, n): n times NAME(c, 0) (or NAME(c) for a
// one-argument import), results dropped.
func loopModule() []byte {
	names := []string{"list_get", "struct_get", "list_len", "f64arr_get", "i64arr_get", "str_len", "list_set", "map_get"}
	g := newGuest(append(names, "list_new", "struct_new", "f64arr_new", "i64arr_new", "map_new", "frame_root", "frame_enter")...)
	for _, name := range names {
		t := importType(name)
		call := code(nil).LocalGet(0)
		switch len(t.Params) {
		case 2:
			if name == "map_get" {
				call = call.I64Const(bits(vm3.Cell(0xFFFF_C000_0000_0000))) // key: the SmallInt 0
			} else {
				call = call.I64Const(0)
			}
		case 3:
			call = call.I64Const(0).LocalGet(0)
		}
		call = call.Op(g.call(name)...)
		if len(t.Results) == 1 {
			call = call.Drop()
		}
		g.entry("loop_"+name, sig(vts(I64, I64)), nil, code(nil).
			Block().Loop().
			LocalGet(1).Op(0x50).BrIf(1).
			Op(call...).
			LocalGet(1).I64Const(1).Op(0x7D).LocalSet(1).
			Br(0).End().End())
	}
	// loop_frame_root(c, n): a frame of one slot, n frame_root calls.
	g.entry("loop_frame_root", sig(vts(I64, I64)), vts(I32), code(nil).
		I32Const(1).Call(g.imp["frame_enter"]).LocalSet(2).
		Block().Loop().
		LocalGet(1).Op(0x50).BrIf(1).
		LocalGet(2).I32Const(0).LocalGet(0).Call(g.imp["frame_root"]).
		LocalGet(1).I64Const(1).Op(0x7D).LocalSet(1).
		Br(0).End().End())
	// loop_list_new(c, n): n list_new(1) calls (MINIMAL: nothing collects).
	g.entry("loop_list_new", sig(vts(I64, I64)), nil, code(nil).
		Block().Loop().
		LocalGet(1).Op(0x50).BrIf(1).
		I64Const(1).Call(g.imp["list_new"]).Drop().
		LocalGet(1).I64Const(1).Op(0x7D).LocalSet(1).
		Br(0).End().End())
	return g.bytes()
}

// benchTarget makes the object each loop works on.
func benchTarget(b *testing.B, h *vm3.Heap, name string) vm3.Cell {
	var c vm3.Cell
	var err error
	switch name {
	case "list_get", "list_len", "list_set", "frame_root", "list_new":
		c, err = h.ListNew(4)
	case "struct_get":
		c, err = h.StructNew(4)
	case "f64arr_get":
		c, err = h.F64ArrNew(4)
	case "i64arr_get":
		c, err = h.I64ArrNew(4)
	case "str_len":
		c, err = h.StrNewString("abcd")
	case "map_get":
		c, err = h.MapNew()
	}
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkImport(b *testing.B) {
	for _, e := range engines {
		m := compile(b, loopModule(), e.opts)
		for _, name := range []string{"list_get", "struct_get", "list_len", "list_set", "f64arr_get", "i64arr_get", "str_len", "map_get", "frame_root", "list_new"} {
			b.Run(e.name+"/"+name, func(b *testing.B) {
				ctx := context.Background()
				inst, _, err := m.Instantiate(ctx, vm3.Config{})
				if err != nil {
					b.Fatal(err)
				}
				defer inst.Close(ctx)
				c := benchTarget(b, mustHeap(b, inst), name)
				stack := []uint64{uint64(c), uint64(b.N)}
				b.ResetTimer()
				trap, err := inst.Call(ctx, "loop_"+name, stack)
				if err != nil || trap != nil {
					b.Fatal(trap, err)
				}
			})
		}
	}
}

// BenchmarkHeap is the heap operations of BenchmarkImport called from Go.
func BenchmarkHeap(b *testing.B) {
	h := vm3.NewHeap(vm3.Config{})
	l, _ := h.ListNew(4)
	s, _ := h.StructNew(4)
	b.Run("list_get", func(b *testing.B) {
		for b.Loop() {
			if _, err := h.ListGet(l, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("struct_get", func(b *testing.B) {
		for b.Loop() {
			if _, err := h.StructGet(s, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchKernel is a program benchmark: its module, entry, n and Go kernel.
type benchKernel struct {
	name, program string
	n             int64
	cfg           vm3.Config
	goI64         func(int64) int64
	goF64         func(int64) float64
	// note says why the run differs from the program vectors' (AUTO).
	note string
}

var benchKernels = []benchKernel{
	{name: "binary_trees", program: "heap/binary_trees.ir", n: 14, cfg: vm3.Config{Variant: vm3pb.Variant_AUTO}, goI64: kernels.BinaryTrees},
	{name: "lists_fill_sum", program: "corpus/lists_fill_sum.ir", n: 3_000_000, cfg: vm3.Config{Variant: vm3pb.Variant_AUTO}, goI64: kernels.ListsFillSum},
	{name: "n_body", program: "corpus/n_body.ir", n: 1_000_000, cfg: vm3.Config{Variant: vm3pb.Variant_AUTO}, goF64: kernels.NBody},
	{name: "nsieve", program: "corpus/nsieve.ir", n: 3_000_000, cfg: vm3.Config{Variant: vm3pb.Variant_AUTO}, goI64: kernels.NSieve},
	{name: "mandelbrot", program: "corpus/mandelbrot.ir", n: 1500, cfg: vm3.Config{Variant: vm3pb.Variant_AUTO}, goI64: kernels.Mandelbrot},
}

// runKernel runs k once through the bridge and checks it against the Go
// kernel's result.
func runKernel(tb testing.TB, m *Module, k benchKernel, want string) {
	entry, kind, err := ProgramEntry(programIR(tb, k.program), "")
	if err != nil {
		tb.Fatal(err)
	}
	res, err := m.Run(context.Background(), entry, []int64{k.n}, k.cfg, kind)
	if err != nil {
		tb.Fatal(err)
	}
	if got := res.Text(); got != want {
		tb.Fatalf("%s(%d) through the bridge = %s, Go kernel %s", k.name, k.n, got, want)
	}
}

func (k benchKernel) goResult() string {
	if k.goF64 != nil {
		return FormatF64(math.Float64bits(k.goF64(k.n)))
	}
	return fmt.Sprint(k.goI64(k.n))
}

func BenchmarkPrograms(b *testing.B) {
	for _, k := range benchKernels {
		want := k.goResult()
		b.Run(k.name+"/bridge", func(b *testing.B) {
			m := compile(b, programWasm(b, k.program), Options{})
			for b.Loop() {
				runKernel(b, m, k, want)
			}
		})
		b.Run(k.name+"/go", func(b *testing.B) {
			for b.Loop() {
				if got := k.goResult(); got != want {
					b.Fatal(got)
				}
			}
		})
	}
}

// TestProgramsTable prints BenchmarkPrograms as a table with the bridge's
// ratio to plain Go: VM3_BENCH_TABLE=1 go test ./go-host/bridge -run ProgramsTable -v
func TestProgramsTable(t *testing.T) {
	if os.Getenv("VM3_BENCH_TABLE") == "" {
		t.Skip("set VM3_BENCH_TABLE=1 to time the kernel programs")
	}
	t.Logf("%-15s %9s %12s %12s %7s  %s", "program", "n", "bridge", "go", "ratio", "")
	for _, k := range benchKernels {
		want := k.goResult()
		m := compile(t, programWasm(t, k.program), Options{})
		bridge := testing.Benchmark(func(b *testing.B) {
			for b.Loop() {
				runKernel(b, m, k, want)
			}
		})
		plain := testing.Benchmark(func(b *testing.B) {
			for b.Loop() {
				k.goResult()
			}
		})
		bt, gt := time.Duration(bridge.NsPerOp()), time.Duration(plain.NsPerOp())
		t.Logf("%-15s %9d %12v %12v %6.1fx  %s", k.name, k.n, bt.Round(time.Microsecond), gt.Round(time.Microsecond), float64(bt)/float64(gt), k.note)
	}
}
