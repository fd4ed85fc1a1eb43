// Command vm3-go runs handle-ABI WebAssembly modules (vm3-spec/handle-abi.md
// §10) under wazero with the Go vm3 heap (go-host/bridge).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/vm3-bridge/vm3/go-host/bridge"
)

const usage = `usage: vm3-go run MODULE.wasm [--entry NAME] [--program PROG] [--result TYPE]
                  [--max-slots N] [--max-bytes N] [--timeout DUR]
                  [--variant auto|minimal|stub] [--interpreter] [--uninterruptible]
                  [--host conformance] [--stats] [-- ARGS…]

Runs the exported function NAME of a handle-ABI module (vm3 emit PROG
--target handle-abi) on a fresh vm3 heap: vm3_init, then NAME(ARGS…), one
decimal int64 per parameter. Prints the result on stdout (ir.md §8.9), then a
newline:
  i64    in decimal
  f64    as an f64 literal of ir-text.md (shortest round trip, -0, inf,
         -inf, nan for every NaN)
  bool   true or false
  str    its text
  unit   nothing (not even the newline)
A trap prints "trap NAME (code N)" on stderr (then the trap's detail) and
exits 1.

  --entry NAME       the function to run; default: the program's entry
                     (with --program)
  --program PROG     the IR program the module was emitted from, as proto3
                     JSON (.json) or binary protobuf (.pb) vm3.v1.Program
                     (convert text with 'vm3 fmt PROG.ir --to json'); gives
                     the default entry and the result type
  --result TYPE      i64, f64, bool, str or unit: how to read the result.
                     Default: the IR result with --program, else the Wasm
                     signature's (i64 → i64, f64 → f64, i32 → bool, none →
                     unit). A str entry returns an i64 String Cell in Wasm,
                     so without --program it needs --result str
  --variant V        the collector: auto (default, as program vectors run),
                     minimal or stub
  --max-slots N      max_slots_per_arena (default 2^32)
  --max-bytes N      max_heap_bytes (default 2^28, arenas.md §2.7)
  --timeout DUR      wall-clock limit, a Go duration such as 10s or 500ms
                     (default none); running out is an error, not a trap
  --interpreter      wazero's interpreter instead of its compiler; its call
                     stack holds 20,000 frames (the bridge raises wazero's
                     2,000 to meet ir.md §8.8's 10,000; the compiler's holds
                     more than 100,000), beyond that a call traps
                     STACK_OVERFLOW
  --uninterruptible  compile without wazero's context checks at loop
                     back-edges and calls (about 30 ns an iteration of an
                     empty guest loop): faster, but a guest loop that calls
                     no import can then never be stopped and stalls Go's
                     garbage collector, freezing the process; not with
                     --timeout
  --host conformance bind the module's host imports (host.md §11, module
                     host) to the conformance host library, the Go twin of
                     conformance/host/library.ts (go-host/testee/hostlib.go);
                     without it a module with host imports does not compile
                     (a usage error naming the import). A host function that
                     fails traps HOST_ERROR, its error printed as the detail
  --stats            print the peak live slots and final heap counters on
                     stderr
ARGS after '--' are always arguments; before it, a negative number such as
-5 is an argument too.

Exit status: 0 returned, 1 trapped or failed (invalid module, engine error,
time limit), 2 usage error (including a host import with no function).

       vm3-go bench …   times runs (a module, a plain Go kernel, a heap
                        operation) and prints JSON lines: 'vm3-go bench
                        --help'
       vm3-go bench-cycles …  Igalia's m0/m1 on the Go heap, weak or
                        strong host edges, as one JSON line: 'vm3-go
                        bench-cycles --help'
`

func main() {
	os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	moduleFlags
	timeout time.Duration
	stats   bool
}

func cli(argv []string, stdout, stderr io.Writer) int {
	if len(argv) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch argv[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "run":
	case "bench":
		return benchCLI(argv[1:], stdout, stderr)
	case "bench-cycles":
		return cyclesCLI(argv[1:], stdout, stderr)
	default:
		return usageError(stderr, fmt.Sprintf("unknown command %q (want run, bench or bench-cycles)", argv[0]))
	}
	opts, err := parse(argv[1:])
	if errors.Is(err, errHelp) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if err != nil {
		return usageError(stderr, err.Error())
	}
	return runModule(opts, stdout, stderr)
}

