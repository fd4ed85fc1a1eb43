package bridge

import (
	"context"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"
)

// TestWazeroTailCallProposal records what wazero does with the tail-call
// proposal: with experimental.CoreFeaturesTailCall, return_call runs a
// million-deep mutual recursion in constant stack on both engines; without
// it (the bridge's Features, handle-abi.md §10.1) the module does not
// compile.
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
			rt := wazero.NewRuntimeWithConfig(ctx, cfg.rc.WithCoreFeatures(Features|experimental.CoreFeaturesTailCall))
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
	_, err := Compile(ctx, wasm, Options{})
	if err == nil || !strings.Contains(err.Error(), "tail-call") {
		t.Fatalf("Compile of a return_call module: %v", err)
	}
	t.Logf("without the feature: %v", err)
}
