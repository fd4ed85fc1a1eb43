package bridge

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/internal/wasmgen"
	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Host imports (handle-abi.md §10.8) on hand-built modules: each host
// import gets an exported entry call_NAME(i64 …) that passes its i64
// arguments to the import as the import's Wasm types (an f64 reinterpreted,
// a bool wrapped to i32) and returns the result as an i64 (an f64
// reinterpreted, an i32 extended), so that tests can pass any bit pattern.

type hostDecl struct {
	name string
	sig  string // ParseHostSig text
}

func mustSig(t testing.TB, text string) HostSig {
	t.Helper()
	s, err := ParseHostSig(text)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// encodeHostSection is the vm3.host section of sigs, in order.
func encodeHostSection(t testing.TB, decls []hostDecl) []byte {
	b := wasmgen.U32(nil, uint32(len(decls)))
	typ := func(b []byte, h HostType) []byte {
		b = wasmgen.U32(b, uint32(h.Type))
		b = wasmgen.U32(b, uint32(h.Elem))
		return wasmgen.U32(b, h.Struct)
	}
	for _, d := range decls {
		s := mustSig(t, d.sig)
		b = wasmgen.U32(b, uint32(len(d.name)))
		b = append(b, d.name...)
		b = wasmgen.U32(b, uint32(len(s.Params)))
		for _, p := range s.Params {
			b = typ(b, p)
		}
		b = typ(b, s.Result)
	}
	return b
}

// hostModule builds the module: no vm3 imports but the given ones, the host
// imports of decls, section as the vm3.host section (nil: the right one,
// []byte{} none).
func hostModule(t testing.TB, decls []hostDecl, section []byte, vm3Imports ...string) []byte {
	g := newGuest(vm3Imports...)
	var fs []uint32
	for _, d := range decls {
		params, results := mustSig(t, d.sig).wasmTypes()
		ft := wasmgen.FuncType{}
		for _, p := range params {
			ft.Params = append(ft.Params, vt(p))
		}
		for _, r := range results {
			ft.Results = append(ft.Results, vt(r))
		}
		fs = append(fs, g.Import("host", d.name, ft))
	}
	for k, d := range decls {
		s := mustSig(t, d.sig)
		var body code
		var ps []vt
		for j, p := range s.Params {
			ps = append(ps, I64)
			body = body.LocalGet(uint32(j))
			switch p.Type {
			case vm3pb.Type_TYPE_F64:
				body = body.Op(0xBF) // f64.reinterpret_i64
			case vm3pb.Type_TYPE_BOOL:
				body = body.Op(0xA7) // i32.wrap_i64
			}
		}
		body = body.Call(fs[k])
		var rs []vt
		switch s.Result.Type {
		case vm3pb.Type_TYPE_UNIT:
		case vm3pb.Type_TYPE_F64:
			body, rs = body.Op(0xBD), vts(I64) // i64.reinterpret_f64
		case vm3pb.Type_TYPE_BOOL:
			body, rs = body.Op(0xAD), vts(I64) // i64.extend_i32_u
		default:
			rs = vts(I64)
		}
		g.entry("call_"+d.name, sig(ps, rs...), nil, body)
	}
	if section == nil {
		section = encodeHostSection(t, decls)
	}
	if len(section) > 0 {
		g.Custom("vm3.host", section)
	}
	return g.bytes()
}

// hostInstance compiles and instantiates a module of decls bound to fns on
// a MINIMAL heap (nothing collects unless a test says so).
func hostInstance(t *testing.T, opts Options, decls []hostDecl, fns map[string]HostFunc) *Instance {
	t.Helper()
	opts.Host = fns
	m := compile(t, hostModule(t, decls, nil), opts)
	inst, res, err := m.Instantiate(context.Background(), vm3.Config{Variant: vm3pb.Variant_MINIMAL})
	if err != nil || res.Trap != nil {
		t.Fatal(err, res.Trap)
	}
	t.Cleanup(func() { inst.Close(context.Background()) })
	return inst
}

// call runs call_NAME(args…) and returns its i64 result or its trap.
func call(t *testing.T, inst *Instance, name string, args ...uint64) (uint64, *vm3.Trap) {
	t.Helper()
	stack := append(append([]uint64{}, args...), 0)
	trap, err := inst.Call(context.Background(), "call_"+name, stack)
	if err != nil {
		t.Fatalf("call_%s: %v", name, err)
	}
	return stack[0], trap
}

func wantHostTrap(t *testing.T, trap *vm3.Trap, code vm3pb.TrapCode, what string) {
	t.Helper()
	if trap == nil || trap.Code != code {
		t.Errorf("%s: got trap %v, want %v", what, trap, code)
	}
}

func TestHostConversions(t *testing.T) {
	decls := []hostDecl{
		{"i", "(i64) -> i64"}, {"f", "(f64) -> f64"}, {"b", "(bool) -> bool"},
		{"s", "(str) -> str"}, {"h", "(host) -> host"}, {"l", "(list<i64>) -> list<i64>"},
		{"la", "(list<any>) -> list<any>"}, {"m", "(map) -> map"}, {"fa", "(f64arr) -> f64arr"},
		{"st", "(struct<1>) -> struct<1>"}, {"a", "(any) -> any"}, {"u", "() -> unit"},
		{"two", "(list<i64>, str) -> i64"},
	}
	var got []any
	echo := Func(func(_ *HostCall, args []any) (any, error) { got = args; return args[0], nil })
	fns := map[string]HostFunc{}
	for _, d := range decls {
		fns[d.name] = echo
	}
	fns["i"] = Func(func(_ *HostCall, a []any) (any, error) { got = a; return a[0].(int64) - 1, nil })
	fns["u"] = Func(func(_ *HostCall, a []any) (any, error) { got = a; return "ignored", nil })
	fns["two"] = Func(func(_ *HostCall, a []any) (any, error) { got = a; return int64(2), nil })
	fns["s"] = HostFunc{Sig: "(str) -> str", Fn: func(_ *HostCall, a []any) (any, error) {
		got = a
		if a[0] == nil {
			return "null", nil
		}
		return "<" + a[0].(string) + ">", nil
	}}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			inst := hostInstance(t, e.opts, decls, fns)
			h, _ := inst.Heap()
			if v, trap := call(t, inst, "i", uint64(1<<63)); trap != nil || int64(v) != math.MaxInt64 || got[0] != int64(math.MinInt64) {
				t.Errorf("i(MinInt64) = %d, %v; host got %v", int64(v), trap, got)
			}
			if v, trap := call(t, inst, "f", math.Float64bits(-0.5)); trap != nil || math.Float64frombits(v) != -0.5 {
				t.Errorf("f(-0.5) = %v, %v", math.Float64frombits(v), trap)
			}
			for _, b := range []uint64{0, 1} {
				if v, trap := call(t, inst, "b", b); trap != nil || v != b || got[0] != (b == 1) {
					t.Errorf("b(%d) = %d, %v; host got %v", b, v, trap, got)
				}
			}
			_, trap := call(t, inst, "b", 2)
			wantHostTrap(t, trap, vm3pb.TrapCode_BAD_ARGUMENT, "bool i32 2")

			str, _ := h.StrNewString("wörld")
			v, trap := call(t, inst, "s", uint64(str))
			if text, err := h.StrText(vm3.Cell(v)); trap != nil || err != nil || text != "<wörld>" || got[0] != "wörld" {
				t.Errorf("s = %q, %v, %v", text, trap, err)
			}
			v, _ = call(t, inst, "s", uint64(vm3.Null))
			if text, _ := h.StrText(vm3.Cell(v)); text != "null" || got[0] != nil {
				t.Errorf("s(null): host got %v, result %q", got, text)
			}

			type thing struct{ n int }
			th := &thing{7}
			hc, _ := h.HostNew(th)
			v, _ = call(t, inst, "h", uint64(hc))
			if back, err := h.HostGet(vm3.Cell(v)); err != nil || back != th || got[0] != th || vm3.Cell(v) == hc {
				t.Errorf("h: got %v, result %v (a new slot holding the same value expected)", got, back)
			}
			if v, _ := call(t, inst, "h", uint64(vm3.Null)); vm3.Cell(v) != vm3.Null || got[0] != nil {
				t.Errorf("h(null) = %v, host got %v", vm3.Cell(v), got)
			}

			refs := map[string]vm3.Cell{}
			refs["l"], _ = h.I64ArrNew(0)
			refs["la"], _ = h.ListNew(0)
			refs["m"], _ = h.MapNew()
			refs["fa"], _ = h.F64ArrNew(0)
			refs["st"], _ = h.StructNewShaped(1, 1)
			refs["a"] = refs["la"]
			for name, c := range refs {
				v, trap := call(t, inst, name, uint64(c))
				ref, ok := got[0].(*vm3.Ref)
				if trap != nil || vm3.Cell(v) != c || !ok || ref.Cell() != c || ref.Heap() != h {
					t.Errorf("%s: %v, %v, host got %v", name, vm3.Cell(v), trap, got)
					continue
				}
				ref.Release()
				if err := h.Unpin(c); err == nil {
					t.Errorf("%s: still pinned after Release", name)
				}
			}
			wrongShape, _ := h.StructNewShaped(1, 2)
			_, trap = call(t, inst, "st", uint64(wrongShape))
			wantHostTrap(t, trap, vm3pb.TrapCode_WRONG_TYPE, "struct of shape 2 for struct<1>")

			for _, c := range []struct {
				in   vm3.Cell
				want any
			}{{vm3.Null, nil}, {mustInt(t, 5), int64(5)}, {mustInt(t, -1<<40), int64(-1 << 40)},
				{vm3.F64Cell(2.5), 2.5}, {vm3.BoolCell(true), true}} {
				v, trap := call(t, inst, "a", uint64(c.in))
				if trap != nil || vm3.Cell(v) != c.in || got[0] != c.want {
					t.Errorf("a(%v) = %v, %v; host got %#v", c.in, vm3.Cell(v), trap, got[0])
				}
			}
			v, trap = call(t, inst, "a", uint64(str))
			if ref, ok := got[0].(*vm3.Ref); trap != nil || !ok || ref.Cell() != str || vm3.Cell(v) != str {
				t.Errorf("a(a string): host got %#v", got[0])
			}
			if _, trap := call(t, inst, "u"); trap != nil || len(got) != 0 {
				t.Errorf("u: %v %v", trap, got)
			}
			if err := h.CheckInvariants(); err != nil {
				t.Error(err)
			}
		})
	}
}

