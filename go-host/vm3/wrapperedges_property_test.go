package vm3

// The property test of wrapper-owned weak host edges (collection.md §4.7),
// the Go twin of ts-runtime/test/wrapper-edges-property.ts: random programs
// of heap operations (structs, lists, Host slots, stores, frame and scope
// roots, pins), Refs made, dropped and released, host values that capture
// Refs (Igalia's m1 cycles, also made as pairs at once), host_get reads,
// forced heap collections and forced Go collections (runtime.GC, then a
// yield so cleanups run). After every Go collection, every host value that
// an ordinary root or a live Ref still reaches — computed on a model of the
// graph kept beside the heap, never by asking the heap — must still exist
// and read back through host_get as itself.
//
// `go test` runs a bounded count (-edges.runs, default 200: a second or two)
// and the mutation check: each barrier site left out in turn (barrierSkip)
// must be caught losing a host value within -edges.mutation-runs programs.
// The long run:
//
//	go test ./go-host/vm3/ -run 'TestWrapperEdgesProperty$' -edges.runs 10000 -v
//
// and one program again: -edges.seed S -edges.runs 1 (the failure message
// names the seed and prints the program's trace).

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

var (
	edgeRuns         = flag.Int("edges.runs", 200, "programs of TestWrapperEdgesProperty")
	edgeSeed         = flag.Uint64("edges.seed", 1, "first seed of TestWrapperEdgesProperty")
	edgeSteps        = flag.Int("edges.steps", 60, "steps per program")
	edgeMutationRuns = flag.Int("edges.mutation-runs", 3000, "programs the mutation check may take to find a loss")
)

// propHost is a host value of the test; caps are the Refs it captures
// (m1: a callback holding wrappers).
type propHost struct {
	id   int
	caps []*Ref
}

const (
	propRegs   = 3
	propFields = 3
)

type propKind uint8

const (
	kStruct propKind = iota
	kList
	kHost
)

// propNode is the model of one heap object: its Cell and its edges (node
// numbers; -1 is null), or for a Host slot its value's id and the wrappers
// (indexes into propRun.wrappers) the value captures.
type propNode struct {
	kind  propKind
	cell  Cell
	elems []int
	id    int
	caps  []int
}

type propWrapper struct {
	ref      *Ref // nil once the test dropped it (it may live on in a host value)
	node     int
	released bool
}

type propRun struct {
	t        testing.TB
	seed     uint64
	rand     *rand.Rand
	h        *Heap
	mark     int64
	scope    int64
	nodes    []propNode
	regs     [propRegs]int
	scoped   []int
	pins     []int
	wrappers []propWrapper
	values   []weak.Pointer[propHost]
	trace    []string
}

func (p *propRun) pick(n int) int { return p.rand.IntN(n) }

func (p *propRun) ok(err error) {
	if err != nil {
		p.t.Fatalf("seed %d: unexpected %v\n  %s", p.seed, err, strings.Join(p.trace, "\n  "))
	}
}

func (p *propRun) log(format string, args ...any) {
	p.trace = append(p.trace, fmt.Sprintf(format, args...))
}

func (p *propRun) cellOf(n int) Cell {
	if n < 0 {
		return Null
	}
	return p.nodes[n].cell
}

func (p *propRun) setReg(r, n int) {
	p.ok(p.h.FrameRoot(p.mark, int64(r), p.cellOf(n)))
	p.regs[r] = n
}

func (p *propRun) newNode(kind propKind, cell Cell, length int) int {
	elems := make([]int, length)
	for i := range elems {
		elems[i] = -1
	}
	p.nodes = append(p.nodes, propNode{kind: kind, cell: cell, elems: elems})
	return len(p.nodes) - 1
}

func (p *propRun) newHost(caps []int) (int, *propHost) {
	v := &propHost{id: len(p.values)}
	for _, w := range caps {
		v.caps = append(v.caps, p.wrappers[w].ref)
	}
	p.values = append(p.values, weak.Make(v))
	c, err := p.h.HostNew(v)
	p.ok(err)
	n := p.newNode(kHost, c, 0)
	p.nodes[n].id = v.id
	p.nodes[n].caps = caps
	return n, v
}

