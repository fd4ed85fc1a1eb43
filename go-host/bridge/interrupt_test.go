package bridge

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vm3-bridge/vm3/go-host/vm3"
)

// gcChildEnv makes the test binary run gcChild instead of the tests: the
// child spins a guest and collects beside it. It runs in its own process
// because, when the GC stalls, every goroutine of the process stops, the
// test's own timers included, and only another process can tell.
const gcChildEnv = "BRIDGE_GC_CHILD"

// TestDefaultDoesNotFreezeGC: with the default Options a guest looping
// without calling an import (valuesModule's spin) does not stop Go's
// garbage collector: runtime.GC() beside it keeps returning for two
// seconds, then cancelling the run's context ends it with context.Canceled.
// With Options.Uninterruptible (the old default) the first collection's
// stop-the-world waits for the loop forever: the child prints nothing after
// "spinning" and is killed — the risk the option documents.
func TestDefaultDoesNotFreezeGC(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	child := func(uninterruptible bool, limit time.Duration) (string, bool) {
		ctx, cancel := context.WithTimeout(context.Background(), limit)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestDefaultDoesNotFreezeGC$", "-test.v")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%v", gcChildEnv, uninterruptible))
		out, err := cmd.CombinedOutput()
		return string(out), err == nil && ctx.Err() == nil
	}
	if mode := os.Getenv(gcChildEnv); mode != "" {
		gcChild(t, mode == "true")
		return
	}
	out, ok := child(false, 60*time.Second)
	if !ok || !strings.Contains(out, "run stopped: context canceled") {
		t.Fatalf("default Options: the child did not finish:\n%s", out)
	}
	t.Logf("default Options:\n%s", grepChild(out))
	out, ok = child(true, 8*time.Second)
	if ok || !strings.Contains(out, "spinning") || strings.Contains(out, "collections beside") {
		t.Fatalf("Uninterruptible: want the child frozen in its first collection, got (finished %v):\n%s", ok, out)
	}
	t.Logf("Uninterruptible: frozen after %q, killed after 8 s", grepChild(out))
}

func grepChild(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "child: ") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

func gcChild(t *testing.T, uninterruptible bool) {
	m := compile(t, valuesModule(), Options{Uninterruptible: uninterruptible})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := m.Run(ctx, "spin", nil, vm3.Config{}, ResultAuto)
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	fmt.Println("child: spinning")
	// Collections for two seconds: any one of them, once the guest is in
	// its loop, stalls under Uninterruptible.
	n := 0
	for start := time.Now(); time.Since(start) < 2*time.Second; n++ {
		runtime.GC()
	}
	fmt.Printf("child: %d collections beside the spinning guest\n", n)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("spin ended with %v, want context.Canceled", err)
		}
		fmt.Printf("child: %v\n", err)
	case <-time.After(10 * time.Second):
		t.Fatal("spin did not stop 10 s after its context was cancelled")
	}
}
