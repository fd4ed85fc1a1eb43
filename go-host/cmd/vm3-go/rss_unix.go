//go:build unix

package main

import (
	"runtime"
	"syscall"
)

// maxRSSMiB is the process's peak resident set size in MiB (getrusage's
// ru_maxrss: KiB on Linux and the BSDs, bytes on macOS).
func maxRSSMiB() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) >> 20
	}
	return int64(ru.Maxrss) >> 10
}
