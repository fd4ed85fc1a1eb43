package bridge

// Hostile guests, second round (issue 10), on the Go host: the corpus the
// TypeScript host runs too (ts-runtime/test/abi-host-hostile2.test.ts). The
// modules and what each host must answer come from
// testdata/hostile2/manifest.json, written from the byte recipes of
// ts-runtime/test/hostile-modules.ts (whose test fails when the files are
// stale): mistyped imports, a vm3_init with a parameter, a mistyped entry,
// memories over handle-abi.md §10.1's 4096-page limit and growth past it,
// traps and endless loops in the start function and vm3_init, lazy tails.

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

type hostileExpect struct {
	CompileError *string `json:"compileError"`
	RunError     *string `json:"runError"`
	Trap         *string `json:"trap"`
	I64          *string `json:"i64"`
	Timeout      bool    `json:"timeout"`
	Skip         *string `json:"skip"`
}

type hostileCase struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Program     struct {
		Entry string `json:"entry"`
	} `json:"program"`
	Args []string `json:"args"`
	Heap *struct {
		MaxHeapBytes uint64 `json:"maxHeapBytes"`
	} `json:"heap"`
	Go   hostileExpect `json:"go"`
	Wasm string        `json:"wasm"`
}

func hostileCorpus(t *testing.T) []hostileCase {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "hostile2", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Cases []hostileCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Cases) == 0 {
		t.Fatal("the manifest has no cases")
	}
	return m.Cases
}

func TestHostileModules2(t *testing.T) {
	for _, c := range hostileCorpus(t) {
		for _, e := range engines {
			t.Run(c.Name+"/"+e.name, func(t *testing.T) {
				want := c.Go
				if want.Skip != nil {
					t.Skip(*want.Skip)
				}
				wasm, err := os.ReadFile(filepath.Join("testdata", "hostile2", c.Wasm))
				if err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				m, err := Compile(ctx, wasm, e.opts)
				if want.CompileError != nil {
					if err == nil {
						m.Close(ctx)
						t.Fatalf("%s compiled; want an error containing %q", c.Name, *want.CompileError)
					}
					if !strings.Contains(err.Error(), *want.CompileError) {
						t.Fatalf("compile error %q does not contain %q", err, *want.CompileError)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				defer m.Close(ctx)
				args := make([]int64, len(c.Args))
				for i, a := range c.Args {
					if args[i], err = strconv.ParseInt(a, 10, 64); err != nil {
						t.Fatal(err)
					}
				}
				cfg := vm3.Config{Variant: vm3pb.Variant_AUTO}
				if c.Heap != nil {
					cfg.MaxHeapBytes = c.Heap.MaxHeapBytes
				}
				if want.Timeout {
					// The default Options stop a run at its context's deadline (embedding.md §7.2), the start function and vm3_init included.
					tctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
					defer cancel()
					start := time.Now()
					res, err := m.Run(tctx, c.Program.Entry, args, cfg, ResultAuto)
					if !errors.Is(err, context.DeadlineExceeded) || res.Trap != nil {
						t.Fatalf("err %v, trap %v; want the deadline", err, res.Trap)
					}
					if d := time.Since(start); d > 10*time.Second {
						t.Fatalf("stopped after %v", d)
					}
					return
				}
				res, err := m.Run(ctx, c.Program.Entry, args, cfg, ResultAuto)
				if want.RunError != nil {
					if err == nil || !strings.Contains(err.Error(), *want.RunError) {
						t.Fatalf("run error %v; want one containing %q", err, *want.RunError)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if res.Heap != nil {
					if err := res.Heap.CheckInvariants(); err != nil {
						t.Fatalf("heap invariants after the run: %v", err)
					}
				}
				switch {
				case want.Trap != nil:
					if res.Trap == nil || res.Trap.Code.String() != *want.Trap {
						t.Fatalf("result %s; want trap %s", res.Text(), *want.Trap)
					}
				case want.I64 != nil:
					if res.Trap != nil || strconv.FormatInt(res.I64, 10) != *want.I64 {
						t.Fatalf("result %s; want %s", res.Text(), *want.I64)
					}
				default:
					t.Fatalf("the manifest's go expectation for %s names no outcome", c.Name)
				}
			})
		}
	}
}
