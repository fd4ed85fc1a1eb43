// Command vm3-testee is the Go host's conformance testee (conformance.md
// §6.4): framed TesteeRequests on standard input, framed TesteeResponses on
// standard output, diagnostics on standard error.
package main

import (
	"bufio"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/vm3-bridge/vm3/go-host/testee"
	"github.com/vm3-bridge/vm3/go-host/vm3pb"
	"google.golang.org/protobuf/proto"
)

const usage = `usage: vm3-testee

Reads requests on standard input and answers each on standard output. Every
message is a 4-byte little-endian length followed by that many bytes of
binary protobuf: vm3.v1.TesteeRequest in, vm3.v1.TesteeResponse out
(vm3-spec/conformance.md §6.4). A program request runs its handle-ABI
module (ProgramRun.wasm) under wazero on the Go heap (go-host/bridge); one
without a module is answered with protocol_error, as is a request that does
not decode. Exits 0 at end of input; exits 1 on a truncated frame
or a frame longer than 256 MiB, which leave the stream unreadable.
`

// maxFrame bounds a request: a longer length prefix is corruption, not data.
const maxFrame = 256 << 20

func main() {
	flag.Usage = func() { fmt.Fprint(flag.CommandLine.Output(), usage) }
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := serve(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "vm3-testee:", err)
		os.Exit(1)
	}
}

// serve answers requests until end of input; it returns nil at a clean end
// (between frames) and an error for a broken stream.
func serve(in io.Reader, out io.Writer) error {
	r := bufio.NewReaderSize(in, 1<<16)
	w := bufio.NewWriterSize(out, 1<<16)
	var header [4]byte
	for n := 1; ; n++ {
		if _, err := io.ReadFull(r, header[:]); err != nil {
			if err == io.EOF {
				return nil
			}
			return fmt.Errorf("request %d: truncated length prefix: %w", n, err)
		}
		size := binary.LittleEndian.Uint32(header[:])
		if size > maxFrame {
			return fmt.Errorf("request %d: frame length %d exceeds the %d-byte limit", n, size, maxFrame)
		}
		// Read as the bytes arrive rather than trusting the prefix with a
		// 256 MiB allocation up front.
		body, err := io.ReadAll(io.LimitReader(r, int64(size)))
		if err != nil {
			return fmt.Errorf("request %d: %w", n, err)
		}
		if len(body) < int(size) {
			return fmt.Errorf("request %d: truncated frame: expected %d bytes, got %d", n, size, len(body))
		}
		if err := write(w, answer(body)); err != nil {
			return fmt.Errorf("response %d: %w", n, err)
		}
	}
}

// answer decodes and serves one request.
func answer(body []byte) *vm3pb.TesteeResponse {
	req := &vm3pb.TesteeRequest{}
	if err := proto.Unmarshal(body, req); err != nil {
		return &vm3pb.TesteeResponse{Kind: &vm3pb.TesteeResponse_ProtocolError{
			ProtocolError: "cannot decode TesteeRequest: " + err.Error(),
		}}
	}
	return testee.Serve(req)
}

func write(w *bufio.Writer, resp *vm3pb.TesteeResponse) error {
	body, err := proto.Marshal(resp)
	if err != nil {
		return err
	}
	var header [4]byte
	binary.LittleEndian.PutUint32(header[:], uint32(len(body)))
	if _, err := w.Write(header[:]); err != nil {
		return err
	}
	if _, err := w.Write(body); err != nil {
		return err
	}
	// Each response must reach the runner before it sends the next request.
	return w.Flush()
}
