package vm3

import "github.com/vm3-bridge/vm3/go-host/vm3pb"

// Bounds of collection.md §4.2: a guest can call scope_enter and scope_root
// in a loop (handle-abi.md §10.3), so the host's memory for them is bounded.
const (
	// MaxScopes bounds the open scopes.
	MaxScopes = 1 << 20
	// MaxScopeRoots bounds the Cells on the root stack.
	MaxScopeRoots = 1 << 22
)

// ScopeEnter opens a scope and returns its mark, the number of scopes open
// after it opened (collection.md §4.2); MaxScopes open → OUT_OF_MEMORY.
func (h *Heap) ScopeEnter() (int64, error) {
	if len(h.scopes) >= MaxScopes {
		return 0, trapf(vm3pb.TrapCode_OUT_OF_MEMORY, "scope_enter", "%d scopes are open", MaxScopes)
	}
	h.scopes = append(h.scopes, len(h.roots))
	return int64(len(h.scopes)), nil
}

// ScopeRoot pushes c on the innermost scope's roots: value(c), then
// SCOPE_MISMATCH when no scope is open, then OUT_OF_MEMORY when the root
// stack holds MaxScopeRoots (operations.md §3.2 scope_root).
func (h *Heap) ScopeRoot(c Cell) error {
	if err := h.value("scope_root", c); err != nil {
		return err
	}
	if len(h.scopes) == 0 {
		return trapf(vm3pb.TrapCode_SCOPE_MISMATCH, "scope_root", "no scope is open")
	}
	if len(h.roots) >= MaxScopeRoots {
		return trapf(vm3pb.TrapCode_OUT_OF_MEMORY, "scope_root", "the root stack holds %d Cells", MaxScopeRoots)
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
