package vm3

import (
	"errors"
	"fmt"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

func TestTrapMessageAndErrorsAs(t *testing.T) {
	h := NewHeap(Config{})
	l := need(t)(h.ListNew(3))
	_, err := h.ListGet(l, 5)
	if got, want := err.Error(), "vm3: list_get: OUT_OF_BOUNDS: index 5 outside [0, 3)"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	var trap *Trap
	if !errors.As(fmt.Errorf("wrapped: %w", err), &trap) || trap.Code != vm3pb.TrapCode_OUT_OF_BOUNDS || trap.Op != "list_get" {
		t.Errorf("errors.As gave %+v", trap)
	}
}
