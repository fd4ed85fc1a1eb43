package vm3

import (
	"slices"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// Bounds of collection.md §4.6.
const (
	// MaxFrameSlots bounds the slots of one frame.
	MaxFrameSlots = 1 << 16
	// MaxFrameTotal bounds the slots of all open frames together.
	MaxFrameTotal = 1 << 24
	// MaxFrames bounds the number of open frames (frames of 0 slots hold
	// no slots but still cost memory).
	MaxFrames = 1 << 20
)

// The frame stack (collection.md §4.6) lives in Heap.frameSlots, every open
// frame's slots one after another (the innermost frame's last), and
// Heap.frameBase, each open frame's first index into frameSlots. Frame k
// (its mark, 1 for the outermost) is frameSlots[frameBase[k-1]:end], end
// being frameBase[k] or len(frameSlots) for the innermost.

// FrameEnter opens a frame of slots null slots and returns its mark, the
// number of frames open after it opened (collection.md §4.6 frame_enter).
// slots outside [0, MaxFrameSlots] is BAD_ARGUMENT; more than MaxFrameTotal
// slots in all open frames, or a frame beyond MaxFrames open ones, is
// OUT_OF_MEMORY.
func (h *Heap) FrameEnter(slots int64) (int64, error) {
	if slots < 0 || slots > MaxFrameSlots {
		return 0, trapf(vm3pb.TrapCode_BAD_ARGUMENT, "frame_enter", "slots %d outside [0, %d]", slots, MaxFrameSlots)
	}
	n := len(h.frameSlots)
	if int64(n)+slots > MaxFrameTotal {
		return 0, trapf(vm3pb.TrapCode_OUT_OF_MEMORY, "frame_enter", "open frames hold %d slots, %d more would exceed %d", n, slots, MaxFrameTotal)
	}
	if len(h.frameBase) >= MaxFrames {
		return 0, trapf(vm3pb.TrapCode_OUT_OF_MEMORY, "frame_enter", "%d frames are open", MaxFrames)
	}
	h.frameBase = append(h.frameBase, n)
	h.frameSlots = slices.Grow(h.frameSlots, int(slots))[:n+int(slots)]
	tail := h.frameSlots[n:]
	for i := range tail {
		tail[i] = Null
	}
	return int64(len(h.frameBase)), nil
}

// FrameRoot stores c in slot slot of the open frame whose mark is mark
// (collection.md §4.6 frame_root). Checks, in order: mark names no open frame
// → SCOPE_MISMATCH; slot outside the frame → OUT_OF_BOUNDS; c invalid →
// BAD_CELL. Any valid Cell is kept, a scalar or a stale handle too.
func (h *Heap) FrameRoot(mark, slot int64, c Cell) error {
	open := int64(len(h.frameBase))
	if mark < 1 || mark > open {
		return trapf(vm3pb.TrapCode_SCOPE_MISMATCH, "frame_root", "mark %d names no open frame (%d open)", mark, open)
	}
	base := h.frameBase[mark-1]
	end := len(h.frameSlots)
	if mark < open {
		end = h.frameBase[mark]
	}
	i, err := index("frame_root", slot, uint32(end-base))
	if err != nil {
		return err
	}
	if why := c.invalid(); why != "" {
		return trapf(vm3pb.TrapCode_BAD_CELL, "frame_root", "%v: %s", c, why)
	}
	// A frame slot is a root: a live handle into a region promotes it
	// (collection.md §4.7). A heap that never had a Ref skips it at one load.
	if h.edges != nil && c.tag() == tagHandle {
		h.frameBarrier(c)
	}
	h.frameSlots[base+int(i)] = c
	return nil
}

// FrameExit closes the innermost frame, whose mark must be mark, dropping
// its slots (collection.md §4.6 frame_exit). With no frame open every mark
// mismatches.
func (h *Heap) FrameExit(mark int64) error {
	n := len(h.frameBase)
	if n == 0 || mark != int64(n) {
		return trapf(vm3pb.TrapCode_SCOPE_MISMATCH, "frame_exit", "mark %d is not the innermost frame's (%d open)", mark, n)
	}
	h.frameSlots = h.frameSlots[:h.frameBase[n-1]]
	h.frameBase = h.frameBase[:n-1]
	return nil
}