var errHelp = errors.New("help")

func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "vm3-go: %s\nRun 'vm3-go --help' for usage.\n", msg)
	return 2
}

func parse(argv []string) (*options, error) {
	o := &options{moduleFlags: newModuleFlags()}
	positional, err := scanFlags(argv,
		func(name string) bool { return name == "interpreter" || name == "uninterruptible" || name == "stats" },
		func(name, value string) (bool, error) {
			switch name {
			case "interpreter":
				o.interpreter = true
			case "uninterruptible":
				o.uninterruptible = true
			case "stats":
				o.stats = true
			case "timeout":
				var err error
				o.timeout, err = time.ParseDuration(value)
				if err == nil && o.timeout < 0 {
					err = errors.New("negative")
				}
				return true, err
			default:
				return o.set(name, value)
			}
			return true, nil
		})
	if err != nil {
		return nil, err
	}
	if len(positional) == 0 {
		return nil, errors.New("missing MODULE.wasm")
	}
	if o.uninterruptible && o.timeout > 0 {
		// The limit could not stop the guest (bridge.Options.Uninterruptible).
		return nil, errors.New("--timeout needs the context checks that --uninterruptible turns off")
	}
	o.module = positional[0]
	if err := o.parseArgs(positional[1:]); err != nil {
		return nil, err
	}
	if o.entry == "" && o.program == "" {
		return nil, errors.New("--entry NAME is required without --program")
	}
	return o, nil
}

func runModule(o *options, stdout, stderr io.Writer) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "vm3-go: "+format+"\n", args...)
		return 1
	}
	entry, result, bad := entryAndResult(o.program, o.entry, o.result, o.resultSet)
	if bad != "" {
		return usageError(stderr, bad)
	}
	wasm, err := os.ReadFile(o.module)
	if err != nil {
		return fail("%v", err)
	}
	ctx := context.Background()
	m, err := bridge.Compile(ctx, wasm, o.options())
	if errors.Is(err, bridge.ErrHostImport) {
		return usageError(stderr, fmt.Sprintf("%s: %v", o.module, err))
	}
	if err != nil {
		return fail("%s: %v", o.module, err)
	}
	defer m.Close(ctx)
	if o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.timeout)
		defer cancel()
	}
	res, err := m.Run(ctx, entry, o.args, o.cfg, result)
	if errors.Is(err, bridge.ErrEntry) {
		return usageError(stderr, err.Error())
	}
	if o.stats && res.Heap != nil {
		st := res.Heap.Stats()
		fmt.Fprintf(stderr, "peak_live_slots %d\nheap_bytes %d\ncollections %d\nslots_freed %d\n",
			res.PeakLiveSlots, st.GetHeapBytes(), st.GetCollections(), st.GetSlotsFreed())
	}
	if err != nil {
		return fail("%v", err)
	}
	if res.Trap != nil {
		fmt.Fprintf(stderr, "%s\n%v\n", res.Text(), res.Trap)
		return 1
	}
	if res.Type != bridge.ResultUnit {
		fmt.Fprintln(stdout, res.Text())
	}
	return 0
}

// entryAndResult gives the entry and result type to run: --entry and
// --result as given, or with --program the IR's entry (default) and its
// result type, which an explicit --result must match. A usage problem comes
// back as its message.
func entryAndResult(program, entry string, result bridge.ResultType, resultSet bool) (string, bridge.ResultType, string) {
	if program == "" {
		return entry, result, ""
	}
	p, err := bridge.ReadProgram(program)
	if err != nil {
		return "", result, "--program " + err.Error()
	}
	name, kind, err := bridge.ProgramEntry(p, entry)
	if err != nil {
		return "", result, "--program " + program + ": " + err.Error()
	}
	if resultSet && result != bridge.ResultAuto && result != kind {
		return "", result, fmt.Sprintf("--result %v, but %s returns %v in %s", result, name, kind, program)
	}
	return name, kind, ""
}
