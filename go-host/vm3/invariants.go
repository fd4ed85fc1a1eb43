package vm3

import (
	"errors"
	"fmt"
	"weak"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
)

// CheckInvariants verifies the heap's internal consistency: slot states and
// the free list and quarantine agree, live / pinned / quarantined counts and
// heap_bytes match the slots, payloads are empty unless alive, stored Cells
// are valid, and the scope and frame stacks are well nested. Tests and the fuzzer call
// it after every operation; it is O(heap size).
func (h *Heap) CheckInvariants() error {
	var errs []error
	var bytes uint64
	for i := range h.arenas {
		a := &h.arenas[i]
		b, err := h.checkArena(a)
		bytes += b
		if err != nil {
			errs = append(errs, fmt.Errorf("%v: %w", a.number, err))
		}
	}
	if bytes != h.heapBytes {
		errs = append(errs, fmt.Errorf("heap_bytes is %d, the live slots account for %d", h.heapBytes, bytes))
	}
	prev := 0
	for k, height := range h.scopes {
		if height < prev || height > len(h.roots) {
			errs = append(errs, fmt.Errorf("scope %d opened at root height %d (previous %d, stack %d)", k+1, height, prev, len(h.roots)))
		}
		prev = height
	}
	if len(h.scopes) == 0 && len(h.roots) != 0 {
		errs = append(errs, fmt.Errorf("%d roots with no scope open", len(h.roots)))
	}
	for k, c := range h.roots {
		if why := c.invalid(); why != "" {
			errs = append(errs, fmt.Errorf("root %d %v is invalid: %s", k, c, why))
		}
	}
	prev = 0
	for k, base := range h.frameBase {
		if base < prev || base > len(h.frameSlots) {
			errs = append(errs, fmt.Errorf("frame %d starts at slot %d (previous %d, %d slots)", k+1, base, prev, len(h.frameSlots)))
		}
		prev = base
	}
	if len(h.frameBase) == 0 && len(h.frameSlots) != 0 {
		errs = append(errs, fmt.Errorf("%d frame slots with no frame open", len(h.frameSlots)))
	}
	if len(h.frameSlots) > MaxFrameTotal {
		errs = append(errs, fmt.Errorf("%d frame slots exceed MaxFrameTotal", len(h.frameSlots)))
	}
	for k, c := range h.frameSlots {
		if why := c.invalid(); why != "" {
			errs = append(errs, fmt.Errorf("frame slot %d %v is invalid: %s", k, c, why))
		}
	}
	return errors.Join(errs...)
}

// checkArena checks one arena and returns the accounted bytes of its live
// slots.
func (h *Heap) checkArena(a *arena) (uint64, error) {
	n := len(a.meta)
	payloads := len(a.hosts)
	switch {
	case a.seq:
		payloads = len(a.cells)
	case a.kind == kindBytes:
		payloads = len(a.strs)
	case a.kind == kindMap:
		payloads = len(a.maps)
	}
	if len(a.pins) != n || len(a.lengths) != n || payloads != n {
		return 0, errors.New("per-slot arrays differ in length")
	}
	onFree := make([]bool, n)
	for _, s := range a.free {
		if int(s) >= n || onFree[s] {
			return 0, fmt.Errorf("free list entry %d is out of range or repeated", s)
		}
		onFree[s] = true
	}
	inQuarantine := make([]bool, n)
	for _, s := range a.quarantine {
		if int(s) >= n || inQuarantine[s] {
			return 0, fmt.Errorf("quarantine entry %d is out of range or repeated", s)
		}
		inQuarantine[s] = true
	}
	var live, pinned, bytes uint64
	for s, m := range a.meta {
		state, gen := m&stateMask, m&MaxGeneration
		alive := state == stateAlive
		switch {
		case m&^(stateMask|MaxGeneration) != 0 || state == 0 || state > stateDead:
			return 0, fmt.Errorf("slot %d has bad meta %#x", s, m)
		case (state == stateFree) != onFree[s]:
			return 0, fmt.Errorf("slot %d: state %#x but on the free list: %v", s, state, onFree[s])
		case (state == stateQuarantined) != inQuarantine[s]:
			return 0, fmt.Errorf("slot %d: state %#x but in quarantine: %v", s, state, inQuarantine[s])
		case state == stateQuarantined && gen != 0:
			return 0, fmt.Errorf("quarantined slot %d has generation %d", s, gen)
		case state == stateDead && !h.lim.stub, state != stateDead && state != stateAlive && h.lim.stub:
			return 0, fmt.Errorf("slot %d has state %#x in variant %v", s, state, h.lim.variant)
		case !alive && a.pins[s] != 0:
			return 0, fmt.Errorf("slot %d is not alive but has %d pins", s, a.pins[s])
		}
		if a.pins[s] != 0 {
			pinned++
		}
		if !alive {
			if a.lengths[s] != 0 || (a.seq && len(a.cells[s]) != 0) || (a.kind == kindBytes && a.strs[s] != nil) ||
				(a.kind == kindMap && a.maps[s] != nil) || (a.kind == kindHost && a.hosts[s] != nil) {
				return 0, fmt.Errorf("slot %d is not alive but holds a payload", s)
			}
			continue
		}
		live++
		bytes += a.bytes(uint32(s))
		if err := a.checkPayload(uint32(s)); err != nil {
			return 0, err
		}
	}
	if live != a.live || pinned != a.pinned {
		return 0, fmt.Errorf("counts live %d pinned %d, slots say live %d pinned %d", a.live, a.pinned, live, pinned)
	}
	return bytes, h.checkEdges(a)
}

