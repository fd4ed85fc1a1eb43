package testee

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/vm3-bridge/vm3/go-host/bridge"
	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// RunProgram answers a ProgramRun (conformance.md §6.5) by running its
// handle-ABI module (ProgramRun.wasm) under wazero on a fresh Go heap made
// from its HeapConfig: the IR program gives the entry (empty: its own) and
// the result type. A run that cannot start — no module, a module that does
// not compile, an unknown entry, a wrong argument count — is
// ProgramOutcome.error; an engine trap outside the ABI is an error too.
// With ProgramRun.timeout_ms the run (instantiation and the entry, not the
// compilation) is stopped at that limit and answered with
// timed_out_after_ms (embedding.md §7.2). Only such modules are compiled
// with the bridge's context checks; the others opt out
// (bridge.Options.Uninterruptible) and do not pay for them: the testee runs
// one program at a time, so nothing else in it waits on a stalled GC.
func RunProgram(ctx context.Context, run *vm3pb.ProgramRun) *vm3pb.ProgramOutcome {
	errorf := func(format string, args ...any) *vm3pb.ProgramOutcome {
		return &vm3pb.ProgramOutcome{Error: fmt.Sprintf(format, args...)}
	}
	entry, kind, err := bridge.ProgramEntry(run.GetProgram(), run.GetEntry())
	if err != nil {
		return errorf("%v", err)
	}
	limit := time.Duration(run.GetTimeoutMs()) * time.Millisecond
	m, err := modules.get(ctx, run.GetWasm(), limit > 0)
	if err != nil {
		return errorf("%v", err)
	}
	runCtx := ctx
	if limit > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	started := time.Now()
	res, err := m.Run(runCtx, entry, run.GetArgs(), vm3.ConfigFromProto(run.GetHeap()), kind)
	if limit > 0 && errors.Is(err, context.DeadlineExceeded) {
		after := uint32(min(time.Since(started).Milliseconds(), int64(^uint32(0))))
		return &vm3pb.ProgramOutcome{Outcome: &vm3pb.ProgramOutcome_TimedOutAfterMs{TimedOutAfterMs: max(after, run.GetTimeoutMs())}}
	}
	if err != nil {
		return errorf("%v", err)
	}
	if res.Trap != nil {
		return &vm3pb.ProgramOutcome{
			Outcome:  &vm3pb.ProgramOutcome_Trap{Trap: res.Trap.Code},
			TrapSite: res.Trap.Error(),
		}
	}
	switch res.Type {
	case bridge.ResultI64:
		return &vm3pb.ProgramOutcome{Outcome: &vm3pb.ProgramOutcome_I64{I64: res.I64}}
	case bridge.ResultF64:
		return &vm3pb.ProgramOutcome{Outcome: &vm3pb.ProgramOutcome_F64Bits{F64Bits: res.F64Bits}}
	case bridge.ResultBool:
		return &vm3pb.ProgramOutcome{Outcome: &vm3pb.ProgramOutcome_Bool{Bool: res.Bool}}
	case bridge.ResultStr:
		return &vm3pb.ProgramOutcome{Outcome: &vm3pb.ProgramOutcome_Str{Str: res.Str}}
	}
	return &vm3pb.ProgramOutcome{Outcome: &vm3pb.ProgramOutcome_Unit{Unit: true}}
}

// errNoWasm is the answer to a ProgramRun without a module.
var errNoWasm = errors.New("ProgramRun.wasm is empty: the Go testee runs programs only as handle-ABI modules")

// moduleCache keeps the most recent compiled modules by content and by
// whether they stop at a deadline (not bridge.Options.Uninterruptible): the runner
// sends the same program's module with every vector of that program.
type moduleCache struct {
	mu      sync.Mutex
	entries []cachedModule // most recent last
}

type cachedModule struct {
	sum           [sha256.Size]byte
	interruptible bool
	m             *bridge.Module
}

const cachedModules = 8

var modules moduleCache

func (c *moduleCache) get(ctx context.Context, wasm []byte, interruptible bool) (*bridge.Module, error) {
	if len(wasm) == 0 {
		return nil, errNoWasm
	}
	sum := sha256.Sum256(wasm)
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if e.sum == sum && e.interruptible == interruptible {
			c.entries = append(append(c.entries[:k:k], c.entries[k+1:]...), e)
			return e.m, nil
		}
	}
	m, err := bridge.Compile(ctx, wasm, bridge.Options{Uninterruptible: !interruptible, Host: HostLibrary()})
	if err != nil {
		return nil, err
	}
	if len(c.entries) == cachedModules {
		c.entries[0].m.Close(ctx)
		c.entries = c.entries[1:]
	}
	c.entries = append(c.entries, cachedModule{sum, interruptible, m})
	return m, nil
}
