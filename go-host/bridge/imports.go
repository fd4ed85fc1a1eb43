package bridge

import (
	"context"
	"fmt"
	"math"

	"github.com/tetratelabs/wazero/api"

	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// The `vm3` host module (handle-abi.md §10.2). Each import reads its
// arguments off wazero's value stack, runs the heap operation of the same
// name — which makes every check of operations.md §3, over the whole int64
// range, before it changes anything — and writes its result to stack[0]. A
// failing operation panics with its *vm3.Trap (§10.4).

const (
	c = api.ValueTypeI64 // a Cell
	n = api.ValueTypeI64 // an integer: length, index, field, shape, count
	i = api.ValueTypeI32
	f = api.ValueTypeF64
)

// hostFunc answers one import for the run r; mod is the calling guest
// (str_new reads its memory).
type hostFunc func(r *run, mod api.Module, s []uint64)

type importSpec struct {
	name            string
	params, results []api.ValueType
	fn              hostFunc
	// allocates is true for imports that may create a slot, after which the
	// run samples its peak live slots.
	allocates bool
}

// fail stops the guest with err (a *vm3.Trap from the heap).
func fail(err error) { panic(err) }

func cell(s []uint64, k int) vm3.Cell { return vm3.Cell(s[k]) }

// Results: a Cell, an integer, a bool Cell.
func retCell(s []uint64, v vm3.Cell, err error) {
	if err != nil {
		fail(err)
	}
	s[0] = uint64(v)
}

func retInt(s []uint64, v int64, err error) {
	if err != nil {
		fail(err)
	}
	s[0] = uint64(v)
}

func retBool(s []uint64, v bool, err error) {
	if err != nil {
		fail(err)
	}
	s[0] = uint64(vm3.BoolCell(v))
}

func done(err error) {
	if err != nil {
		fail(err)
	}
}

// imports is §10.2's table in its order.
var imports = []importSpec{
	{name: "list_new", params: []api.ValueType{n}, results: []api.ValueType{c}, allocates: true,
		fn: func(r *run, _ api.Module, s []uint64) { v, err := r.heap.ListNew(int64(s[0])); retCell(s, v, err) }},
	{name: "list_len", params: []api.ValueType{c}, results: []api.ValueType{n},
		fn: func(r *run, _ api.Module, s []uint64) { v, err := r.heap.ListLen(cell(s, 0)); retInt(s, v, err) }},
	{name: "list_get", params: []api.ValueType{c, n}, results: []api.ValueType{c},
		fn: func(r *run, _ api.Module, s []uint64) {
			v, err := r.heap.ListGet(cell(s, 0), int64(s[1]))
			retCell(s, v, err)
		}},
	{name: "list_set", params: []api.ValueType{c, n, c},
		fn: func(r *run, _ api.Module, s []uint64) { done(r.heap.ListSet(cell(s, 0), int64(s[1]), cell(s, 2))) }},
	{name: "list_push", params: []api.ValueType{c, c},
		fn: func(r *run, _ api.Module, s []uint64) { done(r.heap.ListPush(cell(s, 0), cell(s, 1))) }},

	{name: "struct_new", params: []api.ValueType{n, n}, results: []api.ValueType{c}, allocates: true, fn: structNew},
	{name: "struct_len", params: []api.ValueType{c}, results: []api.ValueType{n},
		fn: func(r *run, _ api.Module, s []uint64) { v, err := r.heap.StructLen(cell(s, 0)); retInt(s, v, err) }},
	{name: "struct_get", params: []api.ValueType{c, n}, results: []api.ValueType{c},
		fn: func(r *run, _ api.Module, s []uint64) {
			v, err := r.heap.StructGet(cell(s, 0), int64(s[1]))
			retCell(s, v, err)
		}},
	{name: "struct_set", params: []api.ValueType{c, n, c},
		fn: func(r *run, _ api.Module, s []uint64) { done(r.heap.StructSet(cell(s, 0), int64(s[1]), cell(s, 2))) }},
	{name: "struct_shape", params: []api.ValueType{c}, results: []api.ValueType{n},
		fn: func(r *run, _ api.Module, s []uint64) {
			v, err := r.heap.StructShape(cell(s, 0))
			retInt(s, int64(v), err)
		}},

	{name: "str_new", params: []api.ValueType{i, i}, results: []api.ValueType{c}, allocates: true, fn: strNew},
	{name: "str_len", params: []api.ValueType{c}, results: []api.ValueType{n},
		fn: func(r *run, _ api.Module, s []uint64) { v, err := r.heap.StrLen(cell(s, 0)); retInt(s, v, err) }},
	{name: "str_concat", params: []api.ValueType{c, c}, results: []api.ValueType{c}, allocates: true,
		fn: func(r *run, _ api.Module, s []uint64) {
			v, err := r.heap.StrConcat(cell(s, 0), cell(s, 1))
			retCell(s, v, err)
		}},
	{name: "str_eq", params: []api.ValueType{c, c}, results: []api.ValueType{c},
		fn: func(r *run, _ api.Module, s []uint64) {
			v, err := r.heap.StrEq(cell(s, 0), cell(s, 1))
			retBool(s, v, err)
		}},

	{name: "map_new", results: []api.ValueType{c}, allocates: true,
		fn: func(r *run, _ api.Module, s []uint64) { v, err := r.heap.MapNew(); retCell(s, v, err) }},
	{name: "map_set", params: []api.ValueType{c, c, c},
		fn: func(r *run, _ api.Module, s []uint64) { done(r.heap.MapSet(cell(s, 0), cell(s, 1), cell(s, 2))) }},
	{name: "map_get", params: []api.ValueType{c, c}, results: []api.ValueType{c},
		fn: func(r *run, _ api.Module, s []uint64) {
			v, err := r.heap.MapGet(cell(s, 0), cell(s, 1))
			retCell(s, v, err)
		}},
	{name: "map_has", params: []api.ValueType{c, c}, results: []api.ValueType{c},
		fn: func(r *run, _ api.Module, s []uint64) {
			v, err := r.heap.MapHas(cell(s, 0), cell(s, 1))
			retBool(s, v, err)
		}},
	{name: "map_len", params: []api.ValueType{c}, results: []api.ValueType{n},
		fn: func(r *run, _ api.Module, s []uint64) { v, err := r.heap.MapLen(cell(s, 0)); retInt(s, v, err) }},

	{name: "f64arr_new", params: []api.ValueType{n}, results: []api.ValueType{c}, allocates: true,
		fn: func(r *run, _ api.Module, s []uint64) { v, err := r.heap.F64ArrNew(int64(s[0])); retCell(s, v, err) }},
	{name: "f64arr_len", params: []api.ValueType{c}, results: []api.ValueType{n},
		fn: func(r *run, _ api.Module, s []uint64) { v, err := r.heap.F64ArrLen(cell(s, 0)); retInt(s, v, err) }},
	{name: "f64arr_get", params: []api.ValueType{c, n}, results: []api.ValueType{c},
		fn: func(r *run, _ api.Module, s []uint64) {
			v, err := r.heap.F64ArrGet(cell(s, 0), int64(s[1]))
			retCell(s, v, err)
		}},
	{name: "f64arr_set", params: []api.ValueType{c, n, c},
		fn: func(r *run, _ api.Module, s []uint64) { done(r.heap.F64ArrSet(cell(s, 0), int64(s[1]), cell(s, 2))) }},
	{name: "f64arr_push", params: []api.ValueType{c, c},
		fn: func(r *run, _ api.Module, s []uint64) { done(r.heap.F64ArrPush(cell(s, 0), cell(s, 1))) }},
	{name: "i64arr_new", params: []api.ValueType{n}, results: []api.ValueType{c}, allocates: true,
		fn: func(r *run, _ api.Module, s []uint64) { v, err := r.heap.I64ArrNew(int64(s[0])); retCell(s, v, err) }},
	{name: "i64arr_len", params: []api.ValueType{c}, results: []api.ValueType{n},
		fn: func(r *run, _ api.Module, s []uint64) { v, err := r.heap.I64ArrLen(cell(s, 0)); retInt(s, v, err) }},
	{name: "i64arr_get", params: []api.ValueType{c, n}, results: []api.ValueType{c},
		fn: func(r *run, _ api.Module, s []uint64) {
			v, err := r.heap.I64ArrGet(cell(s, 0), int64(s[1]))
			retCell(s, v, err)
		}},
	{name: "i64arr_set", params: []api.ValueType{c, n, c},
		fn: func(r *run, _ api.Module, s []uint64) { done(r.heap.I64ArrSet(cell(s, 0), int64(s[1]), cell(s, 2))) }},
	{name: "i64arr_push", params: []api.ValueType{c, c},
		fn: func(r *run, _ api.Module, s []uint64) { done(r.heap.I64ArrPush(cell(s, 0), cell(s, 1))) }},

	{name: "host_new_str", params: []api.ValueType{c}, results: []api.ValueType{c}, allocates: true, fn: hostNewStr},
	{name: "host_get_str", params: []api.ValueType{c}, results: []api.ValueType{c}, allocates: true, fn: hostGetStr},

	{name: "check", params: []api.ValueType{c, i}, fn: check},
	{name: "free", params: []api.ValueType{c},
		fn: func(r *run, _ api.Module, s []uint64) { done(r.heap.Free(cell(s, 0))) }},
	{name: "collect", results: []api.ValueType{n},
		fn: func(r *run, _ api.Module, s []uint64) { s[0] = uint64(r.heap.Collect()) }},
	{name: "scope_enter", results: []api.ValueType{n},
		fn: func(r *run, _ api.Module, s []uint64) { v, err := r.heap.ScopeEnter(); retInt(s, v, err) }},
	{name: "scope_root", params: []api.ValueType{c},
		fn: func(r *run, _ api.Module, s []uint64) { done(r.heap.ScopeRoot(cell(s, 0))) }},
	{name: "scope_exit", params: []api.ValueType{n},
		fn: func(r *run, _ api.Module, s []uint64) { done(r.heap.ScopeExit(int64(s[0]))) }},
	{name: "pin", params: []api.ValueType{c},
		fn: func(r *run, _ api.Module, s []uint64) { done(r.heap.Pin(cell(s, 0))) }},
	{name: "unpin", params: []api.ValueType{c},
		fn: func(r *run, _ api.Module, s []uint64) { done(r.heap.Unpin(cell(s, 0))) }},

	{name: "frame_enter", params: []api.ValueType{i}, results: []api.ValueType{i}, fn: frameEnter},
	{name: "frame_root", params: []api.ValueType{i, i, c}, fn: frameRoot},
	{name: "frame_exit", params: []api.ValueType{i}, fn: frameExit},

	{name: "trap", params: []api.ValueType{i}, fn: guestTrap},
	{name: "fma_slow", params: []api.ValueType{f, f, f}, results: []api.ValueType{f},
		fn: func(_ *run, _ api.Module, s []uint64) {
			x := math.FMA(math.Float64frombits(s[0]), math.Float64frombits(s[1]), math.Float64frombits(s[2]))
			s[0] = math.Float64bits(x)
		}},
}

// importByName indexes imports.
var importByName = func() map[string]*importSpec {
	m := make(map[string]*importSpec, len(imports))
	for k := range imports {
		m[imports[k].name] = &imports[k]
	}
	return m
}()

// frameEnter is frame_enter(slots) with slots read as unsigned; the mark
// comes back as an i32. (Frames of zero slots do not count against
// MaxFrameTotal, so only 2^31 of them would overflow an i32 mark: that is
// answered OUT_OF_MEMORY, leaving the frame stack as it was.)
func frameEnter(r *run, _ api.Module, s []uint64) {
	mark, err := r.heap.FrameEnter(int64(u32(s, 0)))
	if err != nil {
		fail(err)
	}
	if mark > math.MaxInt32 {
		done(r.heap.FrameExit(mark))
		fail(&vm3.Trap{Code: vm3pb.TrapCode_OUT_OF_MEMORY, Op: "frame_enter", Detail: fmt.Sprintf("frame mark %d does not fit an i32", mark)})
	}
	s[0] = uint64(uint32(mark))
}

// frameRoot is frame_root(mark, slot, c), mark and slot read as unsigned.
func frameRoot(r *run, _ api.Module, s []uint64) {
	done(r.heap.FrameRoot(int64(u32(s, 0)), int64(u32(s, 1)), cell(s, 2)))
}

// frameExit is frame_exit(mark), mark read as unsigned.
func frameExit(r *run, _ api.Module, s []uint64) { done(r.heap.FrameExit(int64(u32(s, 0)))) }

// u32 reads an i32 argument as unsigned (§10.2); wazero passes it in the
// low 32 bits of the stack word.
func u32(s []uint64, k int) uint32 { return uint32(s[k]) }

// structNew is struct_new(fields, shape) (operations.md §3.3): the field
// count, then the shape ([0, 2^32) else BAD_ARGUMENT), then the allocation.
func structNew(r *run, _ api.Module, s []uint64) {
	fields, shape := int64(s[0]), int64(s[1])
	if shape < 0 || shape > math.MaxUint32 {
		if fields < 0 || fields > vm3.MaxFields {
			_, err := r.heap.StructNewShaped(fields, 0) // the field count's BAD_ARGUMENT
			fail(err)
		}
		fail(&vm3.Trap{Code: vm3pb.TrapCode_BAD_ARGUMENT, Op: "struct_new", Detail: fmt.Sprintf("shape %d outside [0, 2^32)", shape)})
	}
	v, err := r.heap.StructNewShaped(fields, uint32(shape))
	retCell(s, v, err)
}

// strNew is str_new of the len bytes of the caller's memory at ptr (both
// unsigned); a range outside the memory is BAD_ARGUMENT. The heap copies
// the bytes.
func strNew(r *run, mod api.Module, s []uint64) {
	ptr, size := u32(s, 0), u32(s, 1)
	if r.starting {
		fail(&vm3.Trap{Code: vm3pb.TrapCode_BAD_ARGUMENT, Op: "str_new",
			Detail: "called from the start function: the guest's memory is not known until instantiation ends (handle-abi.md §10.1)"})
	}
	var b []byte
	ok := false
	if mem := mod.Memory(); mem != nil {
		b, ok = mem.Read(ptr, size)
	}
	if !ok {
		var pages uint32
		if mem := mod.Memory(); mem != nil {
			pages = mem.Size()
		}
		fail(&vm3.Trap{Code: vm3pb.TrapCode_BAD_ARGUMENT, Op: "str_new",
			Detail: fmt.Sprintf("bytes [%d, %d) are outside the guest memory of %d bytes", ptr, uint64(ptr)+uint64(size), pages)})
	}
	v, err := r.heap.StrNew(b)
	retCell(s, v, err)
}

// hostNewStr is host_new_str: handle(s, String), then host_new of its text
// (ir.md op 87).
func hostNewStr(r *run, _ api.Module, s []uint64) {
	text, err := r.heap.StrText(cell(s, 0))
	if err != nil {
		fail(err)
	}
	v, err := r.heap.HostNew(text)
	retCell(s, v, err)
}

// hostGetStr is host_get_str: host_get(h); a host value that is not a
// string is WRONG_TYPE; then str_new of its bytes (ir.md op 88).
func hostGetStr(r *run, _ api.Module, s []uint64) {
	hv, err := r.heap.HostGet(cell(s, 0))
	if err != nil {
		fail(err)
	}
	text, ok := hv.(string)
	if !ok {
		fail(&vm3.Trap{Code: vm3pb.TrapCode_WRONG_TYPE, Op: "host_get_str", Detail: fmt.Sprintf("the host value is a %T, not a string", hv)})
	}
	v, err := r.heap.StrNewString(text)
	retCell(s, v, err)
}

// maxCheckArena is the largest arena number check accepts (cell.md §1.1:
// 0..13; 14 and 15 are undefined).
const maxCheckArena = 13

// check is handle(c, A) for arena number A. The arena selects the check, so
// it is validated first: outside 0..13 → BAD_ARGUMENT.
func check(r *run, _ api.Module, s []uint64) {
	a := u32(s, 1)
	if a > maxCheckArena {
		fail(&vm3.Trap{Code: vm3pb.TrapCode_BAD_ARGUMENT, Op: "check", Detail: fmt.Sprintf("arena %d outside 0..%d", a, maxCheckArena)})
	}
	done(r.heap.CheckHandle(cell(s, 0), vm3pb.Arena(a)))
}

// guestTrap is trap(code): the guest's own trap; a code outside traps.md's
// enum (1..16 today, whatever trap.proto defines) is BAD_ARGUMENT.
func guestTrap(_ *run, _ api.Module, s []uint64) {
	code := u32(s, 0)
	if _, ok := vm3pb.TrapCode_name[int32(code)]; !ok || code == 0 || code > math.MaxInt32 {
		fail(&vm3.Trap{Code: vm3pb.TrapCode_BAD_ARGUMENT, Op: "trap", Detail: fmt.Sprintf("trap code %d is not a vm3 trap code", code)})
	}
	fail(&vm3.Trap{Code: vm3pb.TrapCode(code), Op: "trap", Detail: "raised by the guest"})
}

// instantiateHost registers the `vm3` host module in m's runtime; its
// functions answer for m.cur.
func (m *Module) instantiateHost(ctx context.Context) error {
	b := m.rt.NewHostModuleBuilder("vm3")
	for k := range imports {
		spec := &imports[k]
		f := spec.fn
		fb := b.NewFunctionBuilder()
		switch {
		case spec.name == "str_new":
			// The one import that reads the caller's memory.
			fb = fb.WithGoModuleFunction(api.GoModuleFunc(func(_ context.Context, mod api.Module, s []uint64) {
				r := m.cur
				f(r, mod, s)
				r.sample()
			}), spec.params, spec.results)
		case spec.allocates:
			fb = fb.WithGoFunction(api.GoFunc(func(_ context.Context, s []uint64) {
				r := m.cur
				f(r, nil, s)
				r.sample()
			}), spec.params, spec.results)
		default:
			fb = fb.WithGoFunction(api.GoFunc(func(_ context.Context, s []uint64) { f(m.cur, nil, s) }), spec.params, spec.results)
		}
		b = fb.WithName(spec.name).Export(spec.name)
	}
	if _, err := b.Instantiate(ctx); err != nil {
		return fmt.Errorf("bridge: instantiating the vm3 host module: %w", err)
	}
	return nil
}
