package vm3

import (
	"fmt"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Trap is the error of an operation that cannot complete (traps.md). Code is
// what conformance compares; Op (the spec's operation name) and Detail are
// for people. Match it with errors.As.
type Trap struct {
	Code   vm3pb.TrapCode
	Op     string
	Detail string
}

// Error formats as "vm3: list_get: OUT_OF_BOUNDS: index 5 outside [0, 3)".
func (t *Trap) Error() string {
	if t.Detail == "" {
		return fmt.Sprintf("vm3: %s: %v", t.Op, t.Code)
	}
	return fmt.Sprintf("vm3: %s: %v: %s", t.Op, t.Code, t.Detail)
}

func trapf(code vm3pb.TrapCode, op, format string, args ...any) *Trap {
	return &Trap{Code: code, Op: op, Detail: fmt.Sprintf(format, args...)}
}
