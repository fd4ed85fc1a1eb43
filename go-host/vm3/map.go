package vm3

import "github.com/vm3-bridge/vm3/go-host/vm3pb"

// The Map arena (arenas.md §2.1): integer keys to integer values, accounted
// 16 + 16 per key (arenas.md §2.6). Keys are canonical integer Cells, so a
// Cell identifies its integer; a map holds no handles and is never scanned.

// MapNew allocates an empty Map (operations.md §3.2 map_new):
// allocate(Map, 16, []).
func (h *Heap) MapNew() (Cell, error) {
	s, err := h.allocate("map_new", mapIdx, 16, 0)
	if err != nil {
		return 0, err
	}
	// No Go map until the first key: an empty map is nil, which reads as
	// empty, so a flood of empty maps costs the slot alone (arenas.md §2.7).
	return h.handleOf(mapIdx, s), nil
}

// MapSet maps key to value (operations.md §3.2 map_set): handle(m, Map),
// int(key), int(value); a new key is OUT_OF_MEMORY at MaxKeys keys and
// adds 16 bytes with list_push's limit check (roots m, key, value); an
// existing key is overwritten and adds nothing.
func (h *Heap) MapSet(m, key, value Cell) error {
	a, s, err := h.handle("map_set", m, mapIdx)
	if err != nil {
		return err
	}
	if err := intArg("map_set", key); err != nil {
		return err
	}
	if err := intArg("map_set", value); err != nil {
		return err
	}
	mp := a.maps[s]
	if _, ok := mp[key]; !ok {
		if len(mp) >= MaxKeys {
			return trapf(vm3pb.TrapCode_OUT_OF_MEMORY, "map_set", "the map holds MaxKeys %d keys", MaxKeys)
		}
		if err := h.grow("map_set", 16, m, key, value); err != nil {
			return err
		}
		a.lengths[s]++
	}
	if mp == nil {
		mp = map[Cell]Cell{}
		a.maps[s] = mp
	}
	mp[key] = value
	return nil
}

// MapGet returns key's value, or the integer 0 when key is absent
// (operations.md §3.2 map_get; ir.md §8.5 op 43).
func (h *Heap) MapGet(m, key Cell) (Cell, error) {
	mp, err := h.mapOf("map_get", m, key)
	if err != nil {
		return 0, err
	}
	if v, ok := mp[key]; ok {
		return v, nil
	}
	return smallInt(0), nil
}

// MapHas reports whether key is present (operations.md §3.2 map_has).
func (h *Heap) MapHas(m, key Cell) (bool, error) {
	mp, err := h.mapOf("map_has", m, key)
	if err != nil {
		return false, err
	}
	_, ok := mp[key]
	return ok, nil
}

// MapLen returns the number of keys (operations.md §3.2 map_len).
func (h *Heap) MapLen(m Cell) (int64, error) {
	a, s, err := h.handle("map_len", m, mapIdx)
	if err != nil {
		return 0, err
	}
	return int64(a.lengths[s]), nil
}

// mapOf checks handle(m, Map) and int(key) and returns the map.
func (h *Heap) mapOf(op string, m, key Cell) (map[Cell]Cell, error) {
	a, s, err := h.handle(op, m, mapIdx)
	if err != nil {
		return nil, err
	}
	if err := intArg(op, key); err != nil {
		return nil, err
	}
	return a.maps[s], nil
}
