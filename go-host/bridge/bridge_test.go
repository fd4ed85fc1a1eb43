package bridge

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vm3-bridge/vm3/go-host/internal/wasmgen"
	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

const helloAt = 16

// valuesModule is a guest with one entry per behaviour the tests look at.
func valuesModule() []byte {
	g := newGuest("str_new", "list_new", "list_get", "list_len", "free", "trap", "check", "struct_new", "struct_shape")
	g.Data(helloAt, []byte("hello"))
	p1, p2 := vts(I64), vts(I64, I64)
	g.entry("add", sig(p2, I64), nil, code(nil).LocalGet(0).LocalGet(1).Op(0x7C))
	g.entry("half", sig(p1, F64), nil, code(nil).LocalGet(0).Op(0xB9).F64Const(2).Op(0xA3))
	g.entry("odd", sig(p1, I32), nil, code(nil).LocalGet(0).I64Const(1).Op(0x83, 0xA7))
	g.entry("hello", sig(nil, I64), nil, code(nil).I32Const(helloAt).I32Const(5).Call(g.imp["str_new"]))
	g.entry("nothing", sig(nil), nil, nil)
	g.entry("nan", sig(nil, F64), nil, code(nil).I64Const(0x7FF0_0000_0000_0001).Op(0xBF))
	g.entry("negzero", sig(nil, F64), nil, code(nil).F64Const(math.Copysign(0, -1)))
	g.entry("badbool", sig(nil, I32), nil, code(nil).I32Const(7))
	g.entry("null_str", sig(nil, I64), nil, code(nil).I64Const(nullBits))
	// list_get(list_new(3), i): index checks over the whole int64 range.
	g.entry("get3", sig(p1, I64), nil, code(nil).I64Const(3).Call(g.imp["list_new"]).LocalGet(0).Call(g.imp["list_get"]))
	g.entry("list_get", sig(p2, I64), nil, code(nil).LocalGet(0).LocalGet(1).Call(g.imp["list_get"]))
	g.entry("list_new", sig(p1, I64), nil, code(nil).LocalGet(0).Call(g.imp["list_new"]))
	g.entry("trap", sig(p1), nil, code(nil).LocalGet(0).Op(0xA7).Call(g.imp["trap"]).Unreachable())
	g.entry("str_at", sig(p2, I64), nil, code(nil).LocalGet(0).Op(0xA7).LocalGet(1).Op(0xA7).Call(g.imp["str_new"]))
	g.entry("check_list", sig(p2), nil, code(nil).LocalGet(0).LocalGet(1).Op(0xA7).Call(g.imp["check"]))
	g.entry("shape", sig(p2, I64), nil, code(nil).LocalGet(0).LocalGet(1).Call(g.imp["struct_new"]).Call(g.imp["struct_shape"]))
	self := g.NextFunc()
	g.entry("recurse", sig(p1, I64), nil, code(nil).LocalGet(0).I64Const(1).Op(0x7C).Call(self))
	// depth(n) = n == 0 ? 0 : depth(n-1) + 1, n non-tail calls deep.
	depth := g.NextFunc()
	g.entry("depth", sig(p1, I64), nil, code(nil).
		LocalGet(0).Op(0x50).If(I64).I64Const(0).Else().LocalGet(0).I64Const(1).Op(0x7D).Call(depth).I64Const(1).Op(0x7C).End())
	g.entry("spin", sig(nil), nil, code(nil).Loop().Br(0).End())
	g.entry("wasm_unreachable", sig(nil), nil, code(nil).Unreachable())
	g.entry("div", sig(p2, I64), nil, code(nil).LocalGet(0).LocalGet(1).Op(0x7F))
	// alloc(n, keep): n times list_new(1), freed at once unless keep.
	g.entry("alloc", sig(p2, I64), vts(I64), code(nil).
		Block().Loop().
		LocalGet(0).Op(0x50).BrIf(1).
		I64Const(1).Call(g.imp["list_new"]).LocalSet(2).
		LocalGet(1).Op(0x50).If().LocalGet(2).Call(g.imp["free"]).End().
		LocalGet(0).I64Const(1).Op(0x7D).LocalSet(0).
		Br(0).End().End().
		I64Const(0))
	g.entry("f32_param", sig(vts(wasmgenF32)), nil, nil)
	return g.bytes()
}

const wasmgenF32 = 0x7D

var nullBits = bits(vm3.Null)

