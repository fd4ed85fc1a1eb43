package bridge

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"

	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// ResultType is how an entry's Wasm result is read (ir.md §8.9, §10.1).
type ResultType int

// Result types. ResultAuto takes the kind the Wasm signature gives (i64 →
// ResultI64, f64, i32 → ResultBool, none → ResultUnit); a str entry returns
// an i64 String Cell, so it needs ResultStr.
const (
	ResultAuto ResultType = iota
	ResultI64
	ResultF64
	ResultBool
	ResultStr
	ResultUnit
)

var resultNames = [...]string{"auto", "i64", "f64", "bool", "str", "unit"}

func (t ResultType) String() string {
	if t >= 0 && int(t) < len(resultNames) {
		return resultNames[t]
	}
	return fmt.Sprintf("ResultType(%d)", int(t))
}

// ParseResultType reads "auto", "i64", "f64", "bool", "str" or "unit".
func ParseResultType(s string) (ResultType, error) {
	for k, name := range resultNames {
		if s == name {
			return ResultType(k), nil
		}
	}
	return 0, fmt.Errorf("result type %q: want one of %s", s, strings.Join(resultNames[:], ", "))
}

// wasmKind is the result kind a Wasm signature carries a type as.
func (t ResultType) wasmKind() ResultType {
	if t == ResultStr {
		return ResultI64
	}
	return t
}

// CanonicalNaN is the one NaN pattern results report (ir.md §8.9).
const CanonicalNaN = 0x7FF8_0000_0000_0000

// Result is what one run gave: a value of Type, or a trap.
type Result struct {
	// Type is the result's type (never ResultAuto); meaningless when Trap
	// is set.
	Type ResultType
	I64  int64
	// F64Bits is the f64 result's bits, every NaN the canonical NaN.
	F64Bits uint64
	Bool    bool
	Str     string
	// Trap is set when the run trapped (an import's check, the guest's
	// trap(code), or STACK_OVERFLOW); the value fields are then zero.
	Trap *vm3.Trap
	// PeakLiveSlots is the most slots alive at once during the run
	// (vm3_init and the entry), sampled after every allocating import.
	PeakLiveSlots uint64
	// Heap is the run's heap, as the run (or the trapping operation) left
	// it; the guest's frames may still be open after a trap (§10.4).
	Heap *vm3.Heap
}

// F64 is the f64 result.
func (r Result) F64() float64 { return math.Float64frombits(r.F64Bits) }

// Text formats the result as ir.md §8.9 reports results: i64 in decimal, f64
// as FormatF64 prints it, bool true/false, str its text, unit "" — or, for a
// trap, "trap NAME (code N)".
func (r Result) Text() string {
	if r.Trap != nil {
		return fmt.Sprintf("trap %v (code %d)", r.Trap.Code, int32(r.Trap.Code))
	}
	switch r.Type {
	case ResultI64:
		return fmt.Sprint(r.I64)
	case ResultF64:
		return FormatF64(r.F64Bits)
	case ResultBool:
		return fmt.Sprint(r.Bool)
	case ResultStr:
		return r.Str
	}
	return ""
}

// Run instantiates the module on a fresh heap made from heapCfg, calls
// vm3_init, then entry(args…), and reads the result as want says. A trap
// is a Result with Trap set and a nil error. The error is for a run that
// cannot start (wrapping ErrEntry), a context that ended (wrapping its
// error), an engine trap outside the ABI, or a bridge bug.
func (m *Module) Run(ctx context.Context, entry string, args []int64, heapCfg vm3.Config, want ResultType) (Result, error) {
	kind, err := m.entryResult(entry, len(args), want)
	if err != nil {
		return Result{}, err
	}
	inst, res, err := m.Instantiate(ctx, heapCfg)
	if err != nil || res.Trap != nil {
		return res, err
	}
	defer inst.Close(ctx)
	return inst.runEntry(ctx, entry, kind, args, false)
}

// runEntry calls entry(args…), whose result kind entryResult resolved, and
// reads its result. With unwind, a trap closes the frames and scopes the
// call opened (embedding.md §7.4); without it the heap is left as the trap
// left it (§10.4), for Module.Run's caller to see.
func (inst *Instance) runEntry(ctx context.Context, entry string, kind ResultType, args []int64, unwind bool) (Result, error) {
	heap := inst.r.heap
	frames, scopes := heap.OpenFrames(), heap.OpenScopes()
	stack := make([]uint64, max(len(args), 1))
	for k, a := range args {
		stack[k] = uint64(a)
	}
	trap, err := inst.Call(ctx, entry, stack)
	res := inst.result()
	if err != nil || trap != nil {
		if trap != nil && unwind {
			heap.Unwind(frames, scopes)
		}
		res.Trap = trap
		return res, err
	}
	res.Type = kind
	switch kind {
	case ResultI64:
		res.I64 = int64(stack[0])
	case ResultF64:
		res.F64Bits = stack[0]
		if x := math.Float64frombits(stack[0]); x != x {
			res.F64Bits = CanonicalNaN
		}
	case ResultBool:
		switch uint32(stack[0]) {
		case 0, 1:
			res.Bool = uint32(stack[0]) == 1
		default:
			return res, fmt.Errorf("bridge: %s returned i32 %d, not a bool (0 or 1)", entry, uint32(stack[0]))
		}
	case ResultStr:
		// A str result is a String Cell; a null or stale one traps as
		// str_get does (what the interpreter reports, ir.md §8.9).
		res.Str, err = res.Heap.StrText(vm3.Cell(stack[0]))
		if err != nil {
			var t *vm3.Trap
			if !errors.As(err, &t) {
				return res, err
			}
			res.Trap = t
		}
	}
	return res, nil
}

