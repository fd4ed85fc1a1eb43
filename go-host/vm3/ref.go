package vm3

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Ref is a pinned handle held by Go code outside the heap (embedding.md
// §7.1, host.md §11.3: the reference object of the Go host, Go's twin of the
// TypeScript HandleRef). Making one pins its Cell, so the slot is a root and
// its object stays alive while Go holds the Ref; Release unpins it exactly
// once. A Ref that Go drops without releasing is released for it: a
// runtime.AddCleanup registered by NewRef queues the unpin once Go's
// collector has found the Ref unreachable, and the heap applies the queued
// unpins at the start of its next collection (the cleanup runs on another
// goroutine, and a Heap is not safe for concurrent use, so the cleanup never
// touches the heap itself).
//
// In the weak design (Config.HostEdges, the default) a Ref's pin is not a
// plain root (collection.md §4.7, wrapperedges.go): the host values that
// only Refs reach are held by those Refs, through the anchor each Ref
// keeps, and only weakly by the heap, so a cycle Ref → object → Host slot →
// Go value → Ref is garbage to Go's collector once nothing else holds it.
// runtime.AddCleanup (unlike SetFinalizer) runs for an object in such a
// cycle; it guarantees nothing about when (a cleanup may run long after the
// collection that found the Ref unreachable, or never if the program exits
// first), and it runs on another goroutine, hence the queue.
//
// A Ref is valid only with the heap that made it. Releasing twice is a
// no-op, and so is releasing a Ref whose slot was freed meanwhile (free
// drops pins, operations.md §3.2): the Ref knows its slot only by its Cell,
// so this rests on the generation check (arenas.md §2.5's limit for every
// Cell held outside the heap). Release itself uses the heap: call it on the
// goroutine that runs the heap (a host function may), or while nothing
// runs on it.
type Ref struct {
	heap     *Heap
	cell     Cell
	released atomic.Bool
	cleanup  runtime.Cleanup
	// anchor is the slot's anchor in the weak design (nil in the strong
	// one), held for its reference alone: while the heap holds the host
	// values of this Ref's region weakly, this is what holds them.
	anchor *anchor
}

// NewRef pins c (Pin's checks: anyHandle(c), then OUT_OF_MEMORY at a pin
// count of 2^32-1) and returns the Ref that holds the pin. A new Ref of a
// slot in a region promotes the region (collection.md §4.7).
func NewRef(h *Heap, c Cell) (*Ref, error) {
	anc, err := h.wrap(c)
	if err != nil {
		return nil, err
	}
	r := &Ref{heap: h, cell: c, anchor: anc}
	r.cleanup = runtime.AddCleanup(r, dropRef, droppedRef{h.refs, c})
	return r, nil
}

// Heap is the heap the Ref belongs to.
func (r *Ref) Heap() *Heap { return r.heap }

// Cell is the pinned Cell.
func (r *Ref) Cell() Cell { return r.cell }

// Released reports whether Release has been called.
func (r *Ref) Released() bool { return r.released.Load() }

// Release unpins the Cell once; a second call, or a call after the slot was
// freed, does nothing.
func (r *Ref) Release() {
	if r.released.Swap(true) {
		return
	}
	r.cleanup.Stop()
	r.heap.releasePin(r.cell)
}

// releasePin releases one Ref's pin of c (unwrap), ignoring a slot freed
// meanwhile (STALE_HANDLE) or unpinned by hand (NOT_PINNED): nothing is
// left to release.
func (h *Heap) releasePin(c Cell) {
	err := h.unwrap(c)
	var t *Trap
	if err != nil && errors.As(err, &t) && (t.Code == vm3pb.TrapCode_STALE_HANDLE || t.Code == vm3pb.TrapCode_NOT_PINNED) {
		return
	}
	if err != nil {
		// Unreachable: c was a live pinned handle when the Ref was made, and
		// anything since is STALE_HANDLE or NOT_PINNED.
		panic(err)
	}
}

// refQueue holds the unpins of dropped Refs until the heap applies them.
// Its lock is the only state a cleanup goroutine touches.
type refQueue struct {
	mu      sync.Mutex
	cells   []Cell
	pending atomic.Bool
}

type droppedRef struct {
	q *refQueue
	c Cell
}

func dropRef(d droppedRef) {
	d.q.mu.Lock()
	d.q.cells = append(d.q.cells, d.c)
	d.q.pending.Store(true)
	d.q.mu.Unlock()
}

// applyDroppedRefs unpins the Cells of Refs that Go dropped unreleased. The
// collector calls it first, so a dropped Ref's object is collectable at the
// first collection after its cleanup ran.
func (h *Heap) applyDroppedRefs() {
	q := h.refs
	if !q.pending.Load() {
		return
	}
	q.mu.Lock()
	cells := q.cells
	q.cells = nil
	q.pending.Store(false)
	q.mu.Unlock()
	for _, c := range cells {
		h.releasePin(c)
	}
}

// DroppedRefsPending reports whether cleanups of dropped Refs have queued
// unpins that the next collection will apply (for tests and diagnostics).
func (h *Heap) DroppedRefsPending() bool { return h.refs.pending.Load() }