func mustInt(t *testing.T, i int64) vm3.Cell {
	c, err := vm3.IntCell(i)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestHostForgedArguments: any i64 may arrive as a Cell argument; each is
// checked as the vm3 imports check theirs, the trap comes before the host
// function runs, and no Ref made for an earlier argument stays pinned.
func TestHostForgedArguments(t *testing.T) {
	decls := []hostDecl{{"s", "(str) -> i64"}, {"h", "(host) -> i64"}, {"l", "(list<i64>) -> i64"},
		{"a", "(any) -> i64"}, {"st", "(struct<0>) -> i64"}, {"two", "(list<any>, str) -> i64"}}
	calls := 0
	fn := Func(func(*HostCall, []any) (any, error) { calls++; return int64(0), nil })
	fns := map[string]HostFunc{}
	for _, d := range decls {
		fns[d.name] = fn
	}
	inst := hostInstance(t, Options{}, decls, fns)
	h, _ := inst.Heap()
	list, _ := h.ListNew(0)
	i64arr, _ := h.I64ArrNew(0)
	freedHost, _ := h.HostNew(1)
	h.Free(freedHost)
	freedStr, _ := h.StrNewString("x")
	h.Free(freedStr)
	for _, c := range []struct {
		name string
		arg  uint64
		want vm3pb.TrapCode
	}{
		{"s", 0xFFF8_0000_0000_0000, vm3pb.TrapCode_BAD_CELL},
		{"s", 0x7FF8_0000_0000_0001, vm3pb.TrapCode_BAD_CELL},
		{"s", math.Float64bits(1.5), vm3pb.TrapCode_NOT_A_HANDLE},
		{"s", uint64(list), vm3pb.TrapCode_WRONG_ARENA},
		{"s", uint64(freedStr), vm3pb.TrapCode_STALE_HANDLE},
		{"h", uint64(freedHost), vm3pb.TrapCode_STALE_HANDLE},
		{"h", uint64(list), vm3pb.TrapCode_WRONG_ARENA},
		{"l", uint64(list), vm3pb.TrapCode_WRONG_ARENA}, // list<i64> lives in I64Arr
		{"l", uint64(vm3.MakeHandle(vm3pb.Arena_ARENA_I64_ARR, 0, 1<<31)), vm3pb.TrapCode_STALE_HANDLE},
		{"a", 0xFFFD_0000_0000_0000, vm3pb.TrapCode_BAD_CELL},
		{"a", uint64(freedStr), vm3pb.TrapCode_STALE_HANDLE},
		{"a", uint64(vm3.MakeHandle(3, 0, 0)), vm3pb.TrapCode_STALE_HANDLE}, // an arena this version lacks
		{"a", uint64(vm3.MakeHandle(14, 0, 0)), vm3pb.TrapCode_BAD_CELL},
		{"st", uint64(i64arr), vm3pb.TrapCode_WRONG_ARENA},
		{"st", 5, vm3pb.TrapCode_NOT_A_HANDLE},
	} {
		_, trap := call(t, inst, c.name, c.arg)
		wantHostTrap(t, trap, c.want, c.name+" "+vm3.Cell(c.arg).String())
	}
	// A valid list<any>, then a bad str: the trap unpins the list's Ref.
	_, trap := call(t, inst, "two", uint64(list), uint64(freedStr))
	wantHostTrap(t, trap, vm3pb.TrapCode_STALE_HANDLE, "two(list, stale str)")
	var np *vm3.Trap
	if err := h.Unpin(list); !errors.As(err, &np) || np.Code != vm3pb.TrapCode_NOT_PINNED {
		t.Errorf("the list is still pinned after the failed call: %v", err)
	}
	if calls != 0 {
		t.Errorf("the host function ran %d times for forged arguments", calls)
	}
	if err := h.CheckInvariants(); err != nil {
		t.Error(err)
	}
}

// TestHostErrors: an error, a panic and every result that does not convert
// trap HOST_ERROR with the host function named; allocation traps stay theirs.
func TestHostErrors(t *testing.T) {
	other := vm3.NewHeap(vm3.Config{})
	otherList, _ := other.I64ArrNew(0)
	otherRef, _ := vm3.NewRef(other, otherList)
	var result any
	var ret error
	fn := Func(func(c *HostCall, _ []any) (any, error) {
		if f, ok := result.(func(*HostCall) any); ok {
			return f(c), ret
		}
		return result, ret
	})
	decls := []hostDecl{{"i", "() -> i64"}, {"f", "() -> f64"}, {"b", "() -> bool"}, {"s", "() -> str"},
		{"l", "() -> list<i64>"}, {"st", "() -> struct<1>"}, {"a", "() -> any"}, {"u", "() -> unit"}, {"h", "() -> host"}}
	fns := map[string]HostFunc{}
	for _, d := range decls {
		fns[d.name] = fn
	}
	fns["p"] = Func(func(*HostCall, []any) (any, error) { panic("kaboom") })
	decls = append(decls, hostDecl{"p", "() -> i64"})
	inst := hostInstance(t, Options{}, decls, fns)
	h, _ := inst.Heap()
	newRef := func(mk func() (vm3.Cell, error)) func(*HostCall) any {
		return func(c *HostCall) any {
			cell, _ := mk()
			r, err := vm3.NewRef(c.Heap, cell)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
	}
	released := func(c *HostCall) any {
		cell, _ := c.Heap.I64ArrNew(0)
		r, _ := vm3.NewRef(c.Heap, cell)
		r.Release()
		return r
	}
	for _, c := range []struct {
		name   string
		result any
		err    error
		detail string
	}{
		{"i", nil, errors.New("boom"), "host function @i returned an error: boom"},
		{"u", nil, errors.New("boom"), "returned an error: boom"},
		{"i", int(1), nil, "want an int64 for i64, got a int"},
		{"i", uint64(1) << 63, nil, "got a uint64"},
		{"f", float32(1), nil, "want a float64"},
		{"b", 1, nil, "want a bool"},
		{"s", "\xff", nil, "not valid UTF-8"},
		{"s", []byte("x"), nil, "want a string"},
		{"l", otherRef, nil, "belongs to another instance"},
		{"l", released, nil, "was released"},
		{"l", newRef(func() (vm3.Cell, error) { return h.ListNew(0) }), nil, "not a list<i64>"},
		{"l", "x", nil, "want a *vm3.Ref"},
		{"st", newRef(func() (vm3.Cell, error) { return h.StructNewShaped(1, 0) }), nil, "shape 0, not a struct<1>"},
		{"a", int64(1) << 47, nil, "does not fit a boxed i64"},
		{"a", "text", nil, "want nil, an int64"},
		{"a", int32(1), nil, "want nil, an int64"},
	} {
		result, ret = c.result, c.err
		_, trap := call(t, inst, c.name)
		wantHostTrap(t, trap, vm3pb.TrapCode_HOST_ERROR, c.name+" "+c.detail)
		if trap != nil && !strings.Contains(trap.Detail, c.detail) {
			t.Errorf("%s: detail %q, want it to contain %q", c.name, trap.Detail, c.detail)
		}
	}
	_, trap := call(t, inst, "p")
	wantHostTrap(t, trap, vm3pb.TrapCode_HOST_ERROR, "panic")
	if trap != nil && trap.Detail != "host function @p panicked: kaboom" {
		t.Errorf("panic detail %q", trap.Detail)
	}
	// Results that do convert, after all that: the heap is usable.
	ret = nil
	for _, c := range []struct {
		name   string
		result any
		want   vm3.Cell
	}{{"a", int64(-1) << 47, mustInt(t, -1<<47)}, {"a", nil, vm3.Null}, {"l", nil, vm3.Null},
		{"l", (*vm3.Ref)(nil), vm3.Null}, {"h", nil, vm3.Null}, {"a", false, vm3.BoolCell(false)}} {
		result = c.result
		if v, trap := call(t, inst, c.name); trap != nil || vm3.Cell(v) != c.want {
			t.Errorf("%s(%#v) = %v, %v; want %v", c.name, c.result, vm3.Cell(v), trap, c.want)
		}
	}
	// A freed struct converts; its next use would trap.
	freed, _ := h.StructNewShaped(1, 1)
	fr, _ := vm3.NewRef(h, freed)
	h.Free(freed)
	result = fr
	if v, trap := call(t, inst, "st"); trap != nil || vm3.Cell(v) != freed {
		t.Errorf("a freed struct: %v, %v", vm3.Cell(v), trap)
	}
	if err := h.CheckInvariants(); err != nil {
		t.Error(err)
	}
}

// TestHostOutOfMemory: a str result the heap cannot hold traps as str_new
// would (the allocation's own trap, not HOST_ERROR).
func TestHostOutOfMemory(t *testing.T) {
	m := compile(t, hostModule(t, []hostDecl{{"s", "() -> str"}}, nil), Options{Host: map[string]HostFunc{
		"s": Func(func(*HostCall, []any) (any, error) { return strings.Repeat("x", 1000), nil }),
	}})
	res, err := m.Run(context.Background(), "call_s", nil, vm3.Config{Variant: vm3pb.Variant_MINIMAL, MaxHeapBytes: 100}, ResultI64)
	if err != nil || res.Trap == nil || res.Trap.Code != vm3pb.TrapCode_OUT_OF_MEMORY {
		t.Errorf("got %v, %v", res.Text(), err)
	}
}

func TestHostReentry(t *testing.T) {
	var inner error
	var runErr error
	decls := []hostDecl{{"again", "() -> i64"}, {"leak", "() -> i64"}, {"run", "() -> i64"}, {"ok", "() -> i64"}}
	fns := map[string]HostFunc{
		"again": Func(func(c *HostCall, _ []any) (any, error) {
			_, inner = c.Instance.Call(c.Context, "call_ok", make([]uint64, 1))
			return int64(1), nil
		}),
		"leak": Func(func(c *HostCall, _ []any) (any, error) {
			_, err := c.Instance.Call(context.Background(), "call_ok", make([]uint64, 1))
			return nil, err
		}),
		"run": Func(func(c *HostCall, _ []any) (any, error) {
			_, runErr = c.Instance.m.Run(c.Context, "call_ok", nil, vm3.Config{}, ResultI64)
			if err := c.Instance.Close(c.Context); !errors.Is(err, ErrReentry) {
				t.Errorf("Close during the host call: %v", err)
			}
			return int64(3), nil
		}),
		"ok": Func(func(*HostCall, []any) (any, error) { return int64(7), nil }),
	}
	inst := hostInstance(t, Options{}, decls, fns)
	if v, trap := call(t, inst, "again"); trap != nil || v != 1 || !errors.Is(inner, ErrReentry) {
		t.Errorf("again: %d %v, the nested call: %v", v, trap, inner)
	}
	_, trap := call(t, inst, "leak")
	wantHostTrap(t, trap, vm3pb.TrapCode_HOST_ERROR, "a re-entry error let escape")
	if trap != nil && !strings.Contains(trap.Detail, "re-entry refused") {
		t.Errorf("detail %q", trap.Detail)
	}
	if v, trap := call(t, inst, "run"); trap != nil || v != 3 || !errors.Is(runErr, ErrReentry) {
		t.Errorf("run: %d %v, the nested Run: %v", v, trap, runErr)
	}
	if v, trap := call(t, inst, "ok"); trap != nil || v != 7 {
		t.Errorf("after the refusals: %d %v", v, trap)
	}
}

// TestHostImportBinding: a missing function or one declared with another
// signature is ErrHostImport at Compile, naming the import.
func TestHostImportBinding(t *testing.T) {
	decls := []hostDecl{{"greet", "(str) -> str"}, {"take", "(struct<2>) -> host"}}
	wasm := hostModule(t, decls, nil)
	noop := func(*HostCall, []any) (any, error) { return nil, nil }
	for _, c := range []struct {
		fns  map[string]HostFunc
		want string
	}{
		{nil, "import host.greet (str) -> str: no host function registered"},
		{map[string]HostFunc{"greet": Func(noop)}, "import host.take (struct<2>) -> host: no host function"},
		{map[string]HostFunc{"greet": {Sig: "(str) -> i64", Fn: noop}, "take": Func(noop)}, "import host.greet: the module declares (str) -> str, the registered host function (str) -> i64"},
		{map[string]HostFunc{"greet": Func(noop), "take": {Sig: "(struct<1>) -> host", Fn: noop}}, "declares (struct<2>) -> host"},
		{map[string]HostFunc{"greet": {Sig: "str -> str", Fn: noop}, "take": Func(noop)}, `host signature "str -> str"`},
		{map[string]HostFunc{"greet": {Sig: "(str)"}, "take": Func(noop)}, "no host function registered"},
	} {
		_, err := Compile(context.Background(), wasm, Options{Host: c.fns})
		if !errors.Is(err, ErrHostImport) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want ErrHostImport containing %q", err, c.want)
		}
	}
	for _, fns := range []map[string]HostFunc{
		{"greet": Func(noop), "take": Func(noop), "unused": Func(noop)},
		{"greet": {Sig: "(str) -> str", Fn: noop}, "take": {Sig: "(struct) -> host", Fn: noop}},
	} {
		m, err := Compile(context.Background(), wasm, Options{Host: fns})
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		m.Close(context.Background())
	}
}

// TestHostSectionRefused: a module with host imports and a missing, doubled,
// malformed or disagreeing vm3.host section does not compile; the error
// names the import.
func TestHostSectionRefused(t *testing.T) {
	decls := []hostDecl{{"greet", "(str) -> str"}, {"n", "(i64, bool) -> f64"}}
	good := encodeHostSection(t, decls)
	noop := Func(func(*HostCall, []any) (any, error) { return nil, nil })
	fns := map[string]HostFunc{"greet": noop, "n": noop}
	u := func(vs ...uint32) []byte {
		var b []byte
		for _, v := range vs {
			b = wasmgen.U32(b, v)
		}
		return b
	}
	entry := func(name string, types ...uint32) []byte { // types: nparams, then triples
		b := u(uint32(len(name)))
		b = append(b, name...)
		return append(b, u(types...)...)
	}
	greet := entry("greet", 1, 4, 0, 0, 4, 0, 0)
	n := entry("n", 2, 1, 0, 0, 3, 0, 0, 2, 0, 0)
	cat := func(bs ...[]byte) []byte {
		var out []byte
		for _, b := range bs {
			out = append(out, b...)
		}
		return out
	}
	if string(cat(u(2), greet, n)) != string(good) {
		t.Fatalf("the hand-made section differs from encodeHostSection's")
	}
	for _, c := range []struct {
		what    string
		section []byte
		twice   bool
		want    string
	}{
		{"none", []byte{}, false, "import host.greet: no vm3.host custom section describes the module's host imports"},
		{"two", good, true, "import host.greet: 2 vm3.host custom sections"},
		{"empty", []byte{0}, false, "import host.greet: vm3.host describes 0 host imports, the module has 2"},
		{"truncated", good[:len(good)-1], false, "truncated"},
		{"left over", cat(good, []byte{0}), false, "1 bytes left over"},
		{"over-long", cat([]byte{0x82, 0x80, 0x80, 0x80, 0x80, 0x00}, greet, n), false, "over-long"},
		{"over-large", cat([]byte{0x82, 0x80, 0x80, 0x80, 0x10}, greet, n), false, "over-long or over-large"},
		{"huge count", u(1 << 30), false, "cannot fit"},
		{"huge params", cat(u(2), entry("greet", 1<<30)), false, "cannot fit"},
		{"name past the end", cat(u(1), u(200), make([]byte, 10)), false, "runs past the section's end"},
		{"not UTF-8", cat(u(2), entry("gr\xffet", 1, 4, 0, 0, 4, 0, 0), n), false, "not UTF-8"},
		{"reserved type", cat(u(2), entry("greet", 1, 7, 0, 0, 4, 0, 0), n), false, "type 7 is not an IR type"},
		{"unit parameter", cat(u(2), entry("greet", 1, 17, 0, 0, 4, 0, 0), n), false, "a parameter of type unit"},
		{"list of f64", cat(u(2), entry("greet", 1, 5, 2, 0, 4, 0, 0), n), false, "a list of element type 2"},
		{"elem on str", cat(u(2), entry("greet", 1, 4, 1, 0, 4, 0, 0), n), false, "str with element type 1"},
		{"struct_id on str", cat(u(2), entry("greet", 1, 4, 0, 3, 4, 0, 0), n), false, "str with struct_id 3"},
		{"huge type", cat(u(2), entry("greet", 1, 1<<31, 0, 0, 4, 0, 0), n), false, "not IR types"},
		{"order", cat(u(2), n, greet), false, "import host.greet: vm3.host's entry 0 is @n"},
		{"one more", cat(u(3), greet, n, entry("x", 0, 17, 0, 0)), false, "describes 3 host imports (the next is @x), the module has 2"},
		{"wasm types", cat(u(2), entry("greet", 1, 3, 0, 0, 4, 0, 0), n), false, "import host.greet has type (i64) -> (i64), want (i32) -> (i64) (vm3.host declares (bool) -> str)"},
		{"result", cat(u(2), greet, entry("n", 2, 1, 0, 0, 3, 0, 0, 17, 0, 0)), false, "import host.n has type (i64, i32) -> (f64), want (i64, i32) -> () (vm3.host declares (i64, bool) -> unit)"},
	} {
		g := newGuest()
		for _, d := range decls {
			params, results := mustSig(t, d.sig).wasmTypes()
			ft := wasmgen.FuncType{}
			for _, p := range params {
				ft.Params = append(ft.Params, vt(p))
			}
			for _, r := range results {
				ft.Results = append(ft.Results, vt(r))
			}
			g.Import("host", d.name, ft)
		}
		if len(c.section) > 0 {
			g.Custom("vm3.host", c.section)
			if c.twice {
				g.Custom("vm3.host", c.section)
			}
		}
		_, err := Compile(context.Background(), g.bytes(), Options{Host: fns})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.what, err, c.want)
		}
	}
	// Host imports are functions; no module imports a global.
	for _, mod := range []string{"host", "vm3", "env"} {
		g := newGuest()
		g.ImportGlobal(mod, "g", I64)
		want := map[string]string{"host": "import host.g: a global; host imports are functions",
			"vm3": "import vm3.g: a global; the vm3 imports are functions", "env": "import env.g: a handle-ABI module imports only from modules vm3 and host"}[mod]
		if _, err := Compile(context.Background(), g.bytes(), Options{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("a global import from %s: %v", mod, err)
		}
	}
	// A section without host imports is refused too.
	g := newGuest()
	g.Custom("vm3.host", []byte{0})
	if _, err := Compile(context.Background(), g.bytes(), Options{}); err == nil || !strings.Contains(err.Error(), "no host imports") {
		t.Errorf("a section without imports: %v", err)
	}
	if _, err := Compile(context.Background(), hostModule(t, decls, good), Options{Host: fns}); err != nil {
		t.Errorf("the good section: %v", err)
	}
}

