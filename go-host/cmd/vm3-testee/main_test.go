package main

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/vm3-bridge/vm3/go-host/vm3pb"
	"google.golang.org/protobuf/proto"
)

func frame(body []byte) []byte {
	return append(binary.LittleEndian.AppendUint32(nil, uint32(len(body))), body...)
}

func readResponses(t *testing.T, out []byte) []*vm3pb.TesteeResponse {
	var resps []*vm3pb.TesteeResponse
	for len(out) > 0 {
		n := binary.LittleEndian.Uint32(out)
		resp := &vm3pb.TesteeResponse{}
		if err := proto.Unmarshal(out[4:4+n], resp); err != nil {
			t.Fatal(err)
		}
		resps = append(resps, resp)
		out = out[4+n:]
	}
	return resps
}

func TestServeFrames(t *testing.T) {
	vector, _ := proto.Marshal(&vm3pb.TesteeRequest{Kind: &vm3pb.TesteeRequest_Vector{Vector: &vm3pb.AbiVector{
		Steps: []*vm3pb.Step{{Op: vm3pb.Op_LIST_NEW, Ints: []int64{2}}, {Op: vm3pb.Op_COLLECT}},
	}}})
	golden, _ := proto.Marshal(&vm3pb.TesteeRequest{Kind: &vm3pb.TesteeRequest_Golden{Golden: &vm3pb.GoldenBatch{Decode: []uint64{0xFFF8 << 48}}}})
	var in bytes.Buffer
	in.Write(frame(vector))
	in.Write(frame([]byte{0xFF, 0xFF, 0xFF})) // not a TesteeRequest
	in.Write(frame(nil))                      // empty: neither kind
	in.Write(frame(golden))
	var out bytes.Buffer
	if err := serve(&in, &out); err != nil {
		t.Fatal(err)
	}
	resps := readResponses(t, out.Bytes())
	if len(resps) != 4 {
		t.Fatalf("%d responses", len(resps))
	}
	if o := resps[0].GetTrace().GetOutcomes(); len(o) != 2 || o[0].GetCell() != 0xFFFF_1000_0000_0000 || o[1].GetInt() != 1 {
		t.Errorf("trace %v", resps[0])
	}
	if !strings.Contains(resps[1].GetProtocolError(), "cannot decode") || resps[2].GetProtocolError() == "" {
		t.Errorf("protocol errors %v / %v", resps[1], resps[2])
	}
	if d := resps[3].GetGolden().GetDecoded(); len(d) != 1 || d[0].GetTrap() != vm3pb.TrapCode_BAD_CELL {
		t.Errorf("golden %v", resps[3])
	}
}

func TestServeBrokenStreams(t *testing.T) {
	for name, tc := range map[string]struct {
		in   []byte
		want string
	}{
		"short prefix": {[]byte{1, 0}, "truncated length prefix"},
		"short body":   {[]byte{10, 0, 0, 0, 1, 2}, "truncated frame"},
		"huge":         {[]byte{0xFF, 0xFF, 0xFF, 0xFF}, "exceeds"},
	} {
		var out bytes.Buffer
		err := serve(bytes.NewReader(tc.in), &out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", name, err, tc.want)
		}
		if out.Len() != 0 {
			t.Errorf("%s: wrote %d bytes", name, out.Len())
		}
	}
	var out bytes.Buffer
	if err := serve(bytes.NewReader(nil), &out); err != nil || out.Len() != 0 {
		t.Errorf("empty input: %v, %d bytes", err, out.Len())
	}
}
