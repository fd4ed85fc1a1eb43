//go:build !unix

package main

// maxRSSMiB is not known here.
func maxRSSMiB() int64 { return -1 }