func bits(c vm3.Cell) int64 { return int64(c) }

func TestResults(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			m := compile(t, valuesModule(), e.opts)
			cases := []struct {
				entry string
				args  []int64
				want  ResultType
				text  string
				typ   ResultType
			}{
				{"add", []int64{math.MaxInt64, 2}, ResultAuto, "-9223372036854775807", ResultI64},
				{"half", []int64{3}, ResultAuto, "1.5", ResultF64},
				{"half", []int64{3}, ResultF64, "1.5", ResultF64},
				{"odd", []int64{3}, ResultAuto, "true", ResultBool},
				{"odd", []int64{4}, ResultBool, "false", ResultBool},
				{"hello", nil, ResultStr, "hello", ResultStr},
				{"nothing", nil, ResultAuto, "", ResultUnit},
				{"nan", nil, ResultAuto, "nan", ResultF64},
				{"negzero", nil, ResultAuto, "-0", ResultF64},
				{"shape", []int64{2, math.MaxUint32}, ResultAuto, "4294967295", ResultI64},
			}
			for _, c := range cases {
				res := mustRun(t, m, c.entry, c.args, vm3.Config{}, c.want)
				if res.Trap != nil || res.Text() != c.text || res.Type != c.typ {
					t.Errorf("%s%v as %v = %q (%v, trap %v), want %q (%v)", c.entry, c.args, c.want, res.Text(), res.Type, res.Trap, c.text, c.typ)
				}
			}
			if res := mustRun(t, m, "nan", nil, vm3.Config{}, ResultAuto); res.F64Bits != CanonicalNaN {
				t.Errorf("nan bits %#x", res.F64Bits)
			}
			if res := mustRun(t, m, "hello", nil, vm3.Config{}, ResultStr); res.PeakLiveSlots != 1 || res.Heap.Stats().Arenas[0].Live != 1 {
				t.Errorf("hello: peak %d, stats %v", res.PeakLiveSlots, res.Heap.Stats())
			}
		})
	}
}

func wantTrap(t *testing.T, res Result, code vm3pb.TrapCode, what string) {
	t.Helper()
	if res.Trap == nil || res.Trap.Code != code {
		t.Errorf("%s: got %q (trap %v), want trap %v", what, res.Text(), res.Trap, code)
	}
}

