package testee

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

const bridgePrograms = "../bridge/testdata/programs/"

func programRun(t *testing.T, program, entry string, args ...int64) *vm3pb.ProgramRun {
	t.Helper()
	base := bridgePrograms + strings.TrimSuffix(program, ".ir")
	wasm, err := os.ReadFile(base + ".wasm")
	if err != nil {
		t.Fatal(err)
	}
	pb, err := os.ReadFile(base + ".pb")
	if err != nil {
		t.Fatal(err)
	}
	p := &vm3pb.Program{}
	if err := proto.Unmarshal(pb, p); err != nil {
		t.Fatal(err)
	}
	return &vm3pb.ProgramRun{Program: p, Entry: entry, Args: args, Wasm: wasm,
		Heap: &vm3pb.HeapConfig{Variant: vm3pb.Variant_AUTO}}
}

func serveProgram(t *testing.T, run *vm3pb.ProgramRun) *vm3pb.TesteeResponse {
	// Through the wire form, as the testee process gets it.
	b, err := proto.Marshal(&vm3pb.TesteeRequest{Kind: &vm3pb.TesteeRequest_Program{Program: run}})
	if err != nil {
		t.Fatal(err)
	}
	req := &vm3pb.TesteeRequest{}
	if err := proto.Unmarshal(b, req); err != nil {
		t.Fatal(err)
	}
	return Serve(req)
}

// TestProgramVectors runs the corpus vectors (those the committed modules
// get right: see go-host/bridge knownEmitterBugs) through Serve.
func TestProgramVectors(t *testing.T) {
	data, err := os.ReadFile("../../conformance/programs/corpus.json")
	if err != nil {
		t.Fatal(err)
	}
	var vf vm3pb.ProgramVectorFile
	if err := protojson.Unmarshal(data, &vf); err != nil {
		t.Fatal(err)
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
		case *vm3pb.ProgramExpect_F64Bits:
			ok = isKind[*vm3pb.ProgramOutcome_F64Bits](out) && out.GetF64Bits() == x.F64Bits
		case *vm3pb.ProgramExpect_F64:
			ok = isKind[*vm3pb.ProgramOutcome_F64Bits](out) && math.Float64frombits(out.GetF64Bits()) == x.F64
		case *vm3pb.ProgramExpect_Trap:
			ok = isKind[*vm3pb.ProgramOutcome_Trap](out) && out.GetTrap() == x.Trap
		default:
			t.Fatalf("%s: expectation %v not handled here", v.GetName(), v.GetExpect())
		}
		if !ok {
			t.Errorf("%s: got %v, want %v", v.GetName(), out, v.GetExpect())
		}
	}
}

func isKind[T any](out *vm3pb.ProgramOutcome) bool {
	_, ok := out.GetOutcome().(T)
	return ok
}

func TestProgramOutcomes(t *testing.T) {
	trap := serveProgram(t, programRun(t, "traps/divide_by_zero.ir", "", 0)).GetProgram()
	if trap.GetTrap() != vm3pb.TrapCode_DIVIDE_BY_ZERO || !strings.Contains(trap.GetTrapSite(), "trap") {
		t.Errorf("divide_by_zero: %v", trap)
	}
	oom := programRun(t, "corpus/lists_fill_sum.ir", "", 1000)
	oom.Heap.MaxHeapBytes = 100
	if out := serveProgram(t, oom).GetProgram(); out.GetTrap() != vm3pb.TrapCode_OUT_OF_MEMORY {
		t.Errorf("lists_fill_sum at 100 bytes: %v", out)
	}
	for _, c := range []struct {
		run  *vm3pb.ProgramRun
		text string
	}{
		{programRun(t, "corpus/fib_rec.ir", "nope", 1), `no function "nope"`},
		{programRun(t, "corpus/fib_rec.ir", "", 1, 2), "takes 1 arguments, got 2"},
		{func() *vm3pb.ProgramRun {
			r := programRun(t, "corpus/fib_rec.ir", "", 1)
			r.Wasm = []byte("\x00asm junk")
			return r
		}(), "invalid WebAssembly module"},
	} {
		if out := serveProgram(t, c.run).GetProgram(); !strings.Contains(out.GetError(), c.text) || out.GetOutcome() != nil {
			t.Errorf("want error %q, got %v", c.text, out)
		}
	}
	noWasm := programRun(t, "corpus/fib_rec.ir", "", 1)
	noWasm.Wasm = nil
	if resp := serveProgram(t, noWasm); !strings.Contains(resp.GetProtocolError(), "ProgramRun.wasm is empty") {
		t.Errorf("no wasm: %v", resp)
	}
}

// TestProgramTimeout: a run that never ends is stopped at ProgramRun.timeout_ms
// and answered with timed_out_after_ms (embedding.md §7.2); the next run on
// the same testee is unaffected.
func TestProgramTimeout(t *testing.T) {
	for _, entry := range []string{"spin", "churn"} {
		run := programRun(t, "runaway/runaway.ir", entry, 0)
		run.TimeoutMs = 300
		start := time.Now()
		out := serveProgram(t, run).GetProgram()
		if out.GetTimedOutAfterMs() < 300 {
			t.Fatalf("%s: want a timeout of at least 300 ms, got %v", entry, out)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: the timeout took %v to end the run", entry, d)
		}
	}
	run := programRun(t, "runaway/runaway.ir", "finite", 10)
	run.TimeoutMs = 5000
	if got := serveProgram(t, run).GetProgram().GetI64(); got != 55 {
		t.Fatalf("finite(10) after the timeouts: want 55, got %d", got)
	}
}
