package vm3

import "github.com/vm3-bridge/vm3/go-host/vm3pb"

// ScopeEnter opens a scope and returns its mark, the number of scopes open
// after it opened (collection.md §4.2).
func (h *Heap) ScopeEnter() int64 {
	h.scopes = append(h.scopes, len(h.roots))
	return int64(len(h.scopes))
}

// ScopeRoot pushes c on the innermost scope's roots: value(c), then
// SCOPE_MISMATCH when no scope is open (operations.md §3.2 scope_root).
func (h *Heap) ScopeRoot(c Cell) error {
	if err := h.value("scope_root", c); err != nil {
		return err
	}
	if len(h.scopes) == 0 {
		return trapf(vm3pb.TrapCode_SCOPE_MISMATCH, "scope_root", "no scope is open")
	}
	h.roots = append(h.roots, c)
	return nil
}

// ScopeExit closes the innermost scope, whose mark must be mark, and drops
// its roots (collection.md §4.2). With no scope open every mark mismatches.
func (h *Heap) ScopeExit(mark int64) error {
	n := len(h.scopes)
	if n == 0 || mark != int64(n) {
		return trapf(vm3pb.TrapCode_SCOPE_MISMATCH, "scope_exit", "mark %d is not the innermost scope's (%d open)", mark, n)
	}
	h.roots = h.roots[:h.scopes[n-1]]
	h.scopes = h.scopes[:n-1]
	return nil
}
