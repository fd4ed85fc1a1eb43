// Package testee runs conformance requests (conformance.md §6) on the Go
// heap: Serve is the request → response function that cmd/vm3-testee serves
// over its framed pipe, and the judging functions hold traces to vectors.
package testee

import (
	"fmt"
	"strings"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

type resultKind uint8

const (
	resultNone resultKind = iota
	resultCell
	resultInt
	resultHost
	resultStats
	resultLoop
)

// signature is an operation's argument counts and result kind
// (operations.md §3.2, conformance.md §6.1 "Results").
type signature struct {
	cells, ints int
	result      resultKind
}

var signatures = map[vm3pb.Op]signature{
	vm3pb.Op_LIST_NEW:    {0, 1, resultCell},
	vm3pb.Op_LIST_LEN:    {1, 0, resultInt},
	vm3pb.Op_LIST_GET:    {1, 1, resultCell},
	vm3pb.Op_LIST_SET:    {2, 1, resultNone},
	vm3pb.Op_LIST_PUSH:   {2, 0, resultNone},
	vm3pb.Op_STRUCT_NEW:  {0, 1, resultCell},
	vm3pb.Op_STRUCT_LEN:  {1, 0, resultInt},
	vm3pb.Op_STRUCT_GET:  {1, 1, resultCell},
	vm3pb.Op_STRUCT_SET:  {2, 1, resultNone},
	vm3pb.Op_HOST_NEW:    {0, 0, resultCell},
	vm3pb.Op_HOST_GET:    {1, 0, resultHost},
	vm3pb.Op_FREE:        {1, 0, resultNone},
	vm3pb.Op_COLLECT:     {0, 0, resultInt},
	vm3pb.Op_SCOPE_ENTER: {0, 0, resultInt},
	vm3pb.Op_SCOPE_ROOT:  {1, 0, resultNone},
	vm3pb.Op_SCOPE_EXIT:  {0, 1, resultNone},
	vm3pb.Op_PIN:         {1, 0, resultNone},
	vm3pb.Op_UNPIN:       {1, 0, resultNone},
	vm3pb.Op_STATS:       {0, 0, resultStats},
	vm3pb.Op_INT_CELL:    {0, 1, resultCell},
	vm3pb.Op_CELL_CHECK:  {1, 0, resultCell},
	vm3pb.Op_LOOP:        {0, 0, resultLoop},
	vm3pb.Op_STR_NEW:     {0, 0, resultCell},
	vm3pb.Op_STR_LEN:     {1, 0, resultInt},
	vm3pb.Op_STR_CONCAT:  {2, 0, resultCell},
	vm3pb.Op_STR_EQ:      {2, 0, resultCell},
	vm3pb.Op_STR_GET:     {1, 0, resultHost},
	vm3pb.Op_MAP_NEW:     {0, 0, resultCell},
	vm3pb.Op_MAP_SET:     {3, 0, resultNone},
	vm3pb.Op_MAP_GET:     {2, 0, resultCell},
	vm3pb.Op_MAP_HAS:     {2, 0, resultCell},
	vm3pb.Op_MAP_LEN:     {1, 0, resultInt},
	vm3pb.Op_F64ARR_NEW:  {0, 1, resultCell},
	vm3pb.Op_F64ARR_LEN:  {1, 0, resultInt},
	vm3pb.Op_F64ARR_GET:  {1, 1, resultCell},
	vm3pb.Op_F64ARR_SET:  {2, 1, resultNone},
	vm3pb.Op_F64ARR_PUSH: {2, 0, resultNone},
	vm3pb.Op_I64ARR_NEW:  {0, 1, resultCell},
	vm3pb.Op_I64ARR_LEN:  {1, 0, resultInt},
	vm3pb.Op_I64ARR_GET:  {1, 1, resultCell},
	vm3pb.Op_I64ARR_SET:  {2, 1, resultNone},
	vm3pb.Op_I64ARR_PUSH: {2, 0, resultNone},
	vm3pb.Op_FRAME_ENTER: {0, 1, resultInt},
	vm3pb.Op_FRAME_ROOT:  {1, 2, resultNone},
	vm3pb.Op_FRAME_EXIT:  {0, 1, resultNone},
}

// vectorError is a malformed vector (conformance.md §6.1 "Vector errors").
type vectorError struct{ msg string }

func (e *vectorError) Error() string { return e.msg }

func vectorErrorf(format string, args ...any) *vectorError {
	return &vectorError{fmt.Sprintf(format, args...)}
}

// stepLabel names a step the way errors do: "step 3 (LIST_GET)", and
// "step 3.1 (FREE)" for a loop body step.
func stepLabel(path []int, op vm3pb.Op) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = fmt.Sprint(p)
	}
	return fmt.Sprintf("step %s (%v)", strings.Join(parts, "."), op)
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
