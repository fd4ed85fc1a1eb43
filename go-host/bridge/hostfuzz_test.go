package bridge

import (
	"context"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// FuzzHostCalls is the hostile guest at the host imports (handle-abi.md
// §10.3, §10.8): random Cells (live, stale, forged, malformed) and i32s as
// the arguments of host imports of every Cell-carrying type, mixed with
// list_new/struct_new/str_new/host_new_str/free so that live and freed
// handles of every arena come up, and random Go values as their results.
// Each call returns or traps with a defined code — never an engine or
// bridge error — the host function sees only the Go types host.md §11.3
// gives, and the heap's invariants hold. `go test` runs the seeds;
//
//	go test ./go-host/bridge -run '^$' -fuzz FuzzHostCalls -fuzztime 5m -fuzzminimizetime 5s
func FuzzHostCalls(f *testing.F) {
	for _, seed := range fuzzSeeds() {
		f.Add(seed)
	}
	decls := []hostDecl{
		{"s", "(str) -> str"}, {"h", "(host) -> host"}, {"l", "(list<i64>) -> list<i64>"},
		{"la", "(list<any>) -> list<any>"}, {"m", "(map) -> map"}, {"fa", "(f64arr) -> f64arr"},
		{"st", "(struct<1>) -> struct<1>"}, {"a", "(any) -> any"}, {"b", "(bool, i64, f64) -> bool"},
		{"mix", "(any, str, struct<0>) -> i64"},
	}
	wasm := hostModule(f, decls, nil, "list_new", "struct_new", "i64arr_new", "host_new_str", "str_new", "free", "collect")
	var p *fuzzInput
	var lastArgs []any
	var failed string
	// The result: mostly the argument back, else a value picked by the input.
	fn := Func(func(c *HostCall, args []any) (any, error) {
		lastArgs = args
		for k, a := range args {
			want := c.Sig.Params[k]
			if why := checkHostArg(c.Heap, want, a); why != "" {
				failed = why
			}
		}
		switch b := p.byte(); {
		case b < 128:
			return args[0], nil
		case b < 140:
			return nil, nil
		case b < 150:
			return int64(p.integer()), nil
		case b < 155:
			return "text", nil
		case b < 160:
			r, err := vm3.NewRef(c.Heap, p.cell())
			if err != nil {
				return nil, err
			}
			if p.byte()%2 == 0 {
				r.Release()
			}
			return r, nil
		case b < 165:
			panic("fuzz panic")
		}
		return true, nil
	})
	fns := map[string]HostFunc{}
	for _, d := range decls {
		fns[d.name] = fn
	}
	{
		m, err := Compile(context.Background(), wasm, Options{Host: fns})
		if err != nil {
			f.Fatal(err)
		}
		f.Cleanup(func() { m.Close(context.Background()) })
		f.Fuzz(func(t *testing.T, data []byte) {
			p = &fuzzInput{data: data}
			ctx := context.Background()
			inst, res, err := m.Instantiate(ctx, fuzzConfig(p.byte()))
			if err != nil || res.Trap != nil {
				t.Fatalf("instantiate: %v %v", err, res.Trap)
			}
			defer inst.Close(ctx)
			h := mustHeap(t, inst)
			for step := 0; step < 64 && len(p.data) > 0; step++ {
				// Some objects of every arena, some freed.
				switch b := p.byte(); {
				case b < 40:
					var c vm3.Cell
					var err error
					switch b % 6 {
					case 0:
						c, err = h.ListNew(p.integer() % 4)
					case 1:
						c, err = h.I64ArrNew(p.integer() % 4)
					case 2:
						c, err = h.StructNewShaped(1, uint32(b%2))
					case 3:
						c, err = h.StrNewString("s")
					case 4:
						c, err = h.HostNew(int(b))
					case 5:
						c, err = h.MapNew()
					}
					if err == nil {
						p.cells = append(p.cells, c)
					}
					continue
				case b < 48 && len(p.cells) > 0:
					h.Free(p.cells[int(p.byte())%len(p.cells)])
					continue
				case b < 50:
					h.Collect()
					continue
				}
				d := decls[int(p.byte())%len(decls)]
				sig := mustSig(t, d.sig)
				stack := make([]uint64, len(sig.Params)+1)
				for k, pt := range sig.Params {
					w, _ := pt.wasm()
					stack[k] = p.arg(w)
				}
				failed = ""
				trap, err := inst.Call(ctx, "call_"+d.name, stack)
				if err != nil {
					t.Fatalf("step %d: %s: %v", step, d.name, err)
				}
				if _, err := outcome(trapOrNil(trap)); err != nil {
					t.Fatalf("step %d: %s: %v", step, d.name, err)
				}
				if failed != "" {
					t.Fatalf("step %d: %s got %v: %s", step, d.name, lastArgs, failed)
				}
				if trap == nil {
					p.cells = append(p.cells, vm3.Cell(stack[0]))
				}
				if checkNow(h, trap, step == 63 || len(p.data) == 0) {
					if err := h.CheckInvariants(); err != nil {
						t.Fatalf("step %d: after %s (trap %v): %v", step, d.name, trap, err)
					}
				}
			}
		})
	}
}

// checkHostArg says how a converted argument breaks host.md §11.3, or "".
func checkHostArg(h *vm3.Heap, t HostType, a any) string {
	switch t.Type {
	case vm3pb.Type_TYPE_I64:
		if _, ok := a.(int64); !ok {
			return "i64 not an int64"
		}
	case vm3pb.Type_TYPE_F64:
		if _, ok := a.(float64); !ok {
			return "f64 not a float64"
		}
	case vm3pb.Type_TYPE_BOOL:
		if _, ok := a.(bool); !ok {
			return "bool not a bool"
		}
	case vm3pb.Type_TYPE_STR:
		if _, ok := a.(string); !ok && a != nil {
			return "str not a string"
		}
	case vm3pb.Type_TYPE_HOST:
		if _, ok := a.(*vm3.Ref); ok {
			return "host as a Ref"
		}
	case vm3pb.Type_TYPE_ANY:
		switch x := a.(type) {
		case nil, int64, float64, bool:
		case *vm3.Ref:
			if x.Heap() != h || x.Released() {
				return "any: a foreign or released Ref"
			}
			if d, err := x.Cell().Decode(); err != nil || d.Kind != vm3.KindHandle {
				return "any: a Ref of a non-handle"
			}
		default:
			return "any: not nil/int64/float64/bool/*vm3.Ref"
		}
	default:
		if a == nil {
			return ""
		}
		x, ok := a.(*vm3.Ref)
		if !ok || x.Heap() != h || x.Released() {
			return t.String() + " not a Ref of this heap"
		}
		if d, _ := x.Cell().Decode(); d.Kind != vm3.KindHandle || d.Arena != arenaOf(t) {
			return t.String() + ": a Ref of another arena"
		}
		if t.Type == vm3pb.Type_TYPE_STRUCT {
			if s, err := h.StructShape(x.Cell()); err != nil || s != t.Struct {
				return "struct of another shape"
			}
		}
	}
	return ""
}

// FuzzImportKinds: importKinds never panics on any bytes, and on a
// wazero-valid module agrees with its imported functions and memories.
func FuzzImportKinds(f *testing.F) {
	f.Add(hostModule(f, []hostDecl{{"s", "(str) -> str"}}, nil, "list_new"))
	g := newGuest("pin")
	g.ImportGlobal("host", "g", I64)
	f.Add(g.bytes())
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x02\x05\x01\x01a\x01b"))
	f.Fuzz(func(t *testing.T, wasm []byte) {
		imps, err := importKinds(wasm)
		if err != nil {
			return
		}
		for _, im := range imps {
			_ = im.kindName()
		}
	})
}
