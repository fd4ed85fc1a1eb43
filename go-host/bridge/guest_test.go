package bridge

import (
	"context"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/internal/wasmgen"
	"github.com/vm3-bridge/vm3/go-host/vm3"
)

// guest builds a handle-ABI test module: the named vm3 imports (with
// their §10.2 signatures), one exported page of memory, vm3_init, and the
// functions a test adds.
type guest struct {
	*wasmgen.Module
	imp  map[string]uint32
	init wasmgen.Code
}

type (
	code = wasmgen.Code
	vt   = wasmgen.ValType
)

const (
	I32 = wasmgen.I32
	I64 = wasmgen.I64
	F64 = wasmgen.F64
)

func sig(params []vt, results ...vt) wasmgen.FuncType {
	return wasmgen.FuncType{Params: params, Results: results}
}

func vts(ts ...vt) []vt { return ts }

func importType(name string) wasmgen.FuncType {
	spec := importByName[name]
	t := wasmgen.FuncType{}
	for _, p := range spec.params {
		t.Params = append(t.Params, vt(p))
	}
	for _, r := range spec.results {
		t.Results = append(t.Results, vt(r))
	}
	return t
}

func newGuest(names ...string) *guest {
	g := &guest{Module: wasmgen.New(), imp: map[string]uint32{}}
	for _, name := range names {
		if importByName[name] == nil {
			panic("no import " + name)
		}
		g.imp[name] = g.Import("vm3", name, importType(name))
	}
	g.Memory(1, -1)
	return g
}

// call is the instruction calling import name.
func (g *guest) call(name string) code {
	f, ok := g.imp[name]
	if !ok {
		panic("import not declared: " + name)
	}
	return code(nil).Call(f)
}

// entry adds an exported function.
func (g *guest) entry(name string, t wasmgen.FuncType, locals []vt, body code) uint32 {
	f := g.Func(t, locals, body)
	g.Export(name, f)
	return f
}

// bytes adds vm3_init (g.init as its body) and encodes the module.
func (g *guest) bytes() []byte {
	g.Export("vm3_init", g.Func(wasmgen.FuncType{}, nil, g.init))
	return g.Bytes()
}

var engines = []struct {
	name string
	opts Options
}{{"compiler", Options{}}, {"interpreter", Options{Interpreter: true}}}

func compile(t testing.TB, wasm []byte, opts Options) *Module {
	t.Helper()
	m, err := Compile(context.Background(), wasm, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close(context.Background()) })
	return m
}

func mustRun(t testing.TB, m *Module, entry string, args []int64, cfg vm3.Config, want ResultType) Result {
	t.Helper()
	res, err := m.Run(context.Background(), entry, args, cfg, want)
	if err != nil {
		t.Fatalf("%s%v: %v", entry, args, err)
	}
	if err := res.Heap.CheckInvariants(); err != nil {
		t.Fatalf("%s%v: heap invariants: %v", entry, args, err)
	}
	return res
}
