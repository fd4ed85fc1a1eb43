package testee

import (
	"errors"
	"fmt"
	"strings"

	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
	"google.golang.org/protobuf/proto"
)

// JudgeVector holds a trace to a vector's expectations (conformance.md
// §6.2). It returns nil when the vector passes, else an error naming the
// first failing step and what was expected and what came.
func JudgeVector(v *vm3pb.AbiVector, trace *vm3pb.Trace) error {
	steps, outs := v.GetSteps(), trace.GetOutcomes()
	bound := bindings{}
	loopBound := map[string]bool{}
	for i, step := range steps {
		label := stepLabel([]int{i}, step.GetOp())
		if i >= len(outs) {
			if trace.GetError() != "" {
				return fmt.Errorf("vector error: %s", trace.GetError())
			}
			return fmt.Errorf("%s: no outcome (the trace has %d)", label, len(outs))
		}
		out := outs[i]
		if err := judgeStep(step.GetExpect(), out, bound, loopBound); err != nil {
			return fmt.Errorf("%s: %w", label, err)
		}
		if c, ok := out.GetKind().(*vm3pb.Outcome_Cell); ok && step.GetBind() != "" {
			bound[step.GetBind()] = vm3.Cell(c.Cell)
			delete(loopBound, step.GetBind())
		}
		for _, inner := range step.GetLoop().GetBody() {
			if inner.GetBind() != "" {
				loopBound[inner.GetBind()] = true
			}
		}
	}
	if trace.GetError() != "" {
		return fmt.Errorf("vector error: %s", trace.GetError())
	}
	if len(outs) > len(steps) {
		return fmt.Errorf("the trace has %d outcomes for %d steps", len(outs), len(steps))
	}
	return nil
}

func judgeStep(e *vm3pb.Expect, got *vm3pb.Outcome, bound bindings, loopBound map[string]bool) error {
	trap := got.GetTrap()
	if l := got.GetLoop(); l != nil {
		trap = l.GetTrap()
	}
	if e != nil && e.Iterations != nil && (got.GetLoop() == nil || got.GetLoop().GetIterations() != e.GetIterations()) {
		return fmt.Errorf("expected a loop of %d iterations, got %s", e.GetIterations(), Describe(got))
	}
	if want, ok := e.GetOutcome().(*vm3pb.Expect_Trap); ok && want.Trap != vm3pb.TrapCode_TRAP_NONE {
		if trap != want.Trap {
			return fmt.Errorf("expected trap %v, got %s", want.Trap, Describe(got))
		}
		return nil
	}
	if trap != vm3pb.TrapCode_TRAP_NONE {
		return fmt.Errorf("expected no trap, got %s", Describe(got))
	}
	switch want := e.GetOutcome().(type) {
	case *vm3pb.Expect_Cell:
		for _, name := range []string{want.Cell.GetRef(), want.Cell.GetForge().GetRef()} {
			if loopBound[name] {
				return fmt.Errorf("malformed expectation: %q is bound inside a loop; expectations may name only top-level bindings", name)
			}
		}
		c, err := resolve(want.Cell, bound)
		if err != nil {
			return fmt.Errorf("malformed expectation: %w", err)
		}
		if gc, ok := got.GetKind().(*vm3pb.Outcome_Cell); !ok || vm3.Cell(gc.Cell) != c {
			return fmt.Errorf("expected cell %v, got %s", c, Describe(got))
		}
	case *vm3pb.Expect_Int:
		if gi, ok := got.GetKind().(*vm3pb.Outcome_Int); !ok || gi.Int != want.Int {
			return fmt.Errorf("expected int %d, got %s", want.Int, Describe(got))
		}
	case *vm3pb.Expect_Host:
		if gh, ok := got.GetKind().(*vm3pb.Outcome_Host); !ok || gh.Host != want.Host {
			return fmt.Errorf("expected host %q, got %s", want.Host, Describe(got))
		}
	case *vm3pb.Expect_Stats:
		if got.GetStats() == nil {
			return fmt.Errorf("expected stats, got %s", Describe(got))
		}
		return statsMismatch(want.Stats, got.GetStats())
	}
	return nil
}

// statsMismatch compares the fields present in want (conformance.md §6.2).
func statsMismatch(want *vm3pb.StatsExpect, got *vm3pb.Stats) error {
	var wrong []string
	field := func(name string, w *uint64, g uint64) {
		if w != nil && *w != g {
			wrong = append(wrong, fmt.Sprintf("%s %d (expected %d)", name, g, *w))
		}
	}
	field("collections", want.Collections, got.GetCollections())
	field("slots_freed", want.SlotsFreed, got.GetSlotsFreed())
	field("quarantined", want.Quarantined, got.GetQuarantined())
	field("heap_bytes", want.HeapBytes, got.GetHeapBytes())
	field("pinned", want.Pinned, got.GetPinned())
	field("scope_roots", want.ScopeRoots, got.GetScopeRoots())
	field("frame_roots", want.FrameRoots, got.GetFrameRoots())
	for _, wa := range want.GetArenas() {
		var ga *vm3pb.ArenaStats
		for _, a := range got.GetArenas() {
			if a.GetArena() == wa.GetArena() {
				ga = a
			}
		}
		if ga == nil {
			wrong = append(wrong, fmt.Sprintf("no stats for %v", wa.GetArena()))
			continue
		}
		field(wa.GetArena().String()+" live", wa.Live, ga.GetLive())
		field(wa.GetArena().String()+" total", wa.Total, ga.GetTotal())
	}
	if len(wrong) > 0 {
		return errors.New("stats differ: " + strings.Join(wrong, ", "))
	}
	return nil
}

