package vm3

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
	"google.golang.org/protobuf/proto"
)

// code returns err's trap code, TRAP_NONE for nil; any other error fails.
func code(t testing.TB, err error) vm3pb.TrapCode {
	t.Helper()
	if err == nil {
		return vm3pb.TrapCode_TRAP_NONE
	}
	var trap *Trap
	if !errors.As(err, &trap) {
		t.Fatalf("error %v (%T) is not a *Trap", err, err)
	}
	return trap.Code
}

func wantTrap(t testing.TB, err error, want vm3pb.TrapCode) {
	t.Helper()
	if got := code(t, err); got != want {
		t.Fatalf("got %v (%v), want %v", got, err, want)
	}
}

func ok(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// need(t)(h.ListNew(3)) returns the Cell or fails the test.
func need(t testing.TB) func(Cell, error) Cell {
	return func(c Cell, err error) Cell {
		t.Helper()
		ok(t, err)
		return c
	}
}

func icell(t testing.TB, i int64) Cell {
	t.Helper()
	return need(t)(IntCell(i))
}

func check(t testing.TB, h *Heap) {
	t.Helper()
	if err := h.CheckInvariants(); err != nil {
		t.Fatalf("invariants: %v", err)
	}
}

// unchanged runs f, which must trap with want, and checks that the heap's
// observable state (stats, and every slot's generation and state) did not
// move: operations.md §3, "a trapping operation changes nothing".
func unchanged(t testing.TB, h *Heap, want vm3pb.TrapCode, f func() error) {
	t.Helper()
	before, snap := h.Stats(), snapshot(h)
	wantTrap(t, f(), want)
	if after := h.Stats(); !proto.Equal(before, after) {
		t.Fatalf("stats changed by a trapping operation:\n before %v\n after  %v", before, after)
	}
	if snapshot(h) != snap {
		t.Fatal("slots changed by a trapping operation")
	}
	check(t, h)
}

func snapshot(h *Heap) string {
	var b []byte
	for i := range h.arenas {
		a := &h.arenas[i]
		for s, m := range a.meta {
			b = append(b, byte(m), byte(m>>8), byte(a.pins[s]))
			sum := uint64(a.lengths[s]) << 32
			if a.seq {
				sum |= uint64(len(a.cells[s]))
				for _, c := range a.cells[s] {
					sum = (sum ^ uint64(c)) * 0x100000001B3
				}
			}
			if a.kind == kindMap && a.maps[s] != nil {
				var m uint64 // order-free: a sum of per-entry hashes
				for k, v := range a.maps[s] {
					m += (uint64(k)*0x9E3779B97F4A7C15 ^ uint64(v)) * 0x100000001B3
				}
				sum ^= m
			}
			if a.kind == kindBytes {
				for _, x := range a.strs[s] {
					sum = (sum ^ uint64(x)) * 0x100000001B3
				}
			}
			b = binary.LittleEndian.AppendUint64(b, sum)
		}
		for _, s := range a.free {
			b = append(b, byte(s), 'f')
		}
		for _, s := range a.quarantine {
			b = append(b, byte(s), 'q')
		}
	}
	for _, c := range h.roots {
		b = append(b, byte(c), byte(c>>32))
	}
	b = append(b, 'F')
	for _, base := range h.frameBase {
		b = binary.LittleEndian.AppendUint32(b, uint32(base))
	}
	for _, c := range h.frameSlots {
		b = binary.LittleEndian.AppendUint64(b, uint64(c))
	}
	return string(b)
}

func arenaStats(h *Heap, idx int) *vm3pb.ArenaStats { return h.Stats().Arenas[idx] }
