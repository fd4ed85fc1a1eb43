package bridge

import (
	"context"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Host functions (host.md §11, handle-abi.md §10.8). A program's host
// imports are Wasm imports from module `host`, described by the module's
// `vm3.host` custom section; Compile binds each to the HostFunc of the same
// name in Options.Host, and a `host.call` runs it on the guest's goroutine:
//
//	greet := bridge.HostFunc{Sig: "(str) -> str", Fn: func(_ *bridge.HostCall, args []any) (any, error) {
//		return "hello, " + args[0].(string), nil
//	}}
//	m, err := bridge.Compile(ctx, wasm, bridge.Options{Host: map[string]bridge.HostFunc{"greet": greet}})
//
// Values cross as host.md §11.3 says for Go: i64 int64, f64 float64, bool
// bool, str string, host the Go value in the Host slot (nil for the null
// host), a reference (list<i64>, list<any>, map, f64arr, struct<S>) a
// *vm3.Ref or nil, any nil / int64 / float64 / bool / *vm3.Ref.

// HostFunc is a Go function a program may import.
type HostFunc struct {
	// Sig, if not empty, is the IR signature the function is written for
	// (ParseHostSig's text, "(str, i64) -> str"; a struct as struct<N> by
	// shape number, or "struct" for any shape). Compile refuses a module
	// whose vm3.host section declares the import with another signature.
	// Empty: the function takes whatever the module declares.
	Sig string
	// Fn runs the call. args holds one Go value per IR parameter (above);
	// the result must be the Go value of the IR result type (for unit it
	// is ignored). An error, a panic, or a result that does not convert
	// traps the guest with HOST_ERROR, the error's text as its detail.
	Fn func(call *HostCall, args []any) (any, error)
}

// Func is a HostFunc without a declared signature.
func Func(fn func(call *HostCall, args []any) (any, error)) HostFunc { return HostFunc{Fn: fn} }

// HostCall is what a host function learns about the call it answers.
type HostCall struct {
	// Context is the guest call's context. Module.Run and Instantiate
	// given it (or one derived from it) refuse with ErrReentry rather than
	// wait for the Module, which this call holds.
	Context context.Context
	// Name is the import's name.
	Name string
	// Sig is the import's IR signature as the module declares it.
	Sig HostSig
	// Heap is the instance's heap: the function may use it (and the
	// *vm3.Ref arguments) through the embedding API while it runs.
	Heap *vm3.Heap
	// Instance is the calling instance. Calling it (running one of its
	// entries) while this call is in progress is refused with ErrReentry
	// (host.md §11.2).
	Instance *Instance
}

// ErrReentry is returned for a call of an instance (or a Run of a module)
// made by a host function while the host call is in progress (host.md
// §11.2). A host function that returns it traps the outer host.call with
// HOST_ERROR.
var ErrReentry = errors.New("bridge: re-entry refused: a host function may not run the instance that called it")

// ErrHostImport is wrapped by Compile's error when a host import has no
// registered function or one registered with another signature: a usage
// error of the embedder (host.md §11.1), not a trap.
var ErrHostImport = errors.New("host import not bound")

// hostImport is one `host` import of the module, bound to its function.
type hostImport struct {
	name string
	sig  HostSig
	fn   HostFunc
}

// reentryKey marks a host call's context with the Module it holds.
type reentryKey struct{}

// checkHostImports is §10.8's check at compile: the vm3.host section
// present once, well formed, agreeing with the module's `host` imports in
// count, names, order and Wasm types; then each import bound to a function
// of host (with a matching Sig, if it declares one).
func checkHostImports(c wazero.CompiledModule, host map[string]HostFunc) ([]hostImport, error) {
	type imported struct {
		name            string
		params, results []api.ValueType
	}
	var imps []imported
	for _, def := range c.ImportedFunctions() {
		if mod, name, _ := def.Import(); mod == "host" {
			imps = append(imps, imported{name, def.ParamTypes(), def.ResultTypes()})
		}
	}
	var sections [][]byte
	for _, s := range c.CustomSections() {
		if s.Name() == "vm3.host" {
			sections = append(sections, s.Data())
		}
	}
	if len(imps) == 0 {
		if len(sections) > 0 {
			return nil, errors.New("bridge: a vm3.host custom section, but the module has no host imports")
		}
		return nil, nil
	}
	bad := func(format string, args ...any) ([]hostImport, error) {
		return nil, fmt.Errorf("bridge: not a handle-ABI module: "+format, args...)
	}
	switch len(sections) {
	case 0:
		return bad("import host.%s: no vm3.host custom section describes the module's host imports", imps[0].name)
	case 1:
	default:
		return bad("import host.%s: %d vm3.host custom sections, want one", imps[0].name, len(sections))
	}
	entries, err := parseHostSection(sections[0])
	if err != nil {
		return bad("import host.%s: %v", imps[0].name, err)
	}
	seen := map[string]bool{}
	out := make([]hostImport, len(imps))
	for k, im := range imps {
		if k >= len(entries) {
			return bad("import host.%s: vm3.host describes %d host imports, the module has %d", im.name, len(entries), len(imps))
		}
		e := entries[k]
		if e.name != im.name {
			return bad("import host.%s: vm3.host's entry %d is @%s (another name or order than the imports)", im.name, k, e.name)
		}
		if seen[im.name] {
			return bad("import host.%s is imported twice", im.name)
		}
		seen[im.name] = true
		params, results := e.sig.wasmTypes()
		if !sameTypes(im.params, params) || !sameTypes(im.results, results) {
			return bad("import host.%s has type %s, want %s (vm3.host declares %v)", im.name,
				signature(im.params, im.results), signature(params, results), e.sig)
		}
		out[k] = hostImport{name: im.name, sig: e.sig}
	}
	if len(entries) > len(imps) {
		return bad("vm3.host describes %d host imports (the next is @%s), the module has %d", len(entries), entries[len(imps)].name, len(imps))
	}
	for k := range out {
		h := &out[k]
		fn, ok := host[h.name]
		if !ok || fn.Fn == nil {
			return nil, fmt.Errorf("bridge: import host.%s %v: no host function registered under that name (bridge.Options.Host): %w", h.name, h.sig, ErrHostImport)
		}
		if fn.Sig != "" {
			want, err := ParseHostSig(fn.Sig)
			if err != nil {
				return nil, fmt.Errorf("bridge: the host function for import host.%s: %v: %w", h.name, err, ErrHostImport)
			}
			if !want.matches(h.sig) {
				return nil, fmt.Errorf("bridge: import host.%s: the module declares %v, the registered host function %v: %w", h.name, h.sig, want, ErrHostImport)
			}
		}
		h.fn = fn
	}
	return out, nil
}

// instantiateHostImports registers the `host` host module of m's runtime:
// one function per import, answering for m.cur.
func (m *Module) instantiateHostImports(ctx context.Context) error {
	if len(m.host) == 0 {
		return nil
	}
	b := m.rt.NewHostModuleBuilder("host")
	for k := range m.host {
		h := &m.host[k]
		params, results := h.sig.wasmTypes()
		b = b.NewFunctionBuilder().WithGoFunction(api.GoFunc(func(ctx context.Context, s []uint64) {
			m.hostCall(ctx, h, s)
		}), params, results).WithName(h.name).Export(h.name)
	}
	if _, err := b.Instantiate(ctx); err != nil {
		return fmt.Errorf("bridge: instantiating the host module: %w", err)
	}
	return nil
}

func hostError(format string, args ...any) *vm3.Trap {
	return &vm3.Trap{Code: vm3pb.TrapCode_HOST_ERROR, Op: "host_call", Detail: fmt.Sprintf(format, args...)}
}

// hostCall is one host.call (§10.8): the arguments checked and converted in
// order (a failing check traps with its code before the function runs, and
// unpins the Refs made for earlier arguments), the call (an error or panic
// is HOST_ERROR), the result converted back into s[0].
func (m *Module) hostCall(ctx context.Context, h *hostImport, s []uint64) {
	r := m.cur
	args := make([]any, len(h.sig.Params))
	for k, t := range h.sig.Params {
		v, err := argToGo(r.heap, t, s[k])
		if err != nil {
			for _, a := range args[:k] {
				if ref, ok := a.(*vm3.Ref); ok {
					ref.Release()
				}
			}
			fail(err)
		}
		args[k] = v
	}
	call := &HostCall{Context: context.WithValue(ctx, reentryKey{}, m), Name: h.name, Sig: h.sig, Heap: r.heap, Instance: r.inst}
	r.inHost++
	out, err := runHostFunc(h, call, args)
	r.inHost--
	if err != nil {
		fail(err)
	}
	if t := h.sig.Result; t.Type != vm3pb.Type_TYPE_UNIT {
		v, err := resultToWasm(r.heap, t, out, h.name)
		if err != nil {
			fail(err)
		}
		s[0] = v
	}
	r.sample()
}

// runHostFunc calls the function; an error or a panic becomes HOST_ERROR
// with its text.
func runHostFunc(h *hostImport, call *HostCall, args []any) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, hostError("host function @%s panicked: %v", h.name, p)
		}
	}()
	out, err = h.fn.Fn(call, args)
	if err != nil {
		return nil, hostError("host function @%s returned an error: %v", h.name, err)
	}
	return out, nil
}

