package vm3

import "slices"

// releaseQuarantine is collection.md §4.4 step 2 for one arena: after
// marking, each quarantined slot no reachable Cell named becomes free,
// pushed in ascending slot order; a named slot stays quarantined, which is
// guarantee G3 of arenas.md §2.5.
func (a *arena) releaseQuarantine() {
	if len(a.quarantine) == 0 {
		return
	}
	slices.Sort(a.quarantine)
	kept := a.quarantine[:0]
	for _, s := range a.quarantine {
		if a.marks[s/64]&(1<<(s%64)) != 0 {
			kept = append(kept, s)
		} else {
			// A quarantined slot's generation wrapped to 0.
			a.pushFree(s, 0)
		}
	}
	a.quarantine = kept
}
