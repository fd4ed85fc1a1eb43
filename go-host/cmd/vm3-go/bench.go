package main

// vm3-go bench: timings for the benchmarks of compiler3-emit/bench
// (programs.bench.ts, ops.bench.ts, roots.bench.ts), printed as JSON lines
// for the TypeScript side to read.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/vm3-bridge/vm3/go-host/bridge"
	"github.com/vm3-bridge/vm3/go-host/bridge/kernels"
	"github.com/vm3-bridge/vm3/go-host/vm3"
)

const benchUsage = `usage: vm3-go bench MODULE.wasm --entry NAME [--result TYPE] [--program PROG]
                    [--plain-go KERNEL] [--rounds N] [--warmup N]
                    [--variant auto|minimal|stub] [--max-slots N] [--max-bytes N]
                    [--reuse keep|reset] [--calls N]
                    [--interpreter] [--uninterruptible] [--host conformance] [-- ARGS…]
       vm3-go bench --plain-go KERNEL [--rounds N] [--warmup N] [-- N]
       vm3-go bench --heap-op OP [--rounds N] [--warmup N] [--variant V] [-- COUNT]

Times runs and prints one JSON object per line on stdout, for a benchmark
to read (compiler3-emit/bench/*.bench.ts). Nothing is compared here: each
line carries the run's result, and the reader checks it.

With MODULE.wasm: the module is compiled once (the first line,
{"compiled":…,"compile_ms":…,"engine":…}); every run is then a fresh
instance on a fresh heap — instantiation, vm3_init and NAME(ARGS…), all in
its time, as 'vm3-go run' runs it. Each run's line:
  {"run":"wazero","round":R,"warmup":W,"ms":T,"result":V,
   "peak_live_slots":P,"live_slots":L,"collections":C,"slots_freed":F,
   "heap_bytes":B}
where V is {"type":"i64","i64":"N"}, {"type":"f64","bits":"0x…"} (the
canonical NaN for every NaN), {"type":"bool","bool":B}, {"type":"str",
"str":S}, {"type":"unit"} or {"trap":"NAME","code":N,"op":OP,
"detail":TEXT}. The heap counters are the run's heap after it (after a
trap: as the trapping operation left it); slots allocated = slots_freed +
live_slots.

With --reuse keep|reset, the module is also instantiated once (a line
{"instantiated":…,"instantiate_ms":…}, vm3_init included) and every run is
a call of NAME(ARGS…) on that one instance (embedding.md §7.4): keep runs
it on the heap the previous call left, reset on a fresh heap with vm3_init
run again, both in the run's time. peak_live_slots is then the call's own
peak. --calls N (default 1) makes each timed run N calls (N fresh runs
without --reuse), its line then also carrying "calls":N and "us_per_call":
the per-call cost of a short entry is what this measures.

The last line, where the platform reports it, is {"peak_rss_mib":N}: the
process's peak resident set size (getrusage), every run's included.

With --plain-go KERNEL: the plain Go kernel of go-host/bridge/kernels
(binary_trees, lists_fill_sum, n_body, nsieve, mandelbrot) at n = the one
argument, as {"run":"go",…,"result":V} lines. Given with MODULE.wasm, both
run in every round, alternating which goes first (even rounds the module).

With --heap-op OP: COUNT calls of one Go vm3.Heap operation (list_get or
struct_get on a list or struct of 4 made beforehand, or struct_new(2, 0)),
on a heap made from --variant (default auto), as {"run":"heap",…,
"ops":COUNT,"ns_per_op":X} lines.

Every timed run starts after runtime.GC(). --warmup runs (default 1) come
first, reported with "warmup":true; then --rounds runs (default 5).

  --entry NAME       the function to run (default: the program's entry,
                     with --program)
  --result TYPE      i64, f64, bool, str or unit (default as 'vm3-go run')
  --program PROG     the IR program as .json or .pb (as 'vm3-go run')
  --plain-go KERNEL  time the plain Go kernel (see above)
  --heap-op OP       time a Go heap operation (see above)
  --rounds N         timed runs (default 5)
  --warmup N         untimed-for-the-median runs before them (default 1)
  --reuse POLICY     keep or reset: time calls on one instance (see above)
  --calls N          calls per timed run (default 1)
  --variant V, --max-slots N, --max-bytes N, --interpreter,
  --uninterruptible, --host conformance  as 'vm3-go run'

Exit status: 0 every run finished (a trap is a result, not a failure),
1 failed (invalid module, engine error), 2 usage error.
`

