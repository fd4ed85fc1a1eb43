package bridge

import (
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// framesModule: rooted(k) / unrooted(k) make a list of 3, allocate k more
// lists, and return the first one's length; the rooted one keeps it in a
// frame slot (handle-abi.md §10.5).
func framesModule() []byte {
	g := newGuest("list_new", "list_len", "frame_enter", "frame_root", "frame_exit")
	churn := code(nil).Block().Loop().
		LocalGet(0).Op(0x50).BrIf(1).
		I64Const(1).Call(g.imp["list_new"]).Drop().
		LocalGet(0).I64Const(1).Op(0x7D).LocalSet(0).
		Br(0).End().End()
	// locals: 1 the list, 2 the mark (i32)
	g.entry("rooted", sig(vts(I64), I64), vts(I64, I32), code(nil).
		I32Const(1).Call(g.imp["frame_enter"]).LocalSet(2).
		I64Const(3).Call(g.imp["list_new"]).LocalSet(1).
		LocalGet(2).I32Const(0).LocalGet(1).Call(g.imp["frame_root"]).
		Op(churn...).
		LocalGet(1).Call(g.imp["list_len"]).
		LocalGet(2).Call(g.imp["frame_exit"]))
	g.entry("unrooted", sig(vts(I64), I64), vts(I64), code(nil).
		I64Const(3).Call(g.imp["list_new"]).LocalSet(1).
		Op(churn...).
		LocalGet(1).Call(g.imp["list_len"]))
	// frame_enter(slots) → mark; frame_root(mark, slot, c); frame_exit(mark)
	g.entry("enter", sig(vts(I64), I64), nil, code(nil).LocalGet(0).Op(0xA7).Call(g.imp["frame_enter"]).Op(0xAD))
	g.entry("enter_root", sig(vts(I64, I64, I64, I64)), nil, code(nil).
		LocalGet(0).Op(0xA7).Call(g.imp["frame_enter"]).Drop().
		LocalGet(1).Op(0xA7).LocalGet(2).Op(0xA7).LocalGet(3).Call(g.imp["frame_root"]))
	g.entry("enter_exit", sig(vts(I64, I64)), nil, code(nil).
		LocalGet(0).Op(0xA7).Call(g.imp["frame_enter"]).Drop().
		LocalGet(1).Op(0xA7).Call(g.imp["frame_exit"]))
	return g.bytes()
}

func TestFrames(t *testing.T) {
	auto := vm3.Config{Variant: vm3pb.Variant_AUTO, AutoMinThreshold: 1}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			m := compile(t, framesModule(), e.opts)
			res := mustRun(t, m, "rooted", []int64{100}, auto, ResultAuto)
			if res.Trap != nil || res.I64 != 3 || res.Heap.Stats().FrameRoots != 0 {
				t.Errorf("rooted: %s, frame_roots %d", res.Text(), res.Heap.Stats().FrameRoots)
			}
			if res.PeakLiveSlots != 2 {
				t.Errorf("rooted: peak %d, want 2 (the list and one garbage list)", res.PeakLiveSlots)
			}
			wantTrap(t, mustRun(t, m, "unrooted", []int64{100}, auto, ResultAuto), vm3pb.TrapCode_STALE_HANDLE, "unrooted under AUTO")
			if res := mustRun(t, m, "unrooted", []int64{100}, vm3.Config{}, ResultAuto); res.I64 != 3 {
				t.Errorf("unrooted under MINIMAL: %s", res.Text())
			}
			if res := mustRun(t, m, "enter", []int64{vm3.MaxFrameSlots}, vm3.Config{}, ResultAuto); res.I64 != 1 {
				t.Errorf("enter(2^16): %s", res.Text())
			}
			// i32 arguments are read as unsigned: -1 is 2^32-1.
			for _, slots := range []int64{vm3.MaxFrameSlots + 1, -1, 1 << 31} {
				wantTrap(t, mustRun(t, m, "enter", []int64{slots}, vm3.Config{}, ResultAuto), vm3pb.TrapCode_BAD_ARGUMENT, "frame_enter slots")
			}
			wantTrap(t, mustRun(t, m, "enter_root", []int64{2, 2, 0, 0}, vm3.Config{}, ResultAuto), vm3pb.TrapCode_SCOPE_MISMATCH, "frame_root mark 2")
			wantTrap(t, mustRun(t, m, "enter_root", []int64{2, 0, 0, 0}, vm3.Config{}, ResultAuto), vm3pb.TrapCode_SCOPE_MISMATCH, "frame_root mark 0")
			wantTrap(t, mustRun(t, m, "enter_root", []int64{2, -1, 0, 0}, vm3.Config{}, ResultAuto), vm3pb.TrapCode_SCOPE_MISMATCH, "frame_root mark 2^32-1")
			wantTrap(t, mustRun(t, m, "enter_root", []int64{2, 1, 2, 0}, vm3.Config{}, ResultAuto), vm3pb.TrapCode_OUT_OF_BOUNDS, "frame_root slot 2")
			wantTrap(t, mustRun(t, m, "enter_root", []int64{2, 1, -1, 0}, vm3.Config{}, ResultAuto), vm3pb.TrapCode_OUT_OF_BOUNDS, "frame_root slot 2^32-1")
			wantTrap(t, mustRun(t, m, "enter_root", []int64{2, 1, 1, bits(0xFFFE_0000_0000_0000)}, vm3.Config{}, ResultAuto), vm3pb.TrapCode_BAD_CELL, "frame_root bad cell")
			if res := mustRun(t, m, "enter_root", []int64{2, 1, 1, bits(vm3.MakeHandle(vm3pb.Arena_ARENA_LIST, 7, 9))}, vm3.Config{}, ResultAuto); res.Trap != nil {
				t.Errorf("frame_root of a stale handle: %v", res.Trap)
			}
			wantTrap(t, mustRun(t, m, "enter_exit", []int64{1, 2}, vm3.Config{}, ResultAuto), vm3pb.TrapCode_SCOPE_MISMATCH, "frame_exit mark 2")
			if res := mustRun(t, m, "enter_exit", []int64{1, 1}, vm3.Config{}, ResultAuto); res.Trap != nil || res.Heap.Stats().FrameRoots != 0 {
				t.Errorf("enter_exit: %v", res.Trap)
			}
		})
	}
}