// entryResult checks that entry can be run with nargs arguments and read as
// want, and resolves ResultAuto.
func (m *Module) entryResult(entry string, nargs int, want ResultType) (ResultType, error) {
	def, ok := m.exports[entry]
	if !ok || entry == "vm3_init" {
		var names []string
		for _, e := range m.Entries() {
			names = append(names, e.Name)
		}
		return 0, fmt.Errorf("%w: the module exports no entry %q (entries: %s)", ErrEntry, entry, strings.Join(names, ", "))
	}
	kind, err := entryKind(def)
	if err != nil {
		return 0, fmt.Errorf("%w: %s%s cannot be an entry: %v", ErrEntry, entry, signature(def.ParamTypes(), def.ResultTypes()), err)
	}
	if np := len(def.ParamTypes()); np != nargs {
		return 0, fmt.Errorf("%w: %s takes %d arguments, got %d", ErrEntry, entry, np, nargs)
	}
	switch {
	case want == ResultAuto:
		return kind, nil
	case want < ResultAuto || want > ResultUnit:
		return 0, fmt.Errorf("%w: unknown result type %v", ErrEntry, want)
	case want.wasmKind() != kind:
		return 0, fmt.Errorf("%w: %s returns %s, which cannot carry a %v result", ErrEntry, entry,
			signature(nil, def.ResultTypes()), want)
	}
	return want, nil
}

// Instance is one instantiation of a Module on its own heap, vm3_init
// already run. While an Instance is open the Module runs nothing else:
// Instantiate (and Run) block until it is closed. An open Instance is for
// one goroutine at a time; a closed one may be called from any goroutine,
// and every method then returns ErrClosed without touching a heap or the
// Module (which by then may be running another instance on another heap).
type Instance struct {
	m   *Module
	mod api.Module
	r   *run
	// cfg makes the heap of a ResetHeap call (reuse.go).
	cfg vm3.Config
	// fns caches the exported functions Call has looked up: wazero's
	// ExportedFunction makes a new call engine, with its 12 KiB stack, on
	// every lookup, which was most of a short call's cost (BenchmarkReusedCall).
	fns map[string]api.Function
	// closed is set, once, by Close (or a failed Instantiate) before the
	// Module's lock is released: a call that sees it unset runs while this
	// instance still holds the Module.
	closed atomic.Bool
}

// ErrClosed is returned by every method of an Instance after its Close: a
// closed instance's module is gone and the Module's host functions answer
// another run's heap, so calling it must never run anything.
var ErrClosed = errors.New("bridge: the instance is closed")

