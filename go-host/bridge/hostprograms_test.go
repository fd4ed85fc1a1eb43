package bridge_test

import (
	"context"
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
			if msg := bridge.Judge(res, v.GetExpect()); msg != "" {
				t.Errorf("%s (interpreter %v): %s", v.GetName(), interp, msg)
			}
			if err := res.Heap.CheckInvariants(); err != nil {
				t.Errorf("%s: heap invariants: %v", v.GetName(), err)
			}
		}
	}
}
