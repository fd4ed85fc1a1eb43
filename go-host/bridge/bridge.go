// Package bridge runs handle-ABI WebAssembly modules (vm3-spec/handle-abi.md
// §10) under wazero, answering their `vm3` imports from a Go vm3.Heap.
//
// A handle-ABI module is plain Wasm 2.0 that keeps its objects in the host's
// heap and names them by i64 Cells. Compile checks the module against the
// contract of §10.1–§10.2 (imports only from `vm3`, with exact signatures;
// exports `memory` and `vm3_init`) and compiles it once; Run instantiates it
// afresh on a fresh heap, calls `vm3_init`, then the entry, and reports the
// result or the trap:
//
//	m, err := bridge.Compile(ctx, wasm, bridge.Options{})
//	defer m.Close(ctx)
//	res, err := m.Run(ctx, "fib_rec", []int64{25}, vm3.Config{Variant: vm3pb.Variant_AUTO}, bridge.ResultAuto)
//	// res.Trap != nil: the program trapped; else res.I64 / res.F64Bits / …
//
// A program called many times is compiled once and instantiated once;
// Instance.Run then calls an entry on the heap the last call left
// (KeepHeap) or on a fresh one (ResetHeap), and a trap leaves the instance
// usable (embedding.md §7.4, reuse.go):
//
//	inst, _, err := m.Instantiate(ctx, vm3.Config{Variant: vm3pb.Variant_AUTO})
//	defer inst.Close(ctx)
//	res, err := inst.Run(ctx, "fib_rec", []int64{25}, bridge.ResultAuto, bridge.KeepHeap)
//
// # How a trap crosses
//
// Every import validates its Cells and integers through the heap operation
// of the same name (operations.md §3), over the full int64 range. A failing
// operation panics with its *vm3.Trap inside the host function; wazero
// recovers the panic, unwinds the guest, and returns it from the call wrapped
// in an error ("… (recovered by wazero)\nwasm stack trace: …") that
// errors.As still unwraps to the *vm3.Trap. The guest's own `trap(code)`
// import panics the same way. Wazero's engine errors are *wasmruntime.Error
// values of an internal package; Run recognises the call-stack exhaustion
// one by its type and text and reports it as STACK_OVERFLOW (ir.md §8.8).
// Every other engine trap (`unreachable`, an out-of-bounds load, integer
// divide by zero, …) is a bug in the module or its emitter and Run returns
// it as an error, never as a trap code (§10.4). A Go runtime panic inside a
// host function (a bridge bug) is an error too. A context that ends (the
// wall-clock limit) stops the guest — the runtime is built with
// WithCloseOnContextDone unless Options.Uninterruptible — and Run returns an
// error wrapping context.DeadlineExceeded or context.Canceled.
//
// # Host imports
//
// A program's host functions (host.md §11) are Wasm imports from module
// `host`, typed by the module's `vm3.host` custom section (handle-abi.md
// §10.8). Compile reads that section strictly, checks it against the
// imports and binds each import to the HostFunc of its name in
// Options.Host: a missing one is a Compile error wrapping ErrHostImport (a
// usage error, not a trap). A host call converts its arguments as host.md
// §11.3 says for Go, after the checks the `vm3` imports make (a forged Cell
// traps as `handle` would, before the function runs); references cross as
// pinned *vm3.Ref values. An error or panic of the function, or a result
// that does not convert, traps HOST_ERROR with its text; a host function
// calling back into its instance gets ErrReentry (host.go).
//
// # Engines
//
// Options.Interpreter false uses wazero.NewRuntimeConfig(), which picks the
// optimizing compiler on the platforms that have it (amd64 and arm64 on
// Linux, macOS, Windows and FreeBSD) and the interpreter elsewhere. The
// interpreter holds InterpreterCallDepth (20,000) frames under the bridge,
// which raises wazero's default of 2,000 to meet ir.md §8.8's minimum of
// 10,000 (interpdepth.go says how and why not more); the compiler's stack
// grows to 400 MB.
//
// Tail calls: wazero v1.12 implements the tail-call proposal (return_call,
// return_call_indirect) in both engines behind experimental.CoreFeaturesTailCall,
// which Features enables: the handle ABI's tail call of another function is
// a return_call (§10.1, §10.6), constant-space on both engines; see
// TestWazeroTailCallProposal.
package bridge

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/vm3-bridge/vm3/go-host/vm3"
)

