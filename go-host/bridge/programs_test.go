package bridge

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// The program vectors of conformance/programs (conformance.md §6.5) on the
// handle-ABI modules in testdata/programs (testdata/regen.ts emits them from
// the same .ir files), on both engines.

const programsDir = "../../conformance/programs"

func programVectors(t testing.TB) []*vm3pb.ProgramVector {
	t.Helper()
	var out []*vm3pb.ProgramVector
	for _, file := range []string{"corpus.json", "heap.json", "traps.json", "depth.json", "tailcall.json", "strings-large.json"} {
		data, err := os.ReadFile(filepath.Join(programsDir, file))
		if err != nil {
			t.Fatal(err)
		}
		var vf vm3pb.ProgramVectorFile
		if err := protojson.Unmarshal(data, &vf); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out = append(out, vf.GetPrograms()...)
	}
	return out
}

// programWasm reads the emitted module of a vector's program file.
func programWasm(t testing.TB, program string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata/programs", strings.TrimSuffix(program, ".ir")+".wasm"))
	if err != nil {
		t.Fatalf("%v (regenerate with: npx node go-host/bridge/testdata/regen.ts)", err)
	}
	return b
}

// programIR reads the program beside its module (binary vm3.v1.Program).
func programIR(t testing.TB, program string) *vm3pb.Program {
	t.Helper()
	p, err := ReadProgram(filepath.Join("testdata/programs", strings.TrimSuffix(program, ".ir")+".pb"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// judge reports how res misses e, or "".
func judge(res Result, e *vm3pb.ProgramExpect) string {
	got := res.Text()
	if res.Trap == nil {
		got = res.Type.String() + " " + got
	}
	ok := false
	switch x := e.GetOutcome().(type) {
	case *vm3pb.ProgramExpect_Trap:
		ok = res.Trap != nil && res.Trap.Code == x.Trap
	case *vm3pb.ProgramExpect_I64:
		ok = res.Trap == nil && res.Type == ResultI64 && res.I64 == x.I64
	case *vm3pb.ProgramExpect_F64:
		f := res.F64()
		ok = res.Trap == nil && res.Type == ResultF64 && (f == x.F64 && math.Signbit(f) == math.Signbit(x.F64) || f != f && x.F64 != x.F64)
	case *vm3pb.ProgramExpect_F64Bits:
		ok = res.Trap == nil && res.Type == ResultF64 && res.F64Bits == x.F64Bits
	case *vm3pb.ProgramExpect_Bool:
		ok = res.Trap == nil && res.Type == ResultBool && res.Bool == x.Bool
	case *vm3pb.ProgramExpect_Str:
		ok = res.Trap == nil && res.Type == ResultStr && res.Str == x.Str
	case *vm3pb.ProgramExpect_Unit:
		ok = res.Trap == nil && res.Type == ResultUnit
	}
	if ok {
		return ""
	}
	return "got " + got + ", want " + protojson.Format(e)
}

func TestProgramVectors(t *testing.T) {
	vectors := programVectors(t)
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			modules := map[string]*Module{}
			for _, v := range vectors {
				if e.opts.Interpreter && strings.HasPrefix(v.GetProgram(), "corpus/") && len(v.GetArgs()) > 0 && v.GetArgs()[0] >= 100_000 {
					continue // the compiler runs the big kernels; the interpreter is ~10x slower
				}
				m := modules[v.GetProgram()]
				if m == nil {
					m = compile(t, programWasm(t, v.GetProgram()), e.opts)
					modules[v.GetProgram()] = m
				}
				entry, kind, err := ProgramEntry(programIR(t, v.GetProgram()), v.GetEntry())
				if err != nil {
					t.Fatalf("%s: %v", v.GetName(), err)
				}
				ctx, cancel := context.Background(), context.CancelFunc(func() {})
				if ms := v.GetTimeoutMs(); ms > 0 {
					ctx, cancel = context.WithTimeout(ctx, time.Duration(ms)*time.Millisecond)
				}
				res, err := m.Run(ctx, entry, v.GetArgs(), vm3.Config{Variant: vm3pb.Variant_AUTO}, kind)
				cancel()
				if _, timeout := v.GetExpect().GetOutcome().(*vm3pb.ProgramExpect_Timeout); timeout {
					// Still running at the limit (embedding.md §7.2).
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("%s: want a timeout at %d ms, got %s, %v", v.GetName(), v.GetTimeoutMs(), res.Text(), err)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: %v", v.GetName(), err)
					continue
				}
				msg := judge(res, v.GetExpect())
				if msg != "" {
					t.Errorf("%s: %s", v.GetName(), msg)
				}
				if err := res.Heap.CheckInvariants(); err != nil {
					t.Errorf("%s: heap invariants: %v", v.GetName(), err)
				}
			}
		})
	}
}
