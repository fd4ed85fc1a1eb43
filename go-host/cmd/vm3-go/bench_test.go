package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func benchLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		lines = append(lines, m)
	}
	return lines
}

func TestBench(t *testing.T) {
	// A module and its plain Go kernel, alternating: compile line, then
	// warm-up and timed runs of each with their results.
	code, out, errs := runCLI("bench", programs+"corpus/nsieve.wasm", "--entry", "nsieve", "--result", "i64",
		"--plain-go", "nsieve", "--rounds", "2", "--", "100")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := benchLines(t, out)
	if len(lines) != 8 || lines[0]["compiled"] == nil || lines[7]["peak_rss_mib"] == nil {
		t.Fatalf("lines: %v", lines)
	}
	var order []string
	for _, l := range lines[1:7] {
		res, _ := l["result"].(map[string]any)
		if res["i64"] != "25" || l["ms"] == nil {
			t.Errorf("run %v: want i64 25 and a time", l)
		}
		order = append(order, l["run"].(string))
	}
	if got := strings.Join(order, " "); got != "wazero go go wazero wazero go" {
		t.Errorf("order %s", got)
	}
	if lines[1]["warmup"] != true || lines[3]["warmup"] != nil {
		t.Errorf("warm-up flags: %v", lines)
	}

	// A trap is a result; heap counters come with it.
	code, out, errs = runCLI("bench", programs+"corpus/lists_fill_sum.wasm", "--entry", "main", "--result", "i64",
		"--max-bytes", "100", "--rounds", "0", "--", "1000")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines = benchLines(t, out)
	if res, _ := lines[1]["result"].(map[string]any); res["trap"] != "OUT_OF_MEMORY" || lines[1]["live_slots"] == nil {
		t.Errorf("trap run: %v", lines[1])
	}

	// Calls on one instance: an instantiate line, then runs of --calls
	// calls each, with the time per call; keep carries the heap over.
	for _, policy := range []string{"keep", "reset"} {
		code, out, errs = runCLI("bench", programs+"heap/binary_trees.wasm", "--entry", "binary_trees", "--result", "i64",
			"--reuse", policy, "--calls", "3", "--warmup", "0", "--rounds", "2", "--", "6")
		if code != 0 {
			t.Fatalf("--reuse %s: exit %d: %s", policy, code, errs)
		}
		lines = benchLines(t, out)
		if len(lines) != 5 || lines[1]["instantiated"] == nil || lines[1]["instantiate_ms"] == nil {
			t.Fatalf("--reuse %s: lines %v", policy, lines)
		}
		for _, l := range lines[2:4] {
			if res, _ := l["result"].(map[string]any); res["i64"] != "4398" || l["calls"] != float64(3) || l["us_per_call"] == nil {
				t.Errorf("--reuse %s: run %v", policy, l)
			}
		}
	}

	code, out, _ = runCLI("bench", "--plain-go", "n_body", "--warmup", "0", "--rounds", "1", "--", "0")
	if res, _ := benchLines(t, out)[0]["result"].(map[string]any); code != 0 || res["bits"] != "0xc01a95a61e3a496d" { // the n_body(0) vector, -6.646141502673669
		t.Errorf("n_body(0): %d %v", code, res)
	}
	code, out, _ = runCLI("bench", "--heap-op", "struct_new", "--rounds", "1", "--", "5000")
	if lines := benchLines(t, out); code != 0 || len(lines) != 2 || lines[1]["ops"] != float64(5000) || lines[1]["ns_per_op"] == nil {
		t.Errorf("heap-op: %d %v", code, lines)
	}

	for _, c := range []struct {
		args []string
		errs string
	}{
		{[]string{"bench"}, "missing MODULE.wasm"},
		{[]string{"bench", "m.wasm"}, "--entry NAME is required"},
		{[]string{"bench", "--plain-go", "fib"}, "no such kernel"},
		{[]string{"bench", "--plain-go", "nsieve"}, "needs one argument"},
		{[]string{"bench", "--heap-op", "list_new", "--", "1"}, "want one of list_get, struct_get, struct_new"},
		{[]string{"bench", "--heap-op", "list_get", "--plain-go", "nsieve", "--", "1"}, "alone"},
		{[]string{"bench", "--heap-op", "list_get", "--rounds", "-1", "--", "1"}, "--rounds -1"},
		{[]string{"bench", programs + "corpus/nsieve.wasm", "--entry", "nsieve", "--reuse", "sometimes", "--", "1"}, `heap policy "sometimes": want keep or reset`},
		{[]string{"bench", programs + "corpus/nsieve.wasm", "--entry", "nsieve", "--calls", "0", "--", "1"}, "--calls 0: want at least 1"},
		{[]string{"bench", "--plain-go", "nsieve", "--reuse", "keep", "--", "1"}, "give MODULE.wasm"},
		{[]string{"bench", programs + "corpus/nsieve.wasm", "--entry", "nope", "--", "1"}, `no entry "nope"`},
	} {
		if code, _, errs := runCLI(c.args...); code != 2 || !strings.Contains(errs, c.errs) {
			t.Errorf("vm3-go %s: exit %d, stderr %q; want 2, %q", strings.Join(c.args, " "), code, errs, c.errs)
		}
	}
	if code, out, _ := runCLI("bench", "--help"); code != 0 || !strings.Contains(out, "--plain-go KERNEL") {
		t.Errorf("bench --help: %d %q", code, out)
	}
}

// TestBenchCycles: bench-cycles' one JSON line for m1 on both designs (the
// weak one frees the cycles, the strong one keeps 2N slots), and its usage
// errors.
func TestBenchCycles(t *testing.T) {
	const n = 20_000
	module := programs + "cycles/cycles.wasm"
	for _, c := range []struct {
		edges string
		slots float64
	}{{"weak", 0}, {"strong", 2 * n}} {
		code, out, errs := runCLI("bench-cycles", module, "--mode", "m1", "--edges", c.edges, "--", "20000")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.edges, code, errs)
		}
		lines := benchLines(t, out)
		if len(lines) != 1 {
			t.Fatalf("%s: %d lines", c.edges, len(lines))
		}
		l := lines[0]
		if l["engine"] != "go" || l["design"] != c.edges || l["mode"] != "m1" || l["result"] != "1" || l["allocated"] != float64(n) {
			t.Errorf("%s: %v", c.edges, l)
		}
		// The weak design: a cleanup Go has not run yet may keep a few.
		if slots := l["heapSlots"].(float64); slots < c.slots || slots > c.slots+n/100 {
			t.Errorf("%s: %v live slots after, want %v", c.edges, slots, c.slots)
		}
	}
	for _, args := range [][]string{
		{"bench-cycles", module},
		{"bench-cycles", module, "--mode", "m2"},
		{"bench-cycles", module, "--mode", "m0", "--edges", "soft"},
		{"bench-cycles", "--mode", "m0"},
		{"bench-cycles", module, "--mode", "m0", "--", "1", "2"},
		{"bench-cycles", module, "--mode", "m0", "--host", "conformance"},
	} {
		if code, _, errs := runCLI(args...); code != 2 || !strings.Contains(errs, "bench-cycles") {
			t.Errorf("%v: exit %d, %q; want a usage error", args, code, errs)
		}
	}
	if code, out, _ := runCLI("bench-cycles", "--help"); code != 0 || !strings.Contains(out, "Igalia") {
		t.Errorf("--help: exit %d", code)
	}
}
