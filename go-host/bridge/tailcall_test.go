package bridge

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/vm3-bridge/vm3/go-host/vm3"
)

// TestWazeroTailCallProposal records what wazero does with the tail-call
// proposal: with experimental.CoreFeaturesTailCall, return_call runs a
// million-deep mutual recursion in constant stack on both engines; without
// it the module does not compile. The bridge's Features enable it (§10.1),
// so Compile accepts the module and runs it on both engines, under the
// default (interruptible) Options too.
func TestWazeroTailCallProposal(t *testing.T) {
	g := newGuest()
	// even(n) = n == 0 ? 1 : odd(n-1); odd(n) = n == 0 ? 0 : even(n-1)
	even := g.NextFunc()
	odd := even + 1
	g.entry("even", sig(vts(I64), I64), nil, code(nil).
		LocalGet(0).Op(0x50).If(I64).I64Const(1).Else().LocalGet(0).I64Const(1).Op(0x7D).ReturnCall(odd).End())
	g.entry("odd", sig(vts(I64), I64), nil, code(nil).
		LocalGet(0).Op(0x50).If(I64).I64Const(0).Else().LocalGet(0).I64Const(1).Op(0x7D).ReturnCall(even).End())
	wasm := g.bytes()

	ctx := context.Background()
	for _, cfg := range []struct {
		name string
		rc   wazero.RuntimeConfig
	}{{"compiler", wazero.NewRuntimeConfig()}, {"interpreter", wazero.NewRuntimeConfigInterpreter()}} {
		t.Run(cfg.name, func(t *testing.T) {
			rt := wazero.NewRuntimeWithConfig(ctx, cfg.rc.WithCoreFeatures(api.CoreFeaturesV2|experimental.CoreFeaturesTailCall))
			defer rt.Close(ctx)
			mod, err := rt.Instantiate(ctx, wasm)
			if err != nil {
				t.Fatal(err)
			}
			res, err := mod.ExportedFunction("even").Call(ctx, 1_000_001)
			if err != nil || res[0] != 0 {
				t.Fatalf("even(1000001) = %v, %v", res, err)
			}
		})
	}
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2))
	defer rt.Close(ctx)
	if _, err := rt.CompileModule(ctx, wasm); err == nil || !strings.Contains(err.Error(), "tail-call") {
		t.Fatalf("without the feature, compiling a return_call module: %v", err)
	} else {
		t.Logf("without the feature: %v", err)
	}
	for _, e := range engines {
		m := compile(t, wasm, e.opts)
		res, err := m.Run(ctx, "even", []int64{1_000_001}, vm3.Config{}, ResultAuto)
		if err != nil || res.Trap != nil || res.I64 != 0 {
			t.Fatalf("bridge %s: even(1000001) = %s, %v", e.name, res.Text(), err)
		}
	}
}

// tailCycle is ping(n) = pong(n+1), pong(n) = ping(n+1) as return_calls:
// a cycle that never ends. With loops, each body is wrapped in a loop
// without back-edge, as the emitters do (compiler3-emit/src/wasmgc/
// tail-interrupts.ts).
func tailCycle(loops bool) []byte {
	g := newGuest()
	ping := g.NextFunc()
	pong := ping + 1
	for _, f := range []struct {
		name string
		next uint32
	}{{"ping", pong}, {"pong", ping}} {
		c := code(nil)
		if loops {
			c = c.Op(0x03, 0x7E) // loop (result i64)
		}
		c = c.LocalGet(0).I64Const(1).Op(0x7C).ReturnCall(f.next)
		if loops {
			c = c.End()
		}
		g.entry(f.name, sig(vts(I64), I64), nil, c)
	}
	return g.bytes()
}

// TestTimeoutMutualTailCycle: a never-ending cycle of mutual return_calls
// stops at its context's deadline on both engines under the default
// Options (embedding.md §7.2) — because each function's body is a loop:
// wazero's WithCloseOnContextDone checks at loop headers, not at calls,
// so the same cycle without the loops is never stopped (the child process
// below shows it; in this process it would spin forever).
func TestTimeoutMutualTailCycle(t *testing.T) {
	if mode := os.Getenv(tailChildEnv); mode != "" {
		tailChild(t, mode)
		return
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			for name, wasm := range map[string][]byte{"hand-built": tailCycle(true), "emitted": programWasm(t, "tailcall/mutual.ir")} {
				m := compile(t, wasm, e.opts)
				ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
				start := time.Now()
				res, err := m.Run(ctx, "ping", []int64{0}, vm3.Config{}, ResultAuto)
				cancel()
				if !errors.Is(err, context.DeadlineExceeded) || res.Trap != nil {
					t.Fatalf("%s ping(0): err %v, result %s", name, err, res.Text())
				}
				if d := time.Since(start); d > 5*time.Second {
					t.Fatalf("%s: stopped after %v", name, d)
				}
			}
		})
	}
	if testing.Short() {
		return
	}
	for _, e := range engines {
		ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestTimeoutMutualTailCycle$", "-test.v")
		cmd.Env = append(os.Environ(), tailChildEnv+"="+e.name)
		out, err := cmd.CombinedOutput()
		finished := err == nil && ctx.Err() == nil
		cancel()
		if finished || !strings.Contains(string(out), "child: cycling") {
			t.Fatalf("%s without loops: want the cycle still running at its 100 ms deadline and the child killed at 6 s, got (finished %v):\n%s", e.name, finished, out)
		}
	}
}

const tailChildEnv = "BRIDGE_TAIL_CHILD"

// tailChild runs the loop-less cycle with a 100 ms deadline; it returns
// only if wazero stops it.
func tailChild(t *testing.T, engine string) {
	opts := Options{Interpreter: engine == "interpreter"}
	m := compile(t, tailCycle(false), opts)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	fmt.Println("child: cycling")
	_, err := m.Run(ctx, "ping", []int64{0}, vm3.Config{}, ResultAuto)
	fmt.Printf("child: stopped: %v\n", err)
}
