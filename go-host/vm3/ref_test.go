package vm3

import (
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

func isTrap(err error, code vm3pb.TrapCode) bool {
	var t *Trap
	return errors.As(err, &t) && t.Code == code
}

func TestRefRelease(t *testing.T) {
	h := NewHeap(Config{Variant: vm3pb.Variant_MINIMAL})
	l, _ := h.ListNew(0)
	r, err := NewRef(h, l)
	if err != nil || r.Heap() != h || r.Cell() != l || r.Released() {
		t.Fatal(r, err)
	}
	h.Collect()
	if _, err := h.ListLen(l); err != nil {
		t.Fatalf("a Ref's object was collected: %v", err)
	}
	r.Release()
	r.Release() // a no-op
	if !r.Released() {
		t.Error("not released")
	}
	h.Collect()
	if _, err := h.ListLen(l); !isTrap(err, vm3pb.TrapCode_STALE_HANDLE) {
		t.Errorf("after Release and a collection: %v", err)
	}
	// Releasing a Ref whose slot was freed meanwhile does nothing.
	m, _ := h.MapNew()
	r2, _ := NewRef(h, m)
	h.Free(m)
	r2.Release()
	if _, err := NewRef(h, Null); !isTrap(err, vm3pb.TrapCode_NULL_DEREF) {
		t.Errorf("NewRef(null): %v", err)
	}
	if err := h.CheckInvariants(); err != nil {
		t.Error(err)
	}
}

// TestRefDropped: a Ref Go drops unreleased is released by its cleanup,
// which queues the unpin; the next collection applies it and frees the
// object. The cleanup never touches the heap itself.
func TestRefDropped(t *testing.T) {
	h := NewHeap(Config{Variant: vm3pb.Variant_MINIMAL})
	kept, _ := h.ListNew(0)
	keep, _ := NewRef(h, kept)
	var cells []Cell
	for range 100 {
		l, _ := h.ListNew(0)
		if _, err := NewRef(h, l); err != nil { // dropped at once
			t.Fatal(err)
		}
		cells = append(cells, l)
	}
	h.Collect()
	for _, c := range cells {
		if _, err := h.ListLen(c); err != nil {
			t.Fatalf("collected before its Ref was dropped: %v", err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for !h.DroppedRefsPending() && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if !h.DroppedRefsPending() {
		t.Fatal("no cleanup ran after runtime.GC")
	}
	// Cleanups may run in several batches; collect until all are applied.
	freed := 0
	for time.Now().Before(deadline) {
		h.Collect()
		freed = 0
		for _, c := range cells {
			if _, err := h.ListLen(c); isTrap(err, vm3pb.TrapCode_STALE_HANDLE) {
				freed++
			}
		}
		if freed == len(cells) {
			break
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if freed != len(cells) {
		t.Errorf("%d of %d dropped Refs' lists were freed", freed, len(cells))
	}
	if _, err := h.ListLen(kept); err != nil {
		t.Errorf("the kept Ref's list: %v", err)
	}
	runtime.KeepAlive(keep)
	if err := h.CheckInvariants(); err != nil {
		t.Error(err)
	}
}