// Instantiate makes a fresh heap from heapCfg, instantiates the module on
// it and calls vm3_init. If vm3_init traps, the Result carries the trap and
// the Instance is nil (and already closed).
//
// Called by a host function of this module with its HostCall.Context (or a
// context derived from it), it returns ErrReentry instead of waiting for
// the Module, which the host call holds; with an unrelated context it would
// wait for ever.
func (m *Module) Instantiate(ctx context.Context, heapCfg vm3.Config) (*Instance, Result, error) {
	if ctx.Value(reentryKey{}) == m {
		return nil, Result{}, ErrReentry
	}
	m.mu.Lock()
	inst := &Instance{m: m, r: &run{heap: vm3.NewHeap(heapCfg)}, cfg: heapCfg}
	inst.r.inst = inst
	m.cur = inst.r
	inst.r.starting = true
	mod, err := m.rt.InstantiateModule(ctx, m.compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	inst.r.starting = false
	if err != nil {
		// A start function may run imports, and so trap.
		trap, cerr := classify(ctx, err)
		res := inst.result()
		res.Trap = trap
		inst.release()
		if cerr != nil {
			cerr = fmt.Errorf("bridge: instantiating the module: %w", cerr)
		}
		return nil, res, cerr
	}
	inst.mod = mod
	trap, err := inst.Call(ctx, "vm3_init", make([]uint64, 0))
	if err != nil || trap != nil {
		res := inst.result()
		res.Trap = trap
		inst.Close(ctx)
		if err != nil {
			err = fmt.Errorf("bridge: vm3_init: %w", err)
		}
		return nil, res, err
	}
	return inst, Result{}, nil
}

// Heap is the instance's heap; ErrClosed after Close.
func (inst *Instance) Heap() (*vm3.Heap, error) {
	if inst.closed.Load() {
		return nil, ErrClosed
	}
	return inst.r.heap, nil
}

// PeakLiveSlots is the most slots alive at once so far; ErrClosed after
// Close.
func (inst *Instance) PeakLiveSlots() (uint64, error) {
	if inst.closed.Load() {
		return 0, ErrClosed
	}
	return inst.r.peak, nil
}

func (inst *Instance) result() Result {
	return Result{PeakLiveSlots: inst.r.peak, Heap: inst.r.heap}
}

// Call calls the exported function name with its parameters in stack (which
// must be at least as long as the parameter and result counts) and leaves
// the results in stack. A host function calling it while its host call is
// in progress gets ErrReentry (host.md §11.2). A trap comes back as a *vm3.Trap with a nil error;
// the heap stays usable, so the instance may be called again. After Close
// it returns ErrClosed and runs nothing.
func (inst *Instance) Call(ctx context.Context, name string, stack []uint64) (*vm3.Trap, error) {
	if inst.closed.Load() {
		return nil, ErrClosed
	}
	if inst.r.inHost > 0 {
		return nil, fmt.Errorf("%w (%s called during a host call)", ErrReentry, name)
	}
	fn := inst.fns[name]
	if fn == nil {
		if fn = inst.mod.ExportedFunction(name); fn == nil {
			return nil, fmt.Errorf("%w: no exported function %q", ErrEntry, name)
		}
		if inst.fns == nil {
			inst.fns = map[string]api.Function{}
		}
		inst.fns[name] = fn
	}
	def := fn.Definition()
	if need := max(len(def.ParamTypes()), len(def.ResultTypes())); len(stack) < need {
		return nil, fmt.Errorf("%w: %s%s needs a stack of %d values, got %d", ErrEntry, name,
			signature(def.ParamTypes(), def.ResultTypes()), need, len(stack))
	}
	if err := fn.CallWithStack(ctx, stack); err != nil {
		return classify(ctx, err)
	}
	return nil, nil
}

// Close releases the instance and lets the Module run again. Closing a
// closed instance returns ErrClosed; a host function closing the instance
// that called it gets ErrReentry.
func (inst *Instance) Close(ctx context.Context) error {
	if inst.closed.Load() {
		return ErrClosed
	}
	if inst.r.inHost > 0 {
		return fmt.Errorf("%w (Close called during a host call)", ErrReentry)
	}
	var err error
	if inst.mod != nil {
		err = inst.mod.Close(ctx)
	}
	inst.release()
	return err
}

// release marks the instance closed, then gives the Module back: from the
// Unlock on, another instance may run, and this one already refuses.
func (inst *Instance) release() {
	inst.closed.Store(true)
	inst.m.cur = nil
	inst.m.mu.Unlock()
}

// classify turns an error from a guest call into a trap (a *vm3.Trap from
// an import or the guest's trap, STACK_OVERFLOW for an exhausted Wasm
// stack) or an error (a context that ended, another engine trap, a Go
// runtime panic in a host function).
func classify(ctx context.Context, err error) (*vm3.Trap, error) {
	var t *vm3.Trap
	if errors.As(err, &t) {
		return t, nil
	}
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		switch exit.ExitCode() {
		case sys.ExitCodeDeadlineExceeded:
			return nil, fmt.Errorf("bridge: run stopped at its time limit: %w", context.DeadlineExceeded)
		case sys.ExitCodeContextCanceled:
			return nil, fmt.Errorf("bridge: run stopped: %w", context.Canceled)
		}
		return nil, fmt.Errorf("bridge: the module exited: %w", err)
	}
	var re runtime.Error
	if errors.As(err, &re) {
		return nil, fmt.Errorf("bridge: internal error, a Go runtime panic in a host function: %w", err)
	}
	if msg, ok := engineTrap(err); ok {
		if msg == "stack overflow" {
			return &vm3.Trap{Code: vm3pb.TrapCode_STACK_OVERFLOW, Op: "call", Detail: "the Wasm call stack is exhausted"}, nil
		}
		return nil, fmt.Errorf("bridge: the module trapped outside the vm3 ABI (%s), a bug in the module or its emitter: %w", msg, err)
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("bridge: run stopped: %w", ctx.Err())
	}
	return nil, fmt.Errorf("bridge: %w", err)
}

// engineTrap finds wazero's engine error (*wasmruntime.Error, an internal
// type: "stack overflow", "unreachable", "integer divide by zero", …) in
// err's chain and returns its text.
func engineTrap(err error) (string, bool) {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if t := reflect.TypeOf(e); t.Kind() == reflect.Pointer && t.Elem().Name() == "Error" && t.Elem().PkgPath() == wasmruntimePkg {
			return e.Error(), true
		}
	}
	return "", false
}

const wasmruntimePkg = "github.com/tetratelabs/wazero/internal/wasmruntime"
