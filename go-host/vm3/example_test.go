package vm3_test

import (
	"errors"
	"fmt"

	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// The README's Go example: a list, a trap carried as a typed error, and a
// stale handle after an unrooted collection.
func ExampleHeap() {
	h := vm3.NewHeap(vm3.Config{Variant: vm3pb.Variant_AUTO})
	list, _ := h.ListNew(0)
	n, _ := vm3.IntCell(42)
	_ = h.ListPush(list, n)
	if _, err := h.ListGet(list, 7); err != nil {
		var trap *vm3.Trap
		if errors.As(err, &trap) {
			fmt.Println(trap.Code)
		}
	}
	_ = h.Pin(list) // a root: survives collection
	fmt.Println(h.Collect())
	_ = h.Unpin(list)
	fmt.Println(h.Collect())
	_, err := h.ListLen(list)
	fmt.Println(err)
	// Output:
	// OUT_OF_BOUNDS
	// 0
	// 1
	// vm3: list_len: STALE_HANDLE: 0xFFFF100000000000 names no live slot
}