type benchOptions struct {
	moduleFlags
	plainGo, heapOp string
	rounds, warmup  int
	// reuse is --reuse: the heap policy of calls on one instance; nil
	// times fresh runs.
	reuse *bridge.HeapPolicy
	calls int
}

var goKernels = map[string]func(int64) bridge.Result{
	"binary_trees":   func(n int64) bridge.Result { return i64Result(kernels.BinaryTrees(n)) },
	"lists_fill_sum": func(n int64) bridge.Result { return i64Result(kernels.ListsFillSum(n)) },
	"n_body":         func(n int64) bridge.Result { return f64Result(kernels.NBody(n)) },
	"nsieve":         func(n int64) bridge.Result { return i64Result(kernels.NSieve(n)) },
	"mandelbrot":     func(n int64) bridge.Result { return i64Result(kernels.Mandelbrot(n)) },
}

var heapOps = []string{"list_get", "struct_get", "struct_new"}

func i64Result(x int64) bridge.Result { return bridge.Result{Type: bridge.ResultI64, I64: x} }

func f64Result(x float64) bridge.Result {
	b := math.Float64bits(x)
	if x != x {
		b = bridge.CanonicalNaN
	}
	return bridge.Result{Type: bridge.ResultF64, F64Bits: b}
}

func benchCLI(argv []string, stdout, stderr io.Writer) int {
	o, err := parseBench(argv)
	if errors.Is(err, errHelp) {
		fmt.Fprint(stdout, benchUsage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "vm3-go bench: %s\nRun 'vm3-go bench --help' for usage.\n", err)
		return 2
	}
	return runBench(o, stdout, stderr)
}

func parseBench(argv []string) (*benchOptions, error) {
	o := &benchOptions{moduleFlags: newModuleFlags(), rounds: 5, warmup: 1, calls: 1}
	positional, err := scanFlags(argv,
		func(name string) bool { return name == "interpreter" || name == "uninterruptible" },
		func(name, value string) (bool, error) {
			var err error
			switch name {
			case "interpreter":
				o.interpreter = true
			case "uninterruptible":
				o.uninterruptible = true
			case "plain-go":
				if _, ok := goKernels[value]; !ok {
					err = fmt.Errorf("no such kernel (kernels: binary_trees, lists_fill_sum, n_body, nsieve, mandelbrot)")
				}
				o.plainGo = value
			case "heap-op":
				ok := false
				for _, op := range heapOps {
					ok = ok || op == value
				}
				if !ok {
					err = fmt.Errorf("want one of %s", strings.Join(heapOps, ", "))
				}
				o.heapOp = value
			case "reuse":
				var p bridge.HeapPolicy
				p, err = bridge.ParseHeapPolicy(value)
				o.reuse = &p
			case "rounds", "warmup", "calls":
				var n int
				n, err = strconv.Atoi(value)
				if err == nil && n < 0 {
					err = errors.New("negative")
				}
				switch name {
				case "rounds":
					o.rounds = n
				case "warmup":
					o.warmup = n
				default:
					if err == nil && n == 0 {
						err = errors.New("want at least 1")
					}
					o.calls = n
				}
			default:
				return o.set(name, value)
			}
			return true, err
		})
	if err != nil {
		return nil, err
	}
	if o.heapOp == "" && o.plainGo == "" || len(positional) > 0 && strings.HasSuffix(positional[0], ".wasm") {
		if len(positional) == 0 {
			return nil, errors.New("missing MODULE.wasm (or --plain-go KERNEL, or --heap-op OP)")
		}
		o.module, positional = positional[0], positional[1:]
	}
	if err := o.parseArgs(positional); err != nil {
		return nil, err
	}
	switch {
	case o.heapOp != "" && (o.module != "" || o.plainGo != ""):
		return nil, errors.New("--heap-op times a heap operation alone: no MODULE.wasm or --plain-go with it")
	case o.heapOp != "" && len(o.args) != 1:
		return nil, errors.New("--heap-op needs one argument, the operation count")
	case o.plainGo != "" && len(o.args) != 1:
		return nil, fmt.Errorf("--plain-go %s needs one argument, n (got %d)", o.plainGo, len(o.args))
	case o.module != "" && o.entry == "" && o.program == "":
		return nil, errors.New("--entry NAME is required without --program")
	case o.module == "" && (o.reuse != nil || o.calls != 1):
		return nil, errors.New("--reuse and --calls time a module's calls: give MODULE.wasm")
	}
	return o, nil
}