func TestTraps(t *testing.T) {
	bigSlot := int64(vm3.MakeHandle(vm3pb.Arena_ARENA_LIST, 0, math.MaxUint32))
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			m := compile(t, valuesModule(), e.opts)
			run := func(entry string, args ...int64) Result {
				t.Helper()
				return mustRun(t, m, entry, args, vm3.Config{}, ResultAuto)
			}
			// Indexes are checked over the whole int64 range: 2^32+1 is not 1.
			for _, i := range []int64{3, -1, 1 << 32, 1<<32 + 1, math.MinInt64, math.MaxInt64} {
				wantTrap(t, run("get3", i), vm3pb.TrapCode_OUT_OF_BOUNDS, "list_get index")
			}
			if res := run("get3", 1); res.Trap != nil || res.I64 != bits(vm3.Null) {
				t.Errorf("get3(1) = %v", res.Text())
			}
			for _, n := range []int64{-1, vm3.MaxLength + 1, 1 << 32, math.MinInt64} {
				wantTrap(t, run("list_new", n), vm3pb.TrapCode_BAD_ARGUMENT, "list_new length")
			}
			wantTrap(t, run("list_get", bits(0xFFF8_0000_0000_0000), 0), vm3pb.TrapCode_BAD_CELL, "reserved tag")
			wantTrap(t, run("list_get", bits(vm3.Null), 0), vm3pb.TrapCode_NULL_DEREF, "null")
			wantTrap(t, run("list_get", 5, 0), vm3pb.TrapCode_NOT_A_HANDLE, "a float")
			wantTrap(t, run("list_get", int64(vm3.MakeHandle(vm3pb.Arena_ARENA_MAP, 0, 0)), 0), vm3pb.TrapCode_WRONG_ARENA, "map handle")
			wantTrap(t, run("list_get", bigSlot, 0), vm3pb.TrapCode_STALE_HANDLE, "slot 2^32-1")
			wantTrap(t, run("trap", 12), vm3pb.TrapCode_DIVIDE_BY_ZERO, "trap(12)")
			wantTrap(t, run("trap", 15), vm3pb.TrapCode_STACK_OVERFLOW, "trap(15)")
			wantTrap(t, run("trap", 16), vm3pb.TrapCode_HOST_ERROR, "trap(16)")
			for _, code := range []int64{0, 17, 99, -1, 1 << 31} {
				wantTrap(t, run("trap", code), vm3pb.TrapCode_BAD_ARGUMENT, "trap(bad code)")
			}
			// One page is 65536 bytes: [65531, 65536) is inside, one more is not.
			if res := run("str_at", 65531, 5); res.Trap != nil {
				t.Errorf("str_new at the end of memory: %v", res.Trap)
			}
			for _, pl := range [][2]int64{{65532, 5}, {-1, 1}, {0, 1 << 31}, {0, -1}, {65536, 0 + 1}} {
				wantTrap(t, run("str_at", pl[0], pl[1]), vm3pb.TrapCode_BAD_ARGUMENT, "str_new outside memory")
			}
			if res := run("str_at", 65536, 0); res.Trap != nil {
				t.Errorf("str_new of 0 bytes at the end of memory: %v", res.Trap)
			}
			wantTrap(t, run("check_list", bits(vm3.Null), 14), vm3pb.TrapCode_BAD_ARGUMENT, "check arena 14")
			wantTrap(t, run("check_list", bits(vm3.Null), -1), vm3pb.TrapCode_BAD_ARGUMENT, "check arena -1")
			wantTrap(t, run("check_list", bits(vm3.Null), 1), vm3pb.TrapCode_NULL_DEREF, "check null")
			wantTrap(t, run("check_list", 0, 12), vm3pb.TrapCode_NOT_A_HANDLE, "check SmallInt arena")
			wantTrap(t, run("check_list", int64(vm3.MakeHandle(vm3pb.Arena_ARENA_SET, 0, 0)), 3), vm3pb.TrapCode_STALE_HANDLE, "check unimplemented arena")
			wantTrap(t, run("check_list", int64(vm3.MakeHandle(vm3pb.Arena_ARENA_SET, 0, 0)), 1), vm3pb.TrapCode_WRONG_ARENA, "check arena 3 as 1")
			wantTrap(t, run("shape", 2, -1), vm3pb.TrapCode_BAD_ARGUMENT, "struct shape -1")
			wantTrap(t, run("shape", 2, 1<<32), vm3pb.TrapCode_BAD_ARGUMENT, "struct shape 2^32")
			wantTrap(t, run("shape", -1, 0), vm3pb.TrapCode_BAD_ARGUMENT, "struct fields -1")
			if res := mustRun(t, m, "null_str", nil, vm3.Config{}, ResultStr); res.Trap == nil || res.Trap.Code != vm3pb.TrapCode_NULL_DEREF {
				t.Errorf("null str result: %q", res.Text())
			}
			// Heap limits.
			wantTrap(t, mustRun(t, m, "alloc", []int64{3, 1}, vm3.Config{MaxSlotsPerArena: 2}, ResultAuto), vm3pb.TrapCode_OUT_OF_MEMORY, "max slots")
			wantTrap(t, mustRun(t, m, "alloc", []int64{3, 1}, vm3.Config{MaxHeapBytes: 48}, ResultAuto), vm3pb.TrapCode_OUT_OF_MEMORY, "max bytes")
			if res := mustRun(t, m, "alloc", []int64{3, 1}, vm3.Config{MaxHeapBytes: 72}, ResultAuto); res.Trap != nil {
				t.Errorf("3 lists of 24 bytes in 72: %v", res.Trap)
			}
		})
	}
}