// liveWrapper is a random wrapper the test still holds, or -1.
func (p *propRun) liveWrapper() int {
	var live []int
	for k, w := range p.wrappers {
		if w.ref != nil && !w.released {
			live = append(live, k)
		}
	}
	if len(live) == 0 {
		return -1
	}
	return live[p.pick(len(live))]
}

// regOf is a random register holding a node of kind, or -1.
func (p *propRun) regOf(kind propKind) int {
	var rs []int
	for r, n := range p.regs {
		if n >= 0 && p.nodes[n].kind == kind {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		return -1
	}
	return rs[p.pick(len(rs))]
}

func (p *propRun) wrap(n int) int {
	ref, err := NewRef(p.h, p.nodes[n].cell)
	p.ok(err)
	p.wrappers = append(p.wrappers, propWrapper{ref: ref, node: n})
	return len(p.wrappers) - 1
}

// gc is a Go collection that can free what the run dropped (one full
// cycle clears the weak pointers of everything unreachable), with the
// cleanups of dropped Refs given the chance to run (they only queue).
func (p *propRun) gc() {
	runtime.GC()
	runtime.Gosched()
}

// reachable is the model's set of nodes an ordinary root or a live Ref
// reaches: from the registers, the scope's roots, the test's pins and the
// wrappers the test holds, through elements, and through the Refs a host
// value captures (a captured Ref lives as long as its host value; a
// released one pins nothing).
func (p *propRun) reachable() []bool {
	seen := make([]bool, len(p.nodes))
	var stack []int
	stack = append(stack, p.regs[:]...)
	stack = append(stack, p.scoped...)
	stack = append(stack, p.pins...)
	for _, w := range p.wrappers {
		if w.ref != nil && !w.released {
			stack = append(stack, w.node)
		}
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n < 0 || seen[n] {
			continue
		}
		seen[n] = true
		node := &p.nodes[n]
		stack = append(stack, node.elems...)
		for _, w := range node.caps {
			if !p.wrappers[w].released {
				stack = append(stack, p.wrappers[w].node)
			}
		}
	}
	return seen
}

// lost checks every reachable host value: alive (its weak pointer), and
// host_get of its slot reads it. → a description of the first loss, or "".
func (p *propRun) lost(when string) string {
	for n, yes := range p.reachable() {
		node := &p.nodes[n]
		if !yes || node.kind != kHost {
			continue
		}
		v := p.values[node.id].Value()
		got, err := p.h.HostGet(node.cell)
		if v == nil || err != nil || got != any(v) {
			return fmt.Sprintf("seed %d: host value #%d (node %d) is reachable but lost %s (collected: %v, host_get: %v)\n  %s",
				p.seed, node.id, n, when, v == nil, err, strings.Join(p.trace, "\n  "))
		}
	}
	if err := p.h.CheckInvariants(); err != nil {
		p.t.Fatalf("seed %d: invariants %s: %v\n  %s", p.seed, when, err, strings.Join(p.trace, "\n  "))
	}
	return ""
}

// propOps are the op numbers of step, weighted: the barrier's cases need
// Refs, reads through them, collections and drops.
var propOps = []int{0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6, 7, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}

// runProp runs one random program; → the description of a lost host value,
// or "".
func runProp(t testing.TB, seed uint64, steps int) string {
	p := &propRun{t: t, seed: seed, rand: rand.New(rand.NewPCG(seed, 0x5eed))}
	cfg := Config{Variant: vm3pb.Variant_MINIMAL}
	if p.pick(10) < 3 {
		cfg = Config{Variant: vm3pb.Variant_AUTO, AutoMinThreshold: uint64(1 + p.pick(16))}
	}
	p.h = NewHeap(cfg)
	var err error
	p.mark, err = p.h.FrameEnter(propRegs)
	p.ok(err)
	p.scope, err = p.h.ScopeEnter()
	p.ok(err)
	for r := range p.regs {
		p.regs[r] = -1
	}
	for step := range steps {
		if lost := p.step(step); lost != "" {
			return lost
		}
	}
	p.gc()
	p.h.Collect()
	p.gc()
	if lost := p.lost("at the end"); lost != "" {
		return lost
	}
	runtime.KeepAlive(p.wrappers)
	return ""
}

func (p *propRun) step(step int) string {
	h := p.h
	r := p.pick(propRegs)
	switch op := propOps[p.pick(len(propOps))]; op {
	case 0:
		c, err := h.StructNew(propFields)
		p.ok(err)
		p.setReg(r, p.newNode(kStruct, c, propFields))
		p.log("r%d = struct node %d", r, p.regs[r])
	case 1:
		// An m1 pair at once: a struct whose field holds a host value that
		// (half the time) captures the struct's own Ref.
		c, err := h.StructNew(propFields)
		p.ok(err)
		n := p.newNode(kStruct, c, propFields)
		w := p.wrap(n)
		var caps []int
		if p.pick(2) == 0 {
			caps = []int{w}
		}
		hn, _ := p.newHost(caps)
		p.ok(h.StructSet(c, 0, p.nodes[hn].cell))
		p.nodes[n].elems[0] = hn
		p.log("struct node %d wrapped as w%d, f0 = host #%d (node %d) capturing %v", n, w, p.nodes[hn].id, hn, caps)
	case 2:
		var caps []int
		if w := p.liveWrapper(); w >= 0 && p.pick(10) < 7 {
			caps = []int{w}
		}
		hn, _ := p.newHost(caps)
		p.setReg(r, hn)
		p.log("r%d = host #%d (node %d) capturing %v", r, p.nodes[hn].id, hn, caps)
	case 3:
		// A store of a register into a struct or list a register holds.
		if a := p.regOf(kStruct); a >= 0 {
			f := p.pick(propFields)
			p.ok(h.StructSet(p.cellOf(p.regs[a]), int64(f), p.cellOf(p.regs[r])))
			p.nodes[p.regs[a]].elems[f] = p.regs[r]
			p.log("node %d.f%d = r%d (node %d)", p.regs[a], f, r, p.regs[r])
		}
	case 4:
		if a := p.regOf(kStruct); a >= 0 {
			f := p.pick(propFields)
			c, err := h.StructGet(p.cellOf(p.regs[a]), int64(f))
			p.ok(err)
			p.ok(h.FrameRoot(p.mark, int64(r), c))
			p.regs[r] = p.nodes[p.regs[a]].elems[f]
			p.log("r%d = node %d.f%d (node %d)", r, p.regs[a], f, p.regs[r])
		}
	case 5:
		p.setReg(r, -1)
		p.log("r%d = null", r)
	case 6:
		if n := p.regs[r]; n >= 0 {
			p.log("wrap r%d (node %d) as w%d", r, n, p.wrap(n))
		}
	case 7:
		if w := p.liveWrapper(); w >= 0 {
			p.wrappers[w].ref = nil
			p.log("drop w%d", w)
		}
	case 8:
		// Host code hands a Ref's object to the program: a frame root (the
		// "frame" barrier).
		if w := p.liveWrapper(); w >= 0 {
			p.ok(h.FrameRoot(p.mark, int64(r), p.wrappers[w].ref.Cell()))
			p.regs[r] = p.wrappers[w].node
			p.log("r%d = w%d's node %d", r, w, p.regs[r])
		}
	case 9:
		// Host code stores a Ref's object in an ordinary struct or list
		// (the "value" barrier).
		w := p.liveWrapper()
		if w < 0 {
			break
		}
		if a := p.regOf(kStruct); a >= 0 {
			f := p.pick(propFields)
			p.ok(h.StructSet(p.cellOf(p.regs[a]), int64(f), p.wrappers[w].ref.Cell()))
			p.nodes[p.regs[a]].elems[f] = p.wrappers[w].node
			p.log("node %d.f%d = w%d's node %d", p.regs[a], f, w, p.wrappers[w].node)
		} else if a := p.regOf(kList); a >= 0 {
			p.ok(h.ListPush(p.cellOf(p.regs[a]), p.wrappers[w].ref.Cell()))
			list := &p.nodes[p.regs[a]]
			list.elems = append(list.elems, p.wrappers[w].node)
			p.log("push w%d's node %d on list node %d", w, p.wrappers[w].node, p.regs[a])
		}
	case 10:
		// Host code reads an element through a Ref into a register (the
		// "frame" barrier for what it read).
		if w := p.liveWrapper(); w >= 0 {
			if c, n, ok := p.readThrough(w); ok {
				p.ok(h.FrameRoot(p.mark, int64(r), c))
				p.regs[r] = n
				p.log("r%d = an element of w%d (node %d)", r, w, n)
			}
		}
	case 11:
		h.Collect()
		p.log("collect")
	case 12:
		p.gc()
		p.log("gc")
		if lost := p.lost(fmt.Sprintf("after step %d", step)); lost != "" {
			return lost
		}
	case 13:
		// Host code pins a Ref's object by hand (the "anyHandle" barrier).
		if w := p.liveWrapper(); w >= 0 {
			p.ok(h.Pin(p.wrappers[w].ref.Cell()))
			p.pins = append(p.pins, p.wrappers[w].node)
			p.log("pin w%d's node %d", w, p.wrappers[w].node)
		}
	case 14:
		if len(p.pins) > 0 {
			k := p.pick(len(p.pins))
			n := p.pins[k]
			p.pins = append(p.pins[:k], p.pins[k+1:]...)
			p.ok(h.Unpin(p.nodes[n].cell))
			p.log("unpin node %d", n)
		}
	case 15:
		if w := p.liveWrapper(); w >= 0 {
			p.wrappers[w].ref.Release()
			p.wrappers[w].released = true
			p.wrappers[w].ref = nil
			p.log("release w%d", w)
		}
	case 16:
		// A scope root of a Ref's object (the "value" barrier: scope_root
		// checks its value).
		if w := p.liveWrapper(); w >= 0 {
			p.ok(h.ScopeRoot(p.wrappers[w].ref.Cell()))
			p.scoped = append(p.scoped, p.wrappers[w].node)
			p.log("scope_root w%d's node %d", w, p.wrappers[w].node)
		}
	case 17:
		p.ok(h.ScopeExit(p.scope))
		var err error
		p.scope, err = h.ScopeEnter()
		p.ok(err)
		p.scoped = p.scoped[:0]
		p.log("scope exit, enter")
	case 18:
		c, err := h.ListNew(int64(p.pick(2)))
		p.ok(err)
		n, _ := h.ListLen(c)
		p.setReg(r, p.newNode(kList, c, int(n)))
		p.log("r%d = list node %d", r, p.regs[r])
	case 19:
		// host_get of a host value a register or a Ref reaches (a read:
		// no barrier, and none needed).
		if n := p.regs[r]; n >= 0 && p.nodes[n].kind == kHost {
			v, err := h.HostGet(p.nodes[n].cell)
			if hv, isHost := v.(*propHost); err != nil || !isHost || hv.id != p.nodes[n].id {
				return fmt.Sprintf("seed %d: host_get of r%d (node %d): %v, %v\n  %s", p.seed, r, n, v, err, strings.Join(p.trace, "\n  "))
			}
			p.log("host_get r%d", r)
		} else if w := p.liveWrapper(); w >= 0 {
			if c, n, ok := p.readThrough(w); ok && n >= 0 && p.nodes[n].kind == kHost {
				v, err := h.HostGet(c)
				if hv, isHost := v.(*propHost); err != nil || !isHost || hv.id != p.nodes[n].id {
					return fmt.Sprintf("seed %d: host_get through w%d (node %d): %v, %v\n  %s", p.seed, w, n, v, err, strings.Join(p.trace, "\n  "))
				}
				p.log("host_get through w%d (node %d)", w, n)
			}
		}
	case 20:
		// A new Ref of an element read through a Ref: NewRef's pin (the
		// "anyHandle" barrier).
		if w := p.liveWrapper(); w >= 0 {
			if _, n, ok := p.readThrough(w); ok && n >= 0 {
				p.log("w%d = a new Ref of an element of w%d (node %d)", p.wrap(n), w, n)
			}
		}
	case 21:
		// A store of a register *into* a Ref's object: through a region
		// handle, which needs no barrier.
		if w := p.liveWrapper(); w >= 0 {
			wn := p.wrappers[w].node
			switch p.nodes[wn].kind {
			case kStruct:
				f := p.pick(propFields)
				p.ok(h.StructSet(p.wrappers[w].ref.Cell(), int64(f), p.cellOf(p.regs[r])))
				p.nodes[wn].elems[f] = p.regs[r]
				p.log("w%d's node %d.f%d = r%d (node %d)", w, wn, f, r, p.regs[r])
			case kList:
				p.ok(h.ListPush(p.wrappers[w].ref.Cell(), p.cellOf(p.regs[r])))
				p.nodes[wn].elems = append(p.nodes[wn].elems, p.regs[r])
				p.log("push r%d (node %d) on w%d's node %d", r, p.regs[r], w, wn)
			}
		}
	case 22:
		// A store into a list a register holds.
		if a := p.regOf(kList); a >= 0 {
			p.ok(h.ListPush(p.cellOf(p.regs[a]), p.cellOf(p.regs[r])))
			list := &p.nodes[p.regs[a]]
			list.elems = append(list.elems, p.regs[r])
			p.log("push r%d (node %d) on list node %d", r, p.regs[r], p.regs[a])
		}
	case 23:
		// An m1 cycle through a list: a host value capturing the Ref of
		// the list that holds it.
		c, err := h.ListNew(0)
		p.ok(err)
		n := p.newNode(kList, c, 0)
		w := p.wrap(n)
		hn, _ := p.newHost([]int{w})
		p.ok(h.ListPush(c, p.nodes[hn].cell))
		p.nodes[n].elems = append(p.nodes[n].elems, hn)
		p.wrappers[w].ref = nil
		p.log("list node %d wrapped as w%d (dropped), holding host #%d capturing it", n, w, p.nodes[hn].id)
	}
	return ""
}

// readThrough reads a random element of w's object through its Ref (a
// struct field or list element): its Cell and node; false if there is none.
func (p *propRun) readThrough(w int) (Cell, int, bool) {
	ref := p.wrappers[w].ref
	node := &p.nodes[p.wrappers[w].node]
	if node.kind == kHost || len(node.elems) == 0 {
		return 0, 0, false
	}
	i := p.pick(len(node.elems))
	var c Cell
	var err error
	if node.kind == kStruct {
		c, err = p.h.StructGet(ref.Cell(), int64(i))
	} else {
		c, err = p.h.ListGet(ref.Cell(), int64(i))
	}
	p.ok(err)
	if c != p.cellOf(node.elems[i]) {
		p.t.Fatalf("seed %d: element %d of node %d reads %v, the model says node %d", p.seed, i, p.wrappers[w].node, c, node.elems[i])
	}
	return c, node.elems[i], true
}

// TestWrapperEdgesProperty: -edges.runs random programs lose no reachable
// host value.
func TestWrapperEdgesProperty(t *testing.T) {
	start := time.Now()
	for k := range *edgeRuns {
		if lost := runProp(t, *edgeSeed+uint64(k), *edgeSteps); lost != "" {
			t.Fatalf("lost after %d runs:\n%s", k+1, lost)
		}
	}
	t.Logf("%d runs of %d steps (seeds %d…%d): no reachable host value lost (%.1f s)",
		*edgeRuns, *edgeSteps, *edgeSeed, *edgeSeed+uint64(*edgeRuns)-1, time.Since(start).Seconds())
}

// TestWrapperEdgesMutation: with each barrier site left out in turn, the
// property test finds a lost host value (so it can fail).
func TestWrapperEdgesMutation(t *testing.T) {
	for _, site := range []struct {
		site barrierSite
		name string
	}{{siteValue, "value"}, {siteFrame, "frame"}, {siteAnyHandle, "anyHandle"}} {
		t.Run(site.name, func(t *testing.T) {
			barrierSkip = site.site
			defer func() { barrierSkip = siteNone }()
			start := time.Now()
			for k := range *edgeMutationRuns {
				if lost := runProp(t, *edgeSeed+uint64(k), *edgeSteps); lost != "" {
					t.Logf("barrier site %q left out: a lost host value found after %d runs (%.2f s), as required: %s",
						site.name, k+1, time.Since(start).Seconds(), lost[:strings.IndexByte(lost, '\n')])
					return
				}
			}
			t.Errorf("barrier site %q left out, yet %d runs found no lost host value: the test is too weak for it", site.name, *edgeMutationRuns)
		})
	}
}
