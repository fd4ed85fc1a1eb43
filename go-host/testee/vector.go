package testee

import (
	"errors"

	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// RunVector runs a vector on a fresh heap and records one Outcome per
// top-level step, ignoring expectations (conformance.md §6.1, §6.4). A
// malformed vector stops at the faulty step: Trace.error names it and
// outcomes holds the steps before it.
func RunVector(v *vm3pb.AbiVector) *vm3pb.Trace {
	trace := &vm3pb.Trace{}
	cfg, err := heapConfig(v.GetHeap())
	if err != nil {
		trace.Error = err.Error()
		return trace
	}
	r := &runner{heap: vm3.NewHeap(cfg), bound: bindings{}}
	for i, step := range v.GetSteps() {
		out, err := r.step(step, []int{i})
		if err != nil {
			trace.Error = err.Error()
			return trace
		}
		trace.Outcomes = append(trace.Outcomes, out)
	}
	return trace
}

func heapConfig(m *vm3pb.HeapConfig) (vm3.Config, error) {
	if _, ok := vm3pb.Variant_name[int32(m.GetVariant())]; !ok {
		return vm3.Config{}, vectorErrorf("heap: variant %d is not defined", m.GetVariant())
	}
	return vm3.ConfigFromProto(m), nil
}

type runner struct {
	heap  *vm3.Heap
	bound bindings
}

// step runs one step; the error is a vector error naming the step.
func (r *runner) step(s *vm3pb.Step, path []int) (*vm3pb.Outcome, error) {
	op := s.GetOp()
	label := stepLabel(path, op)
	sig, known := signatures[op]
	if !known {
		return nil, vectorErrorf("%s: not an operation", label)
	}
	if n := len(s.GetCells()); n != sig.cells {
		return nil, vectorErrorf("%s: expected %s, got %d", label, plural(sig.cells, "Cell argument"), n)
	}
	if n := len(s.GetInts()); n != sig.ints {
		return nil, vectorErrorf("%s: expected %s, got %d", label, plural(sig.ints, "integer argument"), n)
	}
	if s.GetBind() != "" && sig.result != resultCell {
		return nil, vectorErrorf("%s: bind on an operation without a Cell result", label)
	}
	if op == vm3pb.Op_LOOP {
		return r.loop(s, path)
	}
	cells := make([]vm3.Cell, len(s.GetCells()))
	for i, v := range s.GetCells() {
		c, err := resolve(v, r.bound)
		if err != nil {
			return nil, vectorErrorf("%s: %v", label, err)
		}
		cells[i] = c
	}
	out, err := r.apply(op, cells, s.GetInts(), s.GetHost())
	if err != nil {
		var trap *vm3.Trap
		if errors.As(err, &trap) {
			return &vm3pb.Outcome{Kind: &vm3pb.Outcome_Trap{Trap: trap.Code}}, nil
		}
		return nil, vectorErrorf("%s: %v", label, err)
	}
	if c, ok := out.GetKind().(*vm3pb.Outcome_Cell); ok && s.GetBind() != "" {
		r.bound[s.GetBind()] = vm3.Cell(c.Cell)
	}
	return out, nil
}

// loop runs Step.loop (conformance.md §6.1 "Loops"): the first trap ends it.
func (r *runner) loop(s *vm3pb.Step, path []int) (*vm3pb.Outcome, error) {
	body := s.GetLoop().GetBody()
	for j, inner := range body {
		label := stepLabel(append(path[:len(path):len(path)], j), inner.GetOp())
		if inner.Expect != nil {
			return nil, vectorErrorf("%s: a loop body step carries no expect", label)
		}
		if inner.GetOp() == vm3pb.Op_LOOP {
			return nil, vectorErrorf("%s: loops do not nest", label)
		}
	}
	count := s.GetLoop().GetCount()
	for n := uint32(0); n < count; n++ {
		for j, inner := range body {
			out, err := r.step(inner, append(path[:len(path):len(path)], j))
			if err != nil {
				return nil, err
			}
			if t, ok := out.GetKind().(*vm3pb.Outcome_Trap); ok {
				return loopOutcome(uint64(n), t.Trap, uint32(j)), nil
			}
		}
	}
	return loopOutcome(uint64(count), vm3pb.TrapCode_TRAP_NONE, 0), nil
}

func loopOutcome(iterations uint64, trap vm3pb.TrapCode, step uint32) *vm3pb.Outcome {
	return &vm3pb.Outcome{Kind: &vm3pb.Outcome_Loop{Loop: &vm3pb.LoopOutcome{Iterations: iterations, Trap: trap, TrapStep: step}}}
}

// apply runs one heap operation; its error is a *vm3.Trap or a vector error.
func (r *runner) apply(op vm3pb.Op, c []vm3.Cell, i []int64, host string) (*vm3pb.Outcome, error) {
	h := r.heap
	switch op {
	case vm3pb.Op_LIST_NEW:
		return cellOut(h.ListNew(i[0]))
	case vm3pb.Op_LIST_LEN:
		return intOut(h.ListLen(c[0]))
	case vm3pb.Op_LIST_GET:
		return cellOut(h.ListGet(c[0], i[0]))
	case vm3pb.Op_LIST_SET:
		return doneOut(h.ListSet(c[0], i[0], c[1]))
	case vm3pb.Op_LIST_PUSH:
		return doneOut(h.ListPush(c[0], c[1]))
	case vm3pb.Op_STRUCT_NEW:
		return cellOut(h.StructNew(i[0]))
	case vm3pb.Op_STRUCT_LEN:
		return intOut(h.StructLen(c[0]))
	case vm3pb.Op_STRUCT_GET:
		return cellOut(h.StructGet(c[0], i[0]))
	case vm3pb.Op_STRUCT_SET:
		return doneOut(h.StructSet(c[0], i[0], c[1]))
	case vm3pb.Op_HOST_NEW:
		return cellOut(h.HostNew(host))
	case vm3pb.Op_HOST_GET:
		v, err := h.HostGet(c[0])
		if err != nil {
			return nil, err
		}
		s, ok := v.(string)
		if !ok {
			return nil, vectorErrorf("host value %T is not a string", v)
		}
		return &vm3pb.Outcome{Kind: &vm3pb.Outcome_Host{Host: s}}, nil
	case vm3pb.Op_FREE:
		return doneOut(h.Free(c[0]))
	case vm3pb.Op_COLLECT:
		return intOut(h.Collect(), nil)
	case vm3pb.Op_SCOPE_ENTER:
		return intOut(h.ScopeEnter())
	case vm3pb.Op_SCOPE_ROOT:
		return doneOut(h.ScopeRoot(c[0]))
	case vm3pb.Op_SCOPE_EXIT:
		return doneOut(h.ScopeExit(i[0]))
	case vm3pb.Op_PIN:
		return doneOut(h.Pin(c[0]))
	case vm3pb.Op_UNPIN:
		return doneOut(h.Unpin(c[0]))
	case vm3pb.Op_STATS:
		return &vm3pb.Outcome{Kind: &vm3pb.Outcome_Stats{Stats: h.Stats()}}, nil
	case vm3pb.Op_INT_CELL:
		return cellOut(vm3.IntCell(i[0]))
	case vm3pb.Op_CELL_CHECK:
		return cellOut(c[0], c[0].Validate())
	case vm3pb.Op_STR_NEW:
		return cellOut(h.StrNewString(host))
	case vm3pb.Op_STR_LEN:
		return intOut(h.StrLen(c[0]))
	case vm3pb.Op_STR_CONCAT:
		return cellOut(h.StrConcat(c[0], c[1]))
	case vm3pb.Op_STR_EQ:
		return boolOut(h.StrEq(c[0], c[1]))
	case vm3pb.Op_STR_GET:
		s, err := h.StrText(c[0])
		if err != nil {
			return nil, err
		}
		return &vm3pb.Outcome{Kind: &vm3pb.Outcome_Host{Host: s}}, nil
	case vm3pb.Op_MAP_NEW:
		return cellOut(h.MapNew())
	case vm3pb.Op_MAP_SET:
		return doneOut(h.MapSet(c[0], c[1], c[2]))
	case vm3pb.Op_MAP_GET:
		return cellOut(h.MapGet(c[0], c[1]))
	case vm3pb.Op_MAP_HAS:
		return boolOut(h.MapHas(c[0], c[1]))
	case vm3pb.Op_MAP_LEN:
		return intOut(h.MapLen(c[0]))
	case vm3pb.Op_F64ARR_NEW:
		return cellOut(h.F64ArrNew(i[0]))
	case vm3pb.Op_F64ARR_LEN:
		return intOut(h.F64ArrLen(c[0]))
	case vm3pb.Op_F64ARR_GET:
		return cellOut(h.F64ArrGet(c[0], i[0]))
	case vm3pb.Op_F64ARR_SET:
		return doneOut(h.F64ArrSet(c[0], i[0], c[1]))
	case vm3pb.Op_F64ARR_PUSH:
		return doneOut(h.F64ArrPush(c[0], c[1]))
	case vm3pb.Op_I64ARR_NEW:
		return cellOut(h.I64ArrNew(i[0]))
	case vm3pb.Op_I64ARR_LEN:
		return intOut(h.I64ArrLen(c[0]))
	case vm3pb.Op_I64ARR_GET:
		return cellOut(h.I64ArrGet(c[0], i[0]))
	case vm3pb.Op_I64ARR_SET:
		return doneOut(h.I64ArrSet(c[0], i[0], c[1]))
	case vm3pb.Op_I64ARR_PUSH:
		return doneOut(h.I64ArrPush(c[0], c[1]))
	case vm3pb.Op_FRAME_ENTER:
		return intOut(h.FrameEnter(i[0]))
	case vm3pb.Op_FRAME_ROOT:
		return doneOut(h.FrameRoot(i[0], i[1], c[0]))
	case vm3pb.Op_FRAME_EXIT:
		return doneOut(h.FrameExit(i[0]))
	}
	return nil, vectorErrorf("%v is not a heap operation", op)
}

func cellOut(c vm3.Cell, err error) (*vm3pb.Outcome, error) {
	if err != nil {
		return nil, err
	}
	return &vm3pb.Outcome{Kind: &vm3pb.Outcome_Cell{Cell: uint64(c)}}, nil
}

func boolOut(b bool, err error) (*vm3pb.Outcome, error) {
	if err != nil {
		return nil, err
	}
	return &vm3pb.Outcome{Kind: &vm3pb.Outcome_Cell{Cell: uint64(vm3.BoolCell(b))}}, nil
}

func intOut(n int64, err error) (*vm3pb.Outcome, error) {
	if err != nil {
		return nil, err
	}
	return &vm3pb.Outcome{Kind: &vm3pb.Outcome_Int{Int: n}}, nil
}

func doneOut(err error) (*vm3pb.Outcome, error) {
	if err != nil {
		return nil, err
	}
	return &vm3pb.Outcome{Kind: &vm3pb.Outcome_Done{Done: true}}, nil
}
