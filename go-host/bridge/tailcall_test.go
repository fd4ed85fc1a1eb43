package bridge

import (
	"context"
	"strings"
	"testing"

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
