package vm3

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
	"google.golang.org/protobuf/proto"
)

// fuzzProgram reads operations from random bytes. Cells come from the
// results seen so far, forged from them, or from odd patterns, so stale,
// wrong-arena and malformed Cells are common.
type fuzzProgram struct {
	data   []byte
	cells  []Cell
	marks  []int64
	fmarks []int64
	// refs are the Refs made so far, held (released or not) to the end, so
	// what they pin does not depend on when Go's collector runs.
	refs []*Ref
	// got is host_get's last result, compared between the twin heaps.
	got any
}

func (p *fuzzProgram) byte() byte {
	if len(p.data) == 0 {
		return 0
	}
	b := p.data[0]
	p.data = p.data[1:]
	return b
}

var fuzzOddBits = []Cell{
	0xFFF8_0000_0000_0000, 0xFFF9_0000_0000_0001, 0xFFFD_0000_0000_0000, 0x7FF0_0000_0000_0001,
	0xFFFA_0000_0000_0005, 0xFFFB_0000_0000_0002, 0xFFFC_0000_0000_0001, 0xFFFF_E000_0000_0000,
	0xFFFF_C001_0000_0000, 0xFFFF_C000_8000_0000, 0xFFFF_0000_0000_0000, 0xFFFF_1000_FFFF_FFFF,
	Null, BoolCell(true), F64Cell(-0.5), 0xFFFF_C000_0000_0003, 0xFFFA_7FFF_FFFF_FFFF,
}

func (p *fuzzProgram) cell() Cell {
	b := p.byte()
	switch {
	case b < 128 && len(p.cells) > 0:
		return p.cells[int(b)%len(p.cells)]
	case b < 176 && len(p.cells) > 0:
		// Forge: same slot, other generation or arena.
		c := p.cells[int(b)%len(p.cells)]
		arenas := []vm3pb.Arena{1, 4, 13, 0, 12}
		return MakeHandle(arenas[p.byte()%5], uint16(p.byte()%4), c.slot())
	case b < 200:
		return MakeHandle([]vm3pb.Arena{1, 4, 13}[b%3], uint16(p.byte()%3), uint32(p.byte()%8))
	case b < 216:
		var buf [8]byte
		for i := range buf {
			buf[i] = p.byte()
		}
		return Cell(binary.LittleEndian.Uint64(buf[:]))
	}
	return fuzzOddBits[int(b)%len(fuzzOddBits)]
}

func (p *fuzzProgram) int() int64 {
	b := p.byte()
	edges := []int64{-1, MaxLength, MaxLength + 1, MaxFields, MaxFields + 1, -1 << 40, 1 << 47, -1 << 47, 1<<47 - 1}
	if b >= 240 {
		return edges[int(b-240)%len(edges)]
	}
	return int64(b % 12)
}

// step runs one operation; it reports the error and whether a Cell result
// should join the pool.
func (p *fuzzProgram) step(h *Heap) error {
	var c Cell
	var err error
	switch op := p.byte() % 26; op {
	case 0:
		c, err = h.ListNew(p.int())
	case 1:
		_, err = h.ListLen(p.cell())
	case 2:
		c, err = h.ListGet(p.cell(), p.int())
	case 3:
		err = h.ListSet(p.cell(), p.int(), p.cell())
	case 4:
		err = h.ListPush(p.cell(), p.cell())
	case 5:
		c, err = h.StructNew(p.int())
	case 6:
		_, err = h.StructLen(p.cell())
	case 7:
		c, err = h.StructGet(p.cell(), p.int())
	case 8:
		err = h.StructSet(p.cell(), p.int(), p.cell())
	case 9:
		c, err = h.HostNew(p.byte())
	case 10:
		p.got, err = h.HostGet(p.cell())
	case 11, 12:
		err = h.Free(p.cell())
	case 13:
		h.Collect()
	case 14:
		if m, err := h.ScopeEnter(); err == nil {
			p.marks = append(p.marks, m)
		}
	case 15:
		err = h.ScopeRoot(p.cell())
	case 16:
		mark := p.int()
		if len(p.marks) > 0 && p.byte()%4 != 0 {
			mark = p.marks[len(p.marks)-1]
		}
		if err = h.ScopeExit(mark); err == nil {
			p.marks = p.marks[:len(p.marks)-1]
		}
	case 17:
		err = h.Pin(p.cell())
	case 18:
		err = h.Unpin(p.cell())
	case 19:
		c, err = IntCell(p.int())
	case 20:
		c = p.cell()
		err = c.Validate()
	case 21:
		var mark int64
		if mark, err = h.FrameEnter(p.int()); err == nil {
			p.fmarks = append(p.fmarks, mark)
		}
	case 22:
		mark := p.int()
		if len(p.fmarks) > 0 && p.byte()%4 != 0 {
			mark = p.fmarks[int(p.byte())%len(p.fmarks)]
		}
		err = h.FrameRoot(mark, p.int(), p.cell())
	case 23:
		mark := p.int()
		if len(p.fmarks) > 0 && p.byte()%4 != 0 {
			mark = p.fmarks[len(p.fmarks)-1]
		}
		if err = h.FrameExit(mark); err == nil {
			p.fmarks = p.fmarks[:len(p.fmarks)-1]
		}
	case 24:
		var r *Ref
		if r, err = NewRef(h, p.cell()); err == nil && len(p.refs) < 64 {
			p.refs = append(p.refs, r)
		}
	case 25:
		if len(p.refs) > 0 {
			p.refs[int(p.byte())%len(p.refs)].Release()
		}
	}
	if err == nil && c != 0 && len(p.cells) < 64 {
		p.cells = append(p.cells, c)
	}
	return err
}

