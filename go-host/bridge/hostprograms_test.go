package bridge_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/vm3-bridge/vm3/go-host/bridge"
	"github.com/vm3-bridge/vm3/go-host/testee"
	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// TestHostProgramVectors runs conformance/programs/host.json on the emitted
// modules of testdata/programs/host (testdata/regen.ts) on both engines,
// the host imports bound to the conformance host library (an external test
// package, since the library's package imports this one), and checks the
// heap's invariants after every run.
func TestHostProgramVectors(t *testing.T) {
	data, err := os.ReadFile("../../conformance/programs/host.json")
	if err != nil {
		t.Fatal(err)
	}
	var vf vm3pb.ProgramVectorFile
	if err := protojson.Unmarshal(data, &vf); err != nil {
		t.Fatal(err)
	}
	for _, interp := range []bool{false, true} {
		modules := map[string]*bridge.Module{}
		for _, v := range vf.GetPrograms() {
			base := filepath.Join("testdata/programs", v.GetProgram()[:len(v.GetProgram())-len(".ir")])
			m := modules[base]
			if m == nil {
				wasm, err := os.ReadFile(base + ".wasm")
				if err != nil {
					t.Fatal(err)
				}
				m, err = bridge.Compile(context.Background(), wasm, bridge.Options{Interpreter: interp, Host: testee.HostLibrary()})
				if err != nil {
					t.Fatal(err)
				}
				defer m.Close(context.Background())
				modules[base] = m
			}
			p, err := bridge.ReadProgram(base + ".pb")
			if err != nil {
				t.Fatal(err)
			}
			entry, kind, err := bridge.ProgramEntry(p, v.GetEntry())
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.Run(context.Background(), entry, v.GetArgs(), vm3.Config{Variant: vm3pb.Variant_AUTO}, kind)
			if err != nil {
				t.Errorf("%s (interpreter %v): %v", v.GetName(), interp, err)
				continue
			}
			ok := false
			switch x := v.GetExpect().GetOutcome().(type) {
			case *vm3pb.ProgramExpect_Trap:
				ok = res.Trap != nil && res.Trap.Code == x.Trap
			case *vm3pb.ProgramExpect_I64:
				ok = res.Trap == nil && res.Type == bridge.ResultI64 && res.I64 == x.I64
			case *vm3pb.ProgramExpect_F64:
				ok = res.Trap == nil && res.Type == bridge.ResultF64 && math.Float64frombits(res.F64Bits) == x.F64
			case *vm3pb.ProgramExpect_Bool:
				ok = res.Trap == nil && res.Type == bridge.ResultBool && res.Bool == x.Bool
			case *vm3pb.ProgramExpect_Str:
				ok = res.Trap == nil && res.Type == bridge.ResultStr && res.Str == x.Str
			default:
				t.Fatalf("%s: expectation %v not handled", v.GetName(), v.GetExpect())
			}
			if !ok {
				t.Errorf("%s (interpreter %v): got %s (trap %v), want %v", v.GetName(), interp, res.Text(), res.Trap, protojson.Format(v.GetExpect()))
			}
			if err := res.Heap.CheckInvariants(); err != nil {
				t.Errorf("%s: heap invariants: %v", v.GetName(), err)
			}
		}
	}
}