// arenaOf is the arena of a reference type's objects (ir.md §8.2).
func arenaOf(t HostType) vm3pb.Arena {
	switch t.Type {
	case vm3pb.Type_TYPE_LIST:
		if t.Elem == vm3pb.Type_TYPE_I64 {
			return vm3pb.Arena_ARENA_I64_ARR
		}
		return vm3pb.Arena_ARENA_LIST
	case vm3pb.Type_TYPE_MAP:
		return vm3pb.Arena_ARENA_MAP
	case vm3pb.Type_TYPE_STRUCT:
		return vm3pb.Arena_ARENA_STRUCT
	case vm3pb.Type_TYPE_F64_ARR:
		return vm3pb.Arena_ARENA_F64_ARR
	case vm3pb.Type_TYPE_STR:
		return vm3pb.Arena_ARENA_STRING
	case vm3pb.Type_TYPE_HOST:
		return vm3pb.Arena_ARENA_HOST
	}
	return -1
}

// argToGo converts one argument (any i64 or i32 the guest passed) to the Go
// value of its IR type, with the checks of §10.8.
func argToGo(heap *vm3.Heap, t HostType, w uint64) (any, error) {
	switch t.Type {
	case vm3pb.Type_TYPE_I64:
		return int64(w), nil
	case vm3pb.Type_TYPE_F64:
		return math.Float64frombits(w), nil
	case vm3pb.Type_TYPE_BOOL:
		switch uint32(w) {
		case 0:
			return false, nil
		case 1:
			return true, nil
		}
		return nil, &vm3.Trap{Code: vm3pb.TrapCode_BAD_ARGUMENT, Op: "host_call", Detail: fmt.Sprintf("bool argument i32 %d is not 0 or 1", uint32(w))}
	}
	c := vm3.Cell(w)
	if c == vm3.Null {
		return nil, nil
	}
	switch t.Type {
	case vm3pb.Type_TYPE_STR:
		return heap.StrText(c)
	case vm3pb.Type_TYPE_HOST:
		return heap.HostGet(c)
	case vm3pb.Type_TYPE_ANY:
		v, err := c.Decode()
		if err != nil {
			return nil, err
		}
		switch v.Kind {
		case vm3.KindInt:
			return v.Int, nil
		case vm3.KindF64:
			return v.F64, nil
		case vm3.KindBool:
			return v.Bool, nil
		}
		if err := heap.CheckHandle(c, v.Arena); err != nil {
			return nil, err
		}
		return vm3.NewRef(heap, c)
	}
	if err := heap.CheckHandle(c, arenaOf(t)); err != nil {
		return nil, err
	}
	if t.Type == vm3pb.Type_TYPE_STRUCT {
		shape, err := heap.StructShape(c)
		if err != nil {
			return nil, err
		}
		if shape != t.Struct {
			return nil, &vm3.Trap{Code: vm3pb.TrapCode_WRONG_TYPE, Op: "host_call", Detail: fmt.Sprintf("%v is a struct of shape %d, not %v", c, shape, t)}
		}
	}
	return vm3.NewRef(heap, c)
}

