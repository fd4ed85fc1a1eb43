package bridge

import (
	_ "unsafe" // for go:linkname
)

// InterpreterCallDepth is the call depth of wazero's interpreter under the
// bridge: a run may hold this many Wasm frames (the entry's included) and
// the next call traps STACK_OVERFLOW (ir.md §8.8 asks for at least 10,000;
// handle-abi.md §10.6). TestCallDepth pins it.
//
// Wazero v1.12's interpreter counts its frames against callStackCeiling, a
// package variable of its internal interpreter package (2,000 by default),
// which its comment says embedders may change at build time; `-ldflags -X`
// sets only string variables, so the bridge sets it here, through
// go:linkname, once at package initialisation (before any goroutine can run
// an interpreter). The variable is wazero's, so this is the depth of every
// wazero interpreter in the process; a wazero that renames it fails to
// link, never silently keeps 2,000.
//
// Why 20,000 and not more: each interpreted Wasm call is a recursion of the
// interpreter's Go functions, about 5 KB of goroutine stack per Wasm frame
// whatever the frame holds (its values live on a heap slice), and Go kills
// the whole process, unrecoverably, when a goroutine's stack passes its
// maximum (1 GB by default, runtime/debug.SetMaxStack): measured, 100,000
// frames ran with 512 MB of stacks and 300,000 killed the process. At 20,000
// frames — twice the spec's minimum — the process's stacks measured 128 MB
// (runtime/metrics /memory/classes/heap/stacks:bytes), far from that limit.
// An embedder that lowers SetMaxStack below about 150 MB loses that margin.
const InterpreterCallDepth = 20_000

//go:linkname interpreterCallStackCeiling github.com/tetratelabs/wazero/internal/engine/interpreter.callStackCeiling
var interpreterCallStackCeiling int

func init() {
	interpreterCallStackCeiling = InterpreterCallDepth
}