// FuzzHeapOps: any operation stream on any Cells returns only nil or *Trap,
// never panics, keeps CheckInvariants true, and (outside AUTO, whose traps
// may follow a collection) a trap changes nothing. The stream runs on a
// twin heap of the strong design too (Config.HostEdges): the weak host
// edges change no operation's result, no slot, no free list (collection.md
// §4.7 marks what only Refs reach, region by region, so the sweep is the
// same), so after every operation the two must agree.
func FuzzHeapOps(f *testing.F) {
	f.Add([]byte{0, 0, 3, 9, 1, 4, 0, 0, 13, 11, 0, 4, 0, 1})
	f.Add([]byte{1, 5, 2, 5, 2, 8, 0, 1, 1, 14, 15, 1, 17, 0, 13, 16, 7, 1, 12, 0, 13})
	f.Add([]byte{2, 8, 0, 0, 4, 0, 0, 4, 0, 0, 4, 0, 0, 4, 0, 0, 9, 9, 9, 13})
	f.Add([]byte{3, 0, 245, 4, 0, 1, 0, 241, 6, 0, 250, 11, 0, 12, 0, 13, 19, 246})
	// Frames: enter(3), list_new, frame_root into slot 1, collect, overwrite, collect, exit.
	f.Add([]byte{2, 21, 3, 0, 0, 22, 1, 0, 1, 0, 13, 22, 1, 0, 1, 216, 13, 23, 1, 21, 241, 22, 5, 7, 0})
	f.Fuzz(runFuzzProgram)
}

func runFuzzProgram(t *testing.T, data []byte) {
	p := &fuzzProgram{data: data}
	conf := p.byte()
	// A byte limit always: without one, a stream of list_new(65535)
	// makes every per-op invariant check slow (unit tests cover the
	// unlimited heap).
	maxBytes := uint64(conf>>5) * 40
	if maxBytes == 0 {
		maxBytes = 1 << 20
	}
	cfg := Config{
		Variant:          vm3pb.Variant(conf % 4),
		MaxSlotsPerArena: uint64(conf>>2) % 8,
		MaxHeapBytes:     maxBytes,
		AutoMinThreshold: uint64(conf>>3) % 4,
	}
	h := NewHeap(cfg)
	cfg.HostEdges = HostEdgesStrong
	twin, tp := NewHeap(cfg), &fuzzProgram{data: p.data}
	for n := 0; len(p.data) > 0 && n < 500; n++ {
		before, snap := h.Stats(), snapshot(h)
		err := p.step(h)
		twinErr := tp.step(twin)
		if err != nil {
			var trap *Trap
			if !errors.As(err, &trap) || trap.Code == vm3pb.TrapCode_TRAP_NONE {
				t.Fatalf("op %d: error %v (%T) is not a trap", n, err, err)
			}
			if h.lim.variant != vm3pb.Variant_AUTO && (!proto.Equal(before, h.Stats()) || snap != snapshot(h)) {
				t.Fatalf("op %d: trap %v changed the heap", n, err)
			}
		}
		if err := h.CheckInvariants(); err != nil {
			t.Fatalf("op %d: %v", n, err)
		}
		if code(t, err) != code(t, twinErr) || p.got != tp.got || !proto.Equal(h.Stats(), twin.Stats()) || snapshot(h) != snapshot(twin) {
			t.Fatalf("op %d: the weak design (%v, host_get %v) and the strong one (%v, host_get %v) differ", n, err, p.got, twinErr, tp.got)
		}
	}
}