// resultToWasm converts the host function's result to the Wasm value of
// type t (host.md §11.3): HOST_ERROR for a value that does not convert; a
// heap trap (OUT_OF_MEMORY) for a String or Host slot that cannot be
// allocated.
func resultToWasm(heap *vm3.Heap, t HostType, v any, name string) (uint64, error) {
	want := func(what string) error {
		return hostError("the result of host function @%s: want %s for %v, got %s", name, what, t, describe(v))
	}
	switch t.Type {
	case vm3pb.Type_TYPE_I64:
		if x, ok := v.(int64); ok {
			return uint64(x), nil
		}
		return 0, want("an int64")
	case vm3pb.Type_TYPE_F64:
		if x, ok := v.(float64); ok {
			return math.Float64bits(x), nil
		}
		return 0, want("a float64")
	case vm3pb.Type_TYPE_BOOL:
		if x, ok := v.(bool); ok {
			if x {
				return 1, nil
			}
			return 0, nil
		}
		return 0, want("a bool")
	case vm3pb.Type_TYPE_STR:
		x, ok := v.(string)
		if !ok {
			return 0, want("a string")
		}
		if !utf8.ValidString(x) {
			return 0, hostError("the result of host function @%s: the string is not valid UTF-8", name)
		}
		c, err := heap.StrNewString(x)
		return uint64(c), err
	case vm3pb.Type_TYPE_HOST:
		if v == nil {
			return uint64(vm3.Null), nil
		}
		c, err := heap.HostNew(v)
		return uint64(c), err
	case vm3pb.Type_TYPE_ANY:
		switch x := v.(type) {
		case nil:
			return uint64(vm3.Null), nil
		case int64:
			c, err := vm3.IntCell(x)
			if err != nil {
				return 0, hostError("the result of host function @%s: %d does not fit a boxed i64 (48 bits)", name, x)
			}
			return uint64(c), nil
		case float64:
			return uint64(vm3.F64Cell(x)), nil
		case bool:
			return uint64(vm3.BoolCell(x)), nil
		case *vm3.Ref:
			c, err := ownRef(heap, x, name, t)
			return uint64(c), err
		}
		return 0, want("nil, an int64, a float64, a bool or a *vm3.Ref")
	}
	// A reference type.
	if v == nil {
		return uint64(vm3.Null), nil
	}
	ref, ok := v.(*vm3.Ref)
	if !ok {
		return 0, want("a *vm3.Ref")
	}
	c, err := ownRef(heap, ref, name, t)
	if err != nil {
		return 0, err
	}
	if c == vm3.Null {
		return uint64(c), nil
	}
	if d, _ := c.Decode(); d.Kind != vm3.KindHandle || d.Arena != arenaOf(t) {
		return 0, hostError("the result of host function @%s: the reference is not a %v", name, t)
	}
	if t.Type == vm3pb.Type_TYPE_STRUCT {
		// A struct freed since converts (host.md §11.3); its next use traps.
		if shape, err := heap.StructShape(c); err == nil && shape != t.Struct {
			return 0, hostError("the result of host function @%s: the struct is of shape %d, not a %v", name, shape, t)
		}
	}
	return uint64(c), nil
}

// ownRef checks that ref is a reference object of this heap, not released;
// a nil *vm3.Ref is the null reference.
func ownRef(heap *vm3.Heap, ref *vm3.Ref, name string, t HostType) (vm3.Cell, error) {
	switch {
	case ref == nil:
		return vm3.Null, nil
	case ref.Heap() != heap:
		return 0, hostError("the result of host function @%s: the reference for %v belongs to another instance", name, t)
	case ref.Released():
		return 0, hostError("the result of host function @%s: the reference for %v was released", name, t)
	}
	return ref.Cell(), nil
}

func describe(v any) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprintf("a %T", v)
}
