package main

// vm3-go bench-cycles: Igalia's ref-cpp m0/m1 on the Go heap (DESIGN §12,
// collection.md §4.7), the Go row of `npm run bench:cycles`.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/vm3-bridge/vm3/go-host/bridge"
	"github.com/vm3-bridge/vm3/go-host/testee"
	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

const cyclesUsage = `usage: vm3-go bench-cycles MODULE.wasm --mode m0|m1 [--edges weak|strong]
                           [--variant auto|minimal|stub] [--interpreter] [--uninterruptible] [-- N]

Runs Igalia's m0 or m1 once on the Go heap and prints one JSON line. MODULE
is compiler3-emit/bench/cycles/cycles.ir emitted for the handle ABI
(go-host/bridge/testdata/programs/cycles/cycles.wasm, testdata/regen.ts):
main(N) makes N structs, each given a callback by the host function
@callback, which receives the struct as a *vm3.Ref. In m1 the callback
captures that Ref (a cycle through both heaps), in m0 it captures nothing;
@invoke calls the first one's. Then Go's collector runs until the cleanups
stop arriving, the heap collects, twice over, and the line reports:

  {"engine":"go","target":"handle-abi","design":D,"mode":M,"n":N,
   "result":R,"allocated":A,"finalized":F,"liveCallbacks":A-F,
   "heapSlots":L,"peakLiveSlots":P,"runMs":T,"settleMs":S,
   "maxRSSMiB":X,"goHeapMiB":G,"memory":"X MiB peak RSS"}

A and F count the callbacks made and cleaned up (runtime.AddCleanup on
each), L is the heap's live slots after the collections, P the peak live
slots during the run, T the run's time, S the collections' after it, X the
process's peak RSS (getrusage; -1 where it is not known) and G Go's heap in
use at the end. Run one row per process, as the TypeScript rows do, so the
peak RSS is the row's own.

  --mode m0|m1     which benchmark (required)
  --edges D        weak (the default: wrapper-owned weak host edges,
                   vm3.HostEdgesWeak) or strong (a Ref's pin is a plain
                   root, the baseline that leaks m1)
  --variant V      the collector (default auto, as bench:cycles runs)
  --interpreter, --uninterruptible  as 'vm3-go run'
  N                the object count (default 1000000)

Exit status: 0 the run finished, 1 it failed or trapped, 2 usage error.
`

// cyclesLine is bench-cycles' output; the first names follow the
// TypeScript rows (compiler3-emit/bench/cycles/run-cycles.ts).
type cyclesLine struct {
	Engine        string  `json:"engine"`
	Target        string  `json:"target"`
	Design        string  `json:"design"`
	Mode          string  `json:"mode"`
	N             int64   `json:"n"`
	Result        string  `json:"result"`
	Allocated     int64   `json:"allocated"`
	Finalized     int64   `json:"finalized"`
	LiveCallbacks int64   `json:"liveCallbacks"`
	HeapSlots     uint64  `json:"heapSlots"`
	PeakLiveSlots uint64  `json:"peakLiveSlots"`
	RunMs         int64   `json:"runMs"`
	SettleMs      int64   `json:"settleMs"`
	MaxRSSMiB     int64   `json:"maxRSSMiB"`
	GoHeapMiB     float64 `json:"goHeapMiB"`
	Memory        string  `json:"memory"`
}

type cyclesOptions struct {
	moduleFlags
	mode string
}

func cyclesCLI(argv []string, stdout, stderr io.Writer) int {
	o := &cyclesOptions{moduleFlags: newModuleFlags()}
	bad := func(msg string) int {
		fmt.Fprintf(stderr, "vm3-go bench-cycles: %s\nRun 'vm3-go bench-cycles --help' for usage.\n", msg)
		return 2
	}
	positional, err := scanFlags(argv,
		func(name string) bool { return name == "interpreter" || name == "uninterruptible" },
		func(name, value string) (bool, error) {
			switch name {
			case "interpreter":
				o.interpreter = true
			case "uninterruptible":
				o.uninterruptible = true
			case "mode":
				if value != "m0" && value != "m1" {
					return true, errors.New("want m0 or m1")
				}
				o.mode = value
			case "edges":
				switch value {
				case "weak":
					o.cfg.HostEdges = vm3.HostEdgesWeak
				case "strong":
					o.cfg.HostEdges = vm3.HostEdgesStrong
				default:
					return true, errors.New("want weak or strong")
				}
			case "variant", "max-slots", "max-bytes":
				return o.set(name, value)
			default:
				return false, nil
			}
			return true, nil
		})
	if errors.Is(err, errHelp) {
		fmt.Fprint(stdout, cyclesUsage)
		return 0
	}
	if err != nil {
		return bad(err.Error())
	}
	if len(positional) == 0 {
		return bad("missing MODULE.wasm")
	}
	o.module = positional[0]
	if err := o.parseArgs(positional[1:]); err != nil {
		return bad(err.Error())
	}
	n := int64(1_000_000)
	switch {
	case o.mode == "":
		return bad("--mode m0|m1 is required")
	case len(o.args) > 1:
		return bad("one argument, N")
	case len(o.args) == 1 && o.args[0] < 0:
		return bad("N must not be negative")
	case len(o.args) == 1:
		n = o.args[0]
	}
	line, err := runCycles(o, n)
	if err != nil {
		fmt.Fprintf(stderr, "vm3-go bench-cycles: %v\n", err)
		return 1
	}
	json.NewEncoder(stdout).Encode(line)
	return 0
}

func runCycles(o *cyclesOptions, n int64) (cyclesLine, error) {
	ctx := context.Background()
	wasm, err := os.ReadFile(o.module)
	if err != nil {
		return cyclesLine{}, err
	}
	counts := &testee.CycleCounts{}
	opts := o.options()
	opts.Host = testee.CyclesHost(o.mode == "m1", counts)
	m, err := bridge.Compile(ctx, wasm, opts)
	if err != nil {
		return cyclesLine{}, fmt.Errorf("%s: %w", o.module, err)
	}
	defer m.Close(ctx)
	runtime.GC()
	t0 := time.Now()
	res, err := m.Run(ctx, "main", []int64{n}, o.cfg, bridge.ResultI64)
	runTime := time.Since(t0)
	if err != nil {
		return cyclesLine{}, err
	}
	if res.Trap != nil {
		return cyclesLine{}, fmt.Errorf("%s: %v", res.Text(), res.Trap)
	}
	t1 := time.Now()
	testee.SettleCycles(res.Heap, counts)
	settleTime := time.Since(t1)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss := maxRSSMiB()
	memory := "—"
	if rss >= 0 {
		memory = fmt.Sprintf("%d MiB peak RSS", rss)
	}
	if o.cfg.Variant == vm3pb.Variant_STUB {
		memory += " (stub: nothing collected)"
	}
	return cyclesLine{
		Engine: "go", Target: "handle-abi", Design: o.cfg.HostEdges.String(), Mode: o.mode, N: n,
		Result: res.Text(), Allocated: counts.Allocated.Load(), Finalized: counts.Cleaned.Load(),
		LiveCallbacks: counts.Allocated.Load() - counts.Cleaned.Load(),
		HeapSlots:     res.Heap.LiveSlots(), PeakLiveSlots: res.PeakLiveSlots,
		RunMs: runTime.Milliseconds(), SettleMs: settleTime.Milliseconds(),
		MaxRSSMiB: rss, GoHeapMiB: float64(ms.HeapInuse) / (1 << 20), Memory: memory,
	}, nil
}