// checkEdges checks an arena's state of the weak host edges (collection.md
// §4.7): Refs, region labels and weak payloads only on alive slots, their
// counts matching, labels naming regions of the last collection, none of
// it in the strong design.
func (h *Heap) checkEdges(a *arena) error {
	n := len(a.meta)
	if len(a.wraps) > n || len(a.anchors) != len(a.wraps) || len(a.region) > n {
		return fmt.Errorf("edge arrays of lengths %d, %d, %d for %d slots", len(a.wraps), len(a.anchors), len(a.region), n)
	}
	if !h.lim.weakEdges && (len(a.wraps) != 0 || len(a.region) != 0 || a.weakHosts != 0) {
		return errors.New("Refs, regions or weak payloads in the strong design")
	}
	var wrapped, demoted, weakHosts uint64
	for s, w := range a.wraps {
		if w != 0 {
			wrapped++
			if a.meta[s]&stateMask != stateAlive {
				return fmt.Errorf("slot %d is not alive but has %d Refs", s, w)
			}
		} else if a.anchors[s] != (weak.Pointer[anchor]{}) {
			return fmt.Errorf("slot %d has no Refs but an anchor", s)
		}
	}
	for s, l := range a.region {
		if l == 0 {
			continue
		}
		demoted++
		if a.meta[s]&stateMask != stateAlive {
			return fmt.Errorf("slot %d is not alive but in region %d", s, l)
		}
		if h.edges == nil || l > h.edges.regions {
			return fmt.Errorf("slot %d is in region %d, which the last collection did not form", s, l)
		}
	}
	if a.kind == kindHost {
		for s, v := range a.hosts {
			if _, ok := v.(weakHost); ok {
				weakHosts++
				if a.meta[s]&stateMask != stateAlive {
					return fmt.Errorf("slot %d is not alive but holds a weak payload", s)
				}
			}
		}
	}
	if wrapped != a.wrapped || demoted != a.demoted || weakHosts != a.weakHosts {
		return fmt.Errorf("counts wrapped %d demoted %d weak %d, slots say %d, %d, %d", a.wrapped, a.demoted, a.weakHosts, wrapped, demoted, weakHosts)
	}
	return nil
}

// checkPayload checks an alive slot's payload against its length and its
// arena's element kinds.
func (a *arena) checkPayload(s uint32) error {
	n := a.lengths[s]
	switch a.kind {
	case kindBytes:
		if len(a.strs[s]) != int(n) {
			return fmt.Errorf("slot %d holds %d bytes for length %d", s, len(a.strs[s]), n)
		}
	case kindMap:
		// A map with no keys may still be nil: MapNew allocates none (arenas.md §2.7).
		if len(a.maps[s]) != int(n) {
			return fmt.Errorf("slot %d holds %d keys for length %d", s, len(a.maps[s]), n)
		}
		for k, v := range a.maps[s] {
			if intArg("check", k) != nil || intArg("check", v) != nil {
				return fmt.Errorf("slot %d maps %v to %v: not integers", s, k, v)
			}
		}
	case kindHost:
		if n != 0 {
			return fmt.Errorf("host slot %d has length %d", s, n)
		}
	default:
		if uint64(len(a.cells[s])) > uint64(n) || (a.number == vm3pb.Arena_ARENA_STRUCT && len(a.cells[s]) != int(n)) {
			return fmt.Errorf("slot %d holds %d Cells for length %d", s, len(a.cells[s]), n)
		}
		for k, c := range a.cells[s] {
			if why := c.invalid(); why != "" {
				return fmt.Errorf("slot %d element %d %v is invalid: %s", s, k, c, why)
			}
			if (a.kind == kindF64 && floatArg("check", c) != nil) || (a.kind == kindI64 && intArg("check", c) != nil) {
				return fmt.Errorf("slot %d element %d %v is not of the arena's kind", s, k, c)
			}
		}
	}
	return nil
}