func TestParseHostSig(t *testing.T) {
	for _, text := range []string{"() -> unit", "(i64, f64, bool, str, host, any, map, f64arr, list<i64>, list<any>, struct<3>) -> struct<0>", "(struct) -> host"} {
		s, err := ParseHostSig(text)
		if err != nil || s.String() != text {
			t.Errorf("%q: %v, %v", text, s, err)
		}
	}
	for _, text := range []string{"", "()", "(unit) -> i64", "(i32) -> i64", "(struct<x>) -> i64", "i64 -> i64", "(list<f64>) -> unit"} {
		if _, err := ParseHostSig(text); err == nil {
			t.Errorf("%q parsed", text)
		}
	}
}

// FuzzHostSection: any bytes as a vm3.host section's contents are an error
// or entries that encode back to the same bytes when canonical; never a
// panic. `go test` runs the seeds; `go test -fuzz FuzzHostSection` explores.
func FuzzHostSection(f *testing.F) {
	f.Add(encodeHostSection(f, []hostDecl{{"greet", "(str) -> str"}, {"n", "(i64, bool, list<any>, struct<9>) -> unit"}}))
	f.Add([]byte{})
	f.Add([]byte{0})
	f.Add([]byte{1, 1, 'x', 0xFF, 0xFF, 0xFF, 0xFF, 0x0F})
	f.Add([]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := parseHostSection(data)
		if err != nil {
			return
		}
		var decls []hostDecl
		for _, e := range entries {
			for _, p := range e.sig.Params {
				if why := p.valid(false); why != "" {
					t.Fatalf("accepted an invalid parameter: %s", why)
				}
			}
			decls = append(decls, hostDecl{e.name, e.sig.String()})
		}
		again, err := parseHostSection(encodeHostSection(t, decls))
		if err != nil || len(again) != len(entries) {
			t.Fatalf("re-encoded: %v", err)
		}
		for k := range again {
			if again[k].name != entries[k].name || !again[k].sig.matches(entries[k].sig) {
				t.Fatalf("entry %d changed: %v vs %v", k, again[k], entries[k])
			}
		}
	})
}
