package kernels

import (
	"math"
	"os"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Every kernel gives its program's expected value on every vector.
func TestKernelsMatchProgramVectors(t *testing.T) {
	kernels := map[string]func(int64) (int64, float64){
		"heap/binary_trees.ir":     func(n int64) (int64, float64) { return BinaryTrees(n), 0 },
		"corpus/lists_fill_sum.ir": func(n int64) (int64, float64) { return ListsFillSum(n), 0 },
		"corpus/nsieve.ir":         func(n int64) (int64, float64) { return NSieve(n), 0 },
		"corpus/mandelbrot.ir":     func(n int64) (int64, float64) { return Mandelbrot(n), 0 },
		"corpus/n_body.ir":         func(n int64) (int64, float64) { return 0, NBody(n) },
	}
	seen := map[string]int{}
	for _, file := range []string{"corpus.json", "heap.json"} {
		data, err := os.ReadFile("../../../conformance/programs/" + file)
		if err != nil {
			t.Fatal(err)
		}
		var vf vm3pb.ProgramVectorFile
		if err := protojson.Unmarshal(data, &vf); err != nil {
			t.Fatal(err)
		}
		for _, v := range vf.GetPrograms() {
			k, ok := kernels[v.GetProgram()]
			if !ok || v.GetEntry() != "" {
				continue
			}
			seen[v.GetProgram()]++
			i, f := k(v.GetArgs()[0])
			switch x := v.GetExpect().GetOutcome().(type) {
			case *vm3pb.ProgramExpect_I64:
				if i != x.I64 {
					t.Errorf("%s: %d, want %d", v.GetName(), i, x.I64)
				}
			case *vm3pb.ProgramExpect_F64Bits:
				if math.Float64bits(f) != x.F64Bits {
					t.Errorf("%s: %v (%#x), want %#x", v.GetName(), f, math.Float64bits(f), x.F64Bits)
				}
			default:
				t.Errorf("%s: unexpected expectation %v", v.GetName(), v.GetExpect())
			}
		}
	}
	for p := range kernels {
		if seen[p] == 0 {
			t.Errorf("no vectors for %s", p)
		}
	}
}
