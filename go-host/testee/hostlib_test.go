package testee

import (
	"math"
	"os"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// TestHostVectors runs conformance/programs/host.json (host.md §11) through
// Serve on the committed handle-ABI modules (bridge/testdata/programs/host,
// testdata/regen.ts), the host imports bound to HostLibrary.
func TestHostVectors(t *testing.T) {
	data, err := os.ReadFile("../../conformance/programs/host.json")
	if err != nil {
		t.Fatal(err)
	}
	var vf vm3pb.ProgramVectorFile
	if err := protojson.Unmarshal(data, &vf); err != nil {
		t.Fatal(err)
	}
	if len(vf.GetPrograms()) == 0 {
		t.Fatal("no host vectors")
	}
	for _, v := range vf.GetPrograms() {
		out := serveProgram(t, programRun(t, v.GetProgram(), v.GetEntry(), v.GetArgs()...)).GetProgram()
		if out == nil || out.GetError() != "" {
			t.Errorf("%s: %v", v.GetName(), out)
			continue
		}
		ok := false
		switch x := v.GetExpect().GetOutcome().(type) {
		case *vm3pb.ProgramExpect_I64:
			ok = isKind[*vm3pb.ProgramOutcome_I64](out) && out.GetI64() == x.I64
		case *vm3pb.ProgramExpect_F64:
			ok = isKind[*vm3pb.ProgramOutcome_F64Bits](out) && math.Float64frombits(out.GetF64Bits()) == x.F64
		case *vm3pb.ProgramExpect_Bool:
			ok = isKind[*vm3pb.ProgramOutcome_Bool](out) && out.GetBool() == x.Bool
		case *vm3pb.ProgramExpect_Str:
			ok = isKind[*vm3pb.ProgramOutcome_Str](out) && out.GetStr() == x.Str
		case *vm3pb.ProgramExpect_Trap:
			ok = isKind[*vm3pb.ProgramOutcome_Trap](out) && out.GetTrap() == x.Trap
			if ok && x.Trap == vm3pb.TrapCode_HOST_ERROR && !strings.Contains(out.GetTrapSite(), "host function @") {
				t.Errorf("%s: HOST_ERROR without the host function named: %q", v.GetName(), out.GetTrapSite())
			}
		default:
			t.Fatalf("%s: expectation %v not handled here", v.GetName(), v.GetExpect())
		}
		if !ok {
			t.Errorf("%s: got %v, want %v", v.GetName(), out, v.GetExpect())
		}
	}
}

func TestSame(t *testing.T) {
	lib := HostLibrary()
	counter := func() any {
		v, _ := lib["counter"].Fn(nil, nil)
		return v
	}
	c1, c2 := counter(), counter()
	b1 := &Box{1}
	m := map[int]int{}
	s := []int{1, 2}
	type withFunc struct{ f any }
	for _, c := range []struct {
		a, b any
		want bool
	}{
		{c1, c1, true}, {c1, c2, false}, {b1, b1, true}, {b1, &Box{1}, false},
		{nil, nil, true}, {nil, b1, false}, {"x", "x", true}, {int64(1), int64(1), true}, {int64(1), 1, false},
		{m, m, true}, {m, map[int]int{}, false}, {s, s, true}, {s, s[:1], false},
		{withFunc{c1}, withFunc{c1}, false}, // == would panic: not the same, no panic
	} {
		if got := Same(c.a, c.b); got != c.want {
			t.Errorf("Same(%T, %T) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