// Options configure Compile.
type Options struct {
	// Interpreter selects wazero's interpreter instead of the optimizing
	// compiler (see the package comment for its lower stack limit).
	Interpreter bool
	// MaxMemoryPages bounds the guest's linear memory in 64 KiB pages; 0
	// means DefaultMaxMemoryPages. A module whose memory's minimum exceeds
	// it does not compile, and memory.grow beyond it fails (returns -1).
	MaxMemoryPages uint32
	// Uninterruptible turns off the stop at a done context, which is on by
	// default: the runtime is built with wazero's WithCloseOnContextDone, so
	// the compiled guest checks its context at every loop back-edge and
	// call, and a run ends when its context's deadline passes or it is
	// cancelled (embedding.md §7.2).
	//
	// The risk of turning it off: without those checks a guest loop that
	// calls no import is machine code the Go scheduler cannot preempt, so
	// the next garbage collection's stop-the-world waits for it forever and
	// the whole Go process freezes, every goroutine included, and no
	// context can end the run (TestDefaultDoesNotFreezeGC shows both). Set
	// it only for trusted guests known to terminate, to save the checks'
	// cost: an empty guest loop iteration took 28.5 ns with them and 1.1 ns
	// without on this project's machine (`npm run bench:ops` prints both).
	// A context deadline cannot stop an uninterruptible run.
	Uninterruptible bool
	// Host holds the Go functions a module's host imports are bound to, by
	// import name (host.md §11, handle-abi.md §10.8; host.go). Compile
	// refuses a module with a host import that has no function here, or
	// one whose declared Sig differs from the module's (ErrHostImport).
	// Functions the module does not import are ignored.
	Host map[string]HostFunc
}

// DefaultMaxMemoryPages is 256 MiB of guest linear memory: a handle-ABI
// guest keeps its objects in the host heap and uses memory only for string
// data.
const DefaultMaxMemoryPages = 4096

// Features are the Wasm features a handle-ABI module may use (§10.1): Wasm
// 2.0 without SIMD, plus the tail-call proposal (experimental in wazero
// v1.12, implemented by both its engines). Wazero ties bulk memory to
// reference types, so those stay enabled.
var Features = api.CoreFeaturesV2.SetEnabled(api.CoreFeatureSIMD, false) | experimental.CoreFeaturesTailCall

// Module is a compiled handle-ABI module with its own wazero runtime. Runs
// of one Module are serialized (they share the runtime's `vm3` host module);
// use several Modules to run in parallel.
type Module struct {
	rt       wazero.Runtime
	compiled wazero.CompiledModule
	engine   string
	host     []hostImport // the module's host imports, bound
	// exports is compiled.ExportedFunctions(), which builds a new map on
	// every call: read once at Compile, read-only after.
	exports map[string]api.FunctionDefinition

	mu  sync.Mutex
	cur *run // the run the host functions answer; set while Run runs
}