func TestTrapSurfacesAsTrapError(t *testing.T) {
	// The raw error wazero returns from a call whose host function panicked
	// with a *vm3.Trap: errors.As finds it through wazero's wrapping.
	m := compile(t, valuesModule(), Options{})
	inst, _, err := m.Instantiate(context.Background(), vm3.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close(context.Background())
	fn := inst.mod.ExportedFunction("list_get")
	_, err = fn.Call(context.Background(), uint64(vm3.Null), 0)
	var trap *vm3.Trap
	if !errors.As(err, &trap) || trap.Code != vm3pb.TrapCode_NULL_DEREF || !strings.Contains(err.Error(), "recovered by wazero") {
		t.Fatalf("wazero's error: %v", err)
	}
	// The instance and heap stay usable after a trap.
	stack := []uint64{7}
	if tr, err := inst.Call(context.Background(), "list_new", stack); tr != nil || err != nil {
		t.Fatalf("after a trap: %v %v", tr, err)
	}
	if n, err := mustHeap(t, inst).ListLen(vm3.Cell(stack[0])); n != 7 || err != nil {
		t.Fatalf("list_len %d %v", n, err)
	}
}

func TestEngineTraps(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			m := compile(t, valuesModule(), e.opts)
			res := mustRun(t, m, "recurse", []int64{0}, vm3.Config{}, ResultAuto)
			wantTrap(t, res, vm3pb.TrapCode_STACK_OVERFLOW, "unbounded recursion")
			for _, c := range []struct {
				entry string
				args  []int64
				text  string
			}{
				{"wasm_unreachable", nil, "(unreachable)"},
				{"div", []int64{1, 0}, "(integer divide by zero)"},
				{"div", []int64{math.MinInt64, -1}, "(integer overflow)"},
				{"badbool", nil, "not a bool"},
			} {
				res, err := m.Run(context.Background(), c.entry, c.args, vm3.Config{}, ResultAuto)
				if err == nil || res.Trap != nil || !strings.Contains(err.Error(), c.text) {
					t.Errorf("%s: err %v, trap %v; want an error with %q and no trap", c.entry, err, res.Trap, c.text)
				}
			}
		})
	}
}

// TestCallDepth: the compiler runs 100,000 non-tail frames (ir.md §8.8 asks
// for at least 10,000); the interpreter exactly InterpreterCallDepth, 20,000
// (wazero's own default is 2,000): depth(n) is n+1 frames, so depth(19,999)
// returns and depth(20,000) traps STACK_OVERFLOW.
func TestCallDepth(t *testing.T) {
	m := compile(t, valuesModule(), Options{})
	if res := mustRun(t, m, "depth", []int64{100_000}, vm3.Config{}, ResultAuto); res.Trap != nil || res.I64 != 100_000 {
		t.Errorf("compiler depth(100000): %s", res.Text())
	}
	if InterpreterCallDepth != 20_000 || interpreterCallStackCeiling != InterpreterCallDepth {
		t.Fatalf("InterpreterCallDepth %d, wazero's ceiling %d: the spec (handle-abi.md §10.6) states 20,000",
			InterpreterCallDepth, interpreterCallStackCeiling)
	}
	mi := compile(t, valuesModule(), Options{Interpreter: true})
	if res := mustRun(t, mi, "depth", []int64{19_999}, vm3.Config{}, ResultAuto); res.Trap != nil || res.I64 != 19_999 {
		t.Errorf("interpreter depth(19999): %s", res.Text())
	}
	wantTrap(t, mustRun(t, mi, "depth", []int64{20_000}, vm3.Config{}, ResultAuto), vm3pb.TrapCode_STACK_OVERFLOW, "interpreter depth(20000)")
}

func TestTimeout(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			// The default Options stop a run at its deadline.
			m := compile(t, valuesModule(), e.opts)
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			start := time.Now()
			res, err := m.Run(ctx, "spin", nil, vm3.Config{}, ResultAuto)
			if !errors.Is(err, context.DeadlineExceeded) || res.Trap != nil {
				t.Fatalf("spin: err %v trap %v", err, res.Trap)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("stopped after %v", d)
			}
			// The module runs again after a timeout.
			mustRun(t, m, "nothing", nil, vm3.Config{}, ResultAuto)
		})
	}
}

func TestPeakLiveSlots(t *testing.T) {
	m := compile(t, valuesModule(), Options{})
	if res := mustRun(t, m, "alloc", []int64{100, 0}, vm3.Config{}, ResultAuto); res.PeakLiveSlots != 1 {
		t.Errorf("alloc and free 100: peak %d, want 1", res.PeakLiveSlots)
	}
	if res := mustRun(t, m, "alloc", []int64{100, 1}, vm3.Config{}, ResultAuto); res.PeakLiveSlots != 100 {
		t.Errorf("alloc 100: peak %d, want 100", res.PeakLiveSlots)
	}
	// AUTO with threshold 10: nothing roots the lists, so collections keep
	// the live count at most 10 (the 11th allocation collects first).
	cfg := vm3.Config{Variant: vm3pb.Variant_AUTO, AutoMinThreshold: 10}
	if res := mustRun(t, m, "alloc", []int64{1000, 1}, cfg, ResultAuto); res.PeakLiveSlots != 10 {
		t.Errorf("alloc 1000 under AUTO/10: peak %d, want 10", res.PeakLiveSlots)
	}
}