// Describe is a one-line description of an outcome.
func Describe(o *vm3pb.Outcome) string {
	switch k := o.GetKind().(type) {
	case *vm3pb.Outcome_Trap:
		return "trap " + k.Trap.String()
	case *vm3pb.Outcome_Cell:
		return "cell " + vm3.Cell(k.Cell).String()
	case *vm3pb.Outcome_Int:
		return fmt.Sprintf("int %d", k.Int)
	case *vm3pb.Outcome_Host:
		return fmt.Sprintf("host %q", k.Host)
	case *vm3pb.Outcome_Stats:
		return "stats {" + k.Stats.String() + "}"
	case *vm3pb.Outcome_Done:
		return "done"
	case *vm3pb.Outcome_Loop:
		if k.Loop.GetTrap() != vm3pb.TrapCode_TRAP_NONE {
			return fmt.Sprintf("loop stopped after %d iterations by trap %v at body step %d", k.Loop.GetIterations(), k.Loop.GetTrap(), k.Loop.GetTrapStep())
		}
		return fmt.Sprintf("loop completed %d iterations", k.Loop.GetIterations())
	}
	return "an empty outcome"
}

// GoldenBatch is the request that checks a golden file: every value with
// bits or a trap is encoded, every pattern with a value or a trap decoded.
// JudgeGolden reads the response in the same order.
func GoldenBatch(cells []*vm3pb.GoldenCell) *vm3pb.GoldenBatch {
	b := &vm3pb.GoldenBatch{}
	for _, g := range cells {
		if g.Value != nil {
			b.Encode = append(b.Encode, g.Value)
		}
		if g.Value != nil && g.GetTrap() == vm3pb.TrapCode_TRAP_NONE || g.Value == nil && g.GetTrap() != vm3pb.TrapCode_TRAP_NONE {
			b.Decode = append(b.Decode, g.GetBits())
		}
	}
	return b
}

// JudgeGolden holds a golden result to the cells GoldenBatch was made from
// (conformance.md §6.3); it returns one error per failing cell, naming it.
func JudgeGolden(cells []*vm3pb.GoldenCell, res *vm3pb.GoldenResult) []error {
	var errs []error
	enc, dec := res.GetEncoded(), res.GetDecoded()
	fail := func(g *vm3pb.GoldenCell, format string, args ...any) {
		errs = append(errs, fmt.Errorf("golden %q: %s", g.GetName(), fmt.Sprintf(format, args...)))
	}
	nextEnc := func() *vm3pb.EncodeOutcome {
		if len(enc) == 0 {
			return nil
		}
		e := enc[0]
		enc = enc[1:]
		return e
	}
	nextDec := func() *vm3pb.DecodeOutcome {
		if len(dec) == 0 {
			return nil
		}
		d := dec[0]
		dec = dec[1:]
		return d
	}
	for _, g := range cells {
		trap := g.GetTrap()
		bits := vm3.Cell(g.GetBits())
		switch {
		case g.Value != nil && trap == vm3pb.TrapCode_TRAP_NONE:
			e, d := nextEnc(), nextDec()
			if e.GetKind() == nil || e.GetTrap() != vm3pb.TrapCode_TRAP_NONE || vm3.Cell(e.GetBits()) != bits {
				fail(g, "encode: expected %v, got %s", bits, encodeText(e))
			} else if d.GetValue() == nil {
				fail(g, "decode %v: expected a value, got trap %v", bits, d.GetTrap())
			} else if !sameValue(g.Value, d.GetValue()) {
				fail(g, "decode %v: expected %v, got %v", bits, g.Value, d.GetValue())
			}
		case g.Value != nil:
			if e := nextEnc(); e.GetTrap() != trap {
				fail(g, "encode: expected trap %v, got %s", trap, encodeText(e))
			}
		case trap != vm3pb.TrapCode_TRAP_NONE:
			if d := nextDec(); d.GetTrap() != trap {
				fail(g, "decode %v: expected trap %v, got %v", bits, trap, d)
			}
		default:
			fail(g, "a golden cell needs value and bits, value and trap, or bits and trap")
		}
	}
	return errs
}

// sameValue compares decoded values; floats by their canonical bits.
func sameValue(a, b *vm3pb.CellValue) bool {
	af, aok := a.GetKind().(*vm3pb.CellValue_F64)
	bf, bok := b.GetKind().(*vm3pb.CellValue_F64)
	if aok || bok {
		return aok && bok && vm3.F64Cell(af.F64) == vm3.F64Cell(bf.F64)
	}
	return proto.Equal(a, b)
}

func encodeText(e *vm3pb.EncodeOutcome) string {
	switch k := e.GetKind().(type) {
	case *vm3pb.EncodeOutcome_Bits:
		return vm3.Cell(k.Bits).String()
	case *vm3pb.EncodeOutcome_Trap:
		return "trap " + k.Trap.String()
	}
	return "nothing"
}