// Compile checks wasm against the handle-ABI contract and compiles it. The
// error names what is wrong: bytes that are not a valid Wasm module (with
// wazero's reason), an import from another module or of an unknown name or
// the wrong signature, a missing `memory` or `vm3_init` export, host
// imports without a well-formed vm3.host section agreeing with them, a host
// import with no function in opts.Host (ErrHostImport).
func Compile(ctx context.Context, wasm []byte, opts Options) (*Module, error) {
	cfg := wazero.NewRuntimeConfig()
	engine := "compiler (or interpreter where the platform has no compiler)"
	if opts.Interpreter {
		cfg = wazero.NewRuntimeConfigInterpreter()
		engine = "interpreter"
	}
	pages := opts.MaxMemoryPages
	if pages == 0 {
		pages = DefaultMaxMemoryPages
	}
	cfg = cfg.WithCoreFeatures(Features).WithCloseOnContextDone(!opts.Uninterruptible).WithMemoryLimitPages(pages).WithCustomSections(true)
	m := &Module{rt: wazero.NewRuntimeWithConfig(ctx, cfg), engine: engine}
	fail := func(err error) (*Module, error) {
		m.rt.Close(ctx)
		return nil, err
	}
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" {
		return fail(fmt.Errorf("bridge: not a WebAssembly binary (no \\0asm magic at the start of %d bytes)", len(wasm)))
	}
	compiled, err := m.rt.CompileModule(ctx, wasm)
	if err != nil {
		return fail(fmt.Errorf("bridge: invalid WebAssembly module: %w", err))
	}
	m.compiled = compiled
	m.exports = compiled.ExportedFunctions()
	if err := checkContract(compiled); err != nil {
		return fail(err)
	}
	if err := checkImportKinds(wasm); err != nil {
		return fail(err)
	}
	if m.host, err = checkHostImports(compiled, opts.Host); err != nil {
		return fail(err)
	}
	if err := m.instantiateHost(ctx); err != nil {
		return fail(err)
	}
	if err := m.instantiateHostImports(ctx); err != nil {
		return fail(err)
	}
	return m, nil
}

// checkContract is §10.1–§10.2: every import a known `vm3` function with
// its exact signature (or a `host` function, which checkHostImports checks),
// no imported memory, `memory` and `vm3_init () → ()` exported.
func checkContract(c wazero.CompiledModule) error {
	var errs []string
	for _, def := range c.ImportedFunctions() {
		mod, name, _ := def.Import()
		spec, ok := importByName[name]
		switch {
		case mod == "host":
		case mod != "vm3":
			errs = append(errs, fmt.Sprintf("import %s.%s: a handle-ABI module imports only from modules vm3 and host", mod, name))
		case !ok:
			errs = append(errs, fmt.Sprintf("import vm3.%s: no such import (handle-abi.md §10.2)", name))
		case !sameTypes(def.ParamTypes(), spec.params) || !sameTypes(def.ResultTypes(), spec.results):
			errs = append(errs, fmt.Sprintf("import vm3.%s has type %s, want %s", name,
				signature(def.ParamTypes(), def.ResultTypes()), signature(spec.params, spec.results)))
		}
	}
	for _, mem := range c.ImportedMemories() {
		mod, name, _ := mem.Import()
		errs = append(errs, fmt.Sprintf("import %s.%s: a handle-ABI module defines and exports its own memory", mod, name))
	}
	if _, ok := c.ExportedMemories()["memory"]; !ok {
		errs = append(errs, "no memory exported as \"memory\" (handle-abi.md §10.1)")
	}
	if init, ok := c.ExportedFunctions()["vm3_init"]; !ok {
		errs = append(errs, "no function exported as \"vm3_init\" (handle-abi.md §10.1)")
	} else if len(init.ParamTypes()) != 0 || len(init.ResultTypes()) != 0 {
		errs = append(errs, fmt.Sprintf("export vm3_init has type %s, want () -> ()", signature(init.ParamTypes(), init.ResultTypes())))
	}
	if len(errs) > 0 {
		return fmt.Errorf("bridge: not a handle-ABI module: %s", strings.Join(errs, "; "))
	}
	return nil
}