func TestEntryErrors(t *testing.T) {
	m := compile(t, valuesModule(), Options{})
	for _, c := range []struct {
		entry string
		args  []int64
		want  ResultType
		text  string
	}{
		{"nope", nil, ResultAuto, `no entry "nope"`},
		{"vm3_init", nil, ResultAuto, `no entry "vm3_init"`},
		{"add", []int64{1}, ResultAuto, "takes 2 arguments, got 1"},
		{"half", []int64{1}, ResultStr, "cannot carry a str result"},
		{"hello", nil, ResultF64, "cannot carry a f64 result"},
		{"f32_param", nil, ResultAuto, "parameter 0 is f32"},
	} {
		_, err := m.Run(context.Background(), c.entry, c.args, vm3.Config{}, c.want)
		if !errors.Is(err, ErrEntry) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: %v, want ErrEntry with %q", c.entry, err, c.text)
		}
	}
	names := []string{}
	for _, e := range m.Entries() {
		names = append(names, e.Name)
	}
	if got := strings.Join(names, " "); !strings.HasPrefix(got, "add alloc badbool check_list depth div") || strings.Contains(got, "f32_param") {
		t.Errorf("entries %s", got)
	}
}

func TestCompileErrors(t *testing.T) {
	good := newGuest("list_len").bytes()
	wrongSig := newGuest()
	wrongSig.Import("vm3", "list_len", sig(vts(I32), I64))
	env := newGuest()
	env.Import("env", "list_len", importType("list_len"))
	unknown := newGuest()
	unknown.Import("vm3", "list_length", importType("list_len"))
	noMemory := wasmgen.New()
	noMemory.Export("vm3_init", noMemory.Func(sig(nil), nil, nil))
	badInit := newGuest()
	badInit.Export("vm3_init", badInit.Func(sig(vts(I64)), nil, nil))
	noInit := newGuest()
	noInit.Func(sig(nil), nil, nil)
	for _, c := range []struct {
		name string
		wasm []byte
		text string
	}{
		{"empty", nil, "not a WebAssembly binary"},
		{"garbage", []byte("not wasm at all"), "not a WebAssembly binary"},
		{"truncated", good[:20], "invalid WebAssembly module"},
		{"wrong signature", wrongSig.bytes(), "import vm3.list_len has type (i32) -> (i64), want (i64) -> (i64)"},
		{"other module", env.bytes(), "import env.list_len: a handle-ABI module imports only from modules vm3 and host"},
		{"unknown import", unknown.bytes(), "import vm3.list_length: no such import"},
		{"no memory", noMemory.Bytes(), `no memory exported as "memory"`},
		{"vm3_init signature", badInit.Bytes(), "export vm3_init has type (i64) -> (), want () -> ()"},
		{"no vm3_init", noInit.Bytes(), `no function exported as "vm3_init"`},
	} {
		_, err := Compile(context.Background(), c.wasm, Options{})
		if err == nil || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: %v, want %q", c.name, err, c.text)
		}
	}
	if _, err := Compile(context.Background(), good, Options{}); err != nil {
		t.Errorf("good: %v", err)
	}
}

func TestFormatF64(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{0.1, "0.1"}, {1, "1"}, {-1.5, "-1.5"}, {1e21, "1e+21"}, {1e20, "100000000000000000000"},
		{123456789012345680000, "123456789012345680000"}, {1.5e-7, "1.5e-7"}, {1e-6, "0.000001"},
		{1.2345e-6, "0.0000012345"}, {1e-7, "1e-7"}, {5e-324, "5e-324"}, {math.MaxFloat64, "1.7976931348623157e+308"},
		{math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {math.Copysign(0, -1), "-0"}, {0, "0"}, {-1234.5678, "-1234.5678"},
		{2.5e25, "2.5e+25"}, {-0.00001, "-0.00001"},
	} {
		if got := FormatF64(math.Float64bits(c.x)); got != c.want {
			t.Errorf("FormatF64(%v) = %s, want %s", c.x, got, c.want)
		}
	}
	if got := FormatF64(CanonicalNaN); got != "nan" {
		t.Errorf("canonical NaN: %s", got)
	}
	if got := FormatF64(0x7FF0_0000_0000_0001); got != "nan:0x7ff0000000000001" {
		t.Errorf("other NaN: %s", got)
	}
}