// benchLine is one line of output; zero fields are left out.
type benchLine struct {
	Compiled      string         `json:"compiled,omitempty"`
	Instantiated  string         `json:"instantiated,omitempty"`
	InstantiateMs *float64       `json:"instantiate_ms,omitempty"`
	Engine        string         `json:"engine,omitempty"`
	CompileMs     *float64       `json:"compile_ms,omitempty"`
	Run           string         `json:"run,omitempty"`
	Round         *int           `json:"round,omitempty"`
	Warmup        bool           `json:"warmup,omitempty"`
	Ms            *float64       `json:"ms,omitempty"`
	Result        map[string]any `json:"result,omitempty"`
	PeakLiveSlots *uint64        `json:"peak_live_slots,omitempty"`
	LiveSlots     *uint64        `json:"live_slots,omitempty"`
	Collections   *uint64        `json:"collections,omitempty"`
	SlotsFreed    *uint64        `json:"slots_freed,omitempty"`
	HeapBytes     *uint64        `json:"heap_bytes,omitempty"`
	PeakRSSMiB    *int64         `json:"peak_rss_mib,omitempty"`
	Calls         int            `json:"calls,omitempty"`
	UsPerCall     *float64       `json:"us_per_call,omitempty"`
	Ops           int64          `json:"ops,omitempty"`
	NsPerOp       *float64       `json:"ns_per_op,omitempty"`
}

func ptr[T any](v T) *T { return &v }

func ms(d time.Duration) *float64 { return ptr(float64(d.Nanoseconds()) / 1e6) }

// resultJSON is a result (or trap) as the JSON lines carry it.
func resultJSON(r bridge.Result) map[string]any {
	if t := r.Trap; t != nil {
		return map[string]any{"trap": t.Code.String(), "code": int32(t.Code), "op": t.Op, "detail": t.Detail}
	}
	switch r.Type {
	case bridge.ResultI64:
		return map[string]any{"type": "i64", "i64": strconv.FormatInt(r.I64, 10)}
	case bridge.ResultF64:
		return map[string]any{"type": "f64", "bits": fmt.Sprintf("0x%016x", r.F64Bits)}
	case bridge.ResultBool:
		return map[string]any{"type": "bool", "bool": r.Bool}
	case bridge.ResultStr:
		return map[string]any{"type": "str", "str": r.Str}
	}
	return map[string]any{"type": "unit"}
}