// checkImportKinds refuses imported tables and globals, which wazero's
// CompiledModule does not list (memories and functions checkContract has
// checked): a handle-ABI module's imports are functions (§10.1, §10.8).
func checkImportKinds(wasm []byte) error {
	imps, err := importKinds(wasm)
	if err != nil {
		return fmt.Errorf("bridge: reading the import section: %w", err)
	}
	var errs []string
	for _, im := range imps {
		if im.kind != 1 && im.kind != 3 {
			continue
		}
		switch im.module {
		case "host":
			errs = append(errs, fmt.Sprintf("import host.%s: a %s; host imports are functions (handle-abi.md §10.8)", im.name, im.kindName()))
		case "vm3":
			errs = append(errs, fmt.Sprintf("import vm3.%s: a %s; the vm3 imports are functions (handle-abi.md §10.2)", im.name, im.kindName()))
		default:
			errs = append(errs, fmt.Sprintf("import %s.%s: a handle-ABI module imports only from modules vm3 and host", im.module, im.name))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("bridge: not a handle-ABI module: %s", strings.Join(errs, "; "))
	}
	return nil
}

func sameTypes(a, b []api.ValueType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func signature(params, results []api.ValueType) string {
	names := func(ts []api.ValueType) string {
		s := make([]string, len(ts))
		for i, t := range ts {
			s[i] = api.ValueTypeName(t)
		}
		return "(" + strings.Join(s, ", ") + ")"
	}
	return names(params) + " -> " + names(results)
}

// Close releases the module and its runtime.
func (m *Module) Close(ctx context.Context) error { return m.rt.Close(ctx) }

// Engine names the wazero engine the module was compiled for.
func (m *Module) Engine() string { return m.engine }

// Entry is an exported function that can be run: its name and result kind.
type Entry struct {
	Name   string
	Params int
	// Result is the kind its Wasm result type gives without more
	// information: ResultI64 for i64 (which may also be a str Cell),
	// ResultF64, ResultBool for i32, ResultUnit for none.
	Result ResultType
}

// Entries lists the exported functions whose signature an entry may have
// (§10.1: i64 parameters; result i64, f64, i32 or none), except vm3_init,
// sorted by name.
func (m *Module) Entries() []Entry {
	var out []Entry
	for name, def := range m.exports {
		if name == "vm3_init" {
			continue
		}
		if kind, err := entryKind(def); err == nil {
			out = append(out, Entry{Name: name, Params: len(def.ParamTypes()), Result: kind})
		}
	}
	sortEntries(out)
	return out
}

func sortEntries(es []Entry) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && es[j].Name < es[j-1].Name; j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// entryKind checks an entry's Wasm signature (§10.1) and gives the result
// kind it implies.
func entryKind(def api.FunctionDefinition) (ResultType, error) {
	for i, p := range def.ParamTypes() {
		if p != api.ValueTypeI64 {
			return 0, fmt.Errorf("parameter %d is %s, not i64 (handle-abi.md §10.1)", i, api.ValueTypeName(p))
		}
	}
	rs := def.ResultTypes()
	switch {
	case len(rs) == 0:
		return ResultUnit, nil
	case len(rs) > 1:
		return 0, fmt.Errorf("it has %d results, want at most one", len(rs))
	case rs[0] == api.ValueTypeI64:
		return ResultI64, nil
	case rs[0] == api.ValueTypeF64:
		return ResultF64, nil
	case rs[0] == api.ValueTypeI32:
		return ResultBool, nil
	}
	return 0, fmt.Errorf("its result is %s, not i64, f64, i32 or none", api.ValueTypeName(rs[0]))
}

// ErrEntry is wrapped by Run's errors for a run that cannot start: no such
// export, a signature that cannot be an entry, a wrong argument count, a
// result type the signature cannot carry. (ir.md §8.9: a usage error, not a
// trap.)
var ErrEntry = errors.New("bad entry")

// run is the state of one Run that the host functions reach through
// Module.cur.
type run struct {
	heap *vm3.Heap
	// peak is the most alive slots seen: sampled after every import that
	// allocates a slot, the only moments the live count can rise, so it is
	// exact.
	peak uint64
	// starting is true while the module is instantiated, when its start
	// function runs: the host does not know the guest's memory yet
	// (handle-abi.md §10.1), so str_new is BAD_ARGUMENT, as in JavaScript,
	// where the exports exist only once instantiation is over.
	starting bool
	// inst is the instance the run belongs to; inHost counts the host
	// calls in progress (re-entry is refused while it is not 0).
	inst   *Instance
	inHost int
}

func (r *run) sample() {
	if n := r.heap.LiveSlots(); n > r.peak {
		r.peak = n
	}
}