func runBench(o *benchOptions, stdout, stderr io.Writer) int {
	enc := json.NewEncoder(stdout)
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "vm3-go bench: "+format+"\n", args...)
		return 1
	}
	if o.heapOp != "" {
		for round := 0; round < o.warmup+o.rounds; round++ {
			d, err := timeHeapOp(o.heapOp, o.args[0], o.cfg)
			if err != nil {
				return fail("%s: %v", o.heapOp, err)
			}
			enc.Encode(benchLine{Run: "heap", Round: ptr(round - o.warmup), Warmup: round < o.warmup, Ms: ms(d),
				Ops: o.args[0], NsPerOp: ptr(float64(d.Nanoseconds()) / float64(max(o.args[0], 1)))})
		}
		return 0
	}

	ctx := context.Background()
	var m *bridge.Module
	entry, result := o.entry, o.result
	if o.module != "" {
		var bad string
		if entry, result, bad = entryAndResult(o.program, o.entry, o.result, o.resultSet); bad != "" {
			return usageError(stderr, bad)
		}
		wasm, err := os.ReadFile(o.module)
		if err != nil {
			return fail("%v", err)
		}
		t0 := time.Now()
		m, err = bridge.Compile(ctx, wasm, o.options())
		if err != nil {
			return fail("%s: %v", o.module, err)
		}
		compileTime := time.Since(t0)
		defer m.Close(ctx)
		engine := "compiler"
		if o.interpreter {
			engine = "interpreter"
		}
		enc.Encode(benchLine{Compiled: o.module, Engine: engine, CompileMs: ms(compileTime)})
	}

	var inst *bridge.Instance
	if m != nil && o.reuse != nil {
		t0 := time.Now()
		var res bridge.Result
		var err error
		inst, res, err = m.Instantiate(ctx, o.cfg)
		if err != nil {
			return fail("%s: instantiating: %v", o.module, err)
		}
		if res.Trap != nil {
			return fail("%s: vm3_init trapped: %s", o.module, res.Text())
		}
		defer inst.Close(ctx)
		enc.Encode(benchLine{Instantiated: o.module, InstantiateMs: ms(time.Since(t0))})
	}
	wazeroRun := func(round int) (benchLine, error) {
		runtime.GC()
		var res bridge.Result
		var err error
		t0 := time.Now()
		for range o.calls {
			if inst != nil {
				res, err = inst.Run(ctx, entry, o.args, result, *o.reuse)
			} else {
				res, err = m.Run(ctx, entry, o.args, o.cfg, result)
			}
			if err != nil {
				return benchLine{}, err
			}
		}
		d := time.Since(t0)
		line := benchLine{Run: "wazero", Round: ptr(round - o.warmup), Warmup: round < o.warmup, Ms: ms(d),
			Result: resultJSON(res), PeakLiveSlots: ptr(res.PeakLiveSlots)}
		if o.calls != 1 {
			line.Calls, line.UsPerCall = o.calls, ptr(float64(d.Nanoseconds())/1e3/float64(o.calls))
		}
		if res.Heap != nil {
			st := res.Heap.Stats()
			line.LiveSlots, line.Collections = ptr(res.Heap.LiveSlots()), ptr(st.GetCollections())
			line.SlotsFreed, line.HeapBytes = ptr(st.GetSlotsFreed()), ptr(st.GetHeapBytes())
		}
		return line, nil
	}
	goRun := func(round int) benchLine {
		kernel := goKernels[o.plainGo]
		runtime.GC()
		t0 := time.Now()
		res := kernel(o.args[0])
		d := time.Since(t0)
		return benchLine{Run: "go", Round: ptr(round - o.warmup), Warmup: round < o.warmup, Ms: ms(d), Result: resultJSON(res)}
	}
	for round := 0; round < o.warmup+o.rounds; round++ {
		goFirst := o.plainGo != "" && round%2 == 1
		if goFirst {
			enc.Encode(goRun(round))
		}
		if m != nil {
			line, err := wazeroRun(round)
			if errors.Is(err, bridge.ErrEntry) {
				return usageError(stderr, err.Error())
			}
			if err != nil {
				return fail("%v", err)
			}
			enc.Encode(line)
		}
		if o.plainGo != "" && !goFirst {
			enc.Encode(goRun(round))
		}
	}
	if rss := maxRSSMiB(); rss >= 0 {
		enc.Encode(benchLine{PeakRSSMiB: ptr(rss)})
	}
	return 0
}

// heapSink keeps the heap operations' results observable.
var heapSink vm3.Cell

// timeHeapOp times count calls of one heap operation on a fresh heap, the
// work of one import of ops.bench.ts's guest loop without the crossing.
func timeHeapOp(op string, count int64, cfg vm3.Config) (time.Duration, error) {
	h := vm3.NewHeap(cfg)
	var target vm3.Cell
	var err error
	switch op {
	case "list_get":
		target, err = h.ListNew(4)
	case "struct_get":
		target, err = h.StructNew(4)
	}
	if err != nil {
		return 0, err
	}
	runtime.GC()
	var c vm3.Cell
	t0 := time.Now()
	switch op {
	case "list_get":
		for range count {
			if c, err = h.ListGet(target, 0); err != nil {
				return 0, err
			}
		}
	case "struct_get":
		for range count {
			if c, err = h.StructGet(target, 0); err != nil {
				return 0, err
			}
		}
	case "struct_new":
		for range count {
			if c, err = h.StructNewShaped(2, 0); err != nil {
				return 0, err
			}
		}
	}
	d := time.Since(t0)
	heapSink = c
	return d, nil
}
