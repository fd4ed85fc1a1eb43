package bridge

import (
	"errors"
	"fmt"
)

// wazero's CompiledModule lists imported functions and memories but not
// imported tables or globals, which a handle-ABI module may not have either
// (handle-abi.md §10.1, §10.8: its imports are functions). importKinds reads
// the binary's import section for them. Compile calls it only on a binary
// wazero has already decoded and validated, but it is bounds-checked
// throughout all the same: a malformed binary is an error, never a panic.

// wasmImport is one entry of the import section.
type wasmImport struct {
	module, name string
	kind         byte // 0 function, 1 table, 2 memory, 3 global
}

var importKindNames = [...]string{"function", "table", "memory", "global"}

func (im wasmImport) kindName() string {
	if int(im.kind) < len(importKindNames) {
		return importKindNames[im.kind]
	}
	return fmt.Sprintf("kind %d", im.kind)
}

var errMalformed = errors.New("malformed binary")

type binReader struct {
	b  []byte
	at int
}

func (r *binReader) byte() (byte, error) {
	if r.at >= len(r.b) {
		return 0, errMalformed
	}
	r.at++
	return r.b[r.at-1], nil
}

func (r *binReader) u32() (uint32, error) {
	var v uint64
	for k := 0; k < 5; k++ {
		b, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= uint64(b&0x7F) << (7 * k)
		if b&0x80 == 0 {
			if v > 1<<32-1 {
				return 0, errMalformed
			}
			return uint32(v), nil
		}
	}
	return 0, errMalformed
}

func (r *binReader) bytes(n uint32) ([]byte, error) {
	if uint64(n) > uint64(len(r.b)-r.at) {
		return nil, errMalformed
	}
	r.at += int(n)
	return r.b[r.at-int(n) : r.at], nil
}

func (r *binReader) name() (string, error) {
	n, err := r.u32()
	if err != nil {
		return "", err
	}
	b, err := r.bytes(n)
	return string(b), err
}

// limits skips a table's or memory's limits (flags 0: min; 1: min, max;
// the threads and memory64 flags carry the same numbers).
func (r *binReader) limits() error {
	flags, err := r.u32()
	if err != nil {
		return err
	}
	if _, err := r.u32(); err != nil {
		return err
	}
	if flags&1 != 0 {
		_, err = r.u32()
	}
	return err
}

// importKinds lists every import of the binary with its kind.
func importKinds(wasm []byte) ([]wasmImport, error) {
	if len(wasm) < 8 {
		return nil, errMalformed
	}
	r := &binReader{b: wasm, at: 8}
	for r.at < len(r.b) {
		id, err := r.byte()
		if err != nil {
			return nil, err
		}
		size, err := r.u32()
		if err != nil {
			return nil, err
		}
		payload, err := r.bytes(size)
		if err != nil {
			return nil, err
		}
		if id != 2 {
			continue
		}
		p := &binReader{b: payload}
		count, err := p.u32()
		if err != nil {
			return nil, err
		}
		var out []wasmImport
		for k := uint32(0); k < count; k++ {
			var im wasmImport
			if im.module, err = p.name(); err != nil {
				return nil, err
			}
			if im.name, err = p.name(); err != nil {
				return nil, err
			}
			if im.kind, err = p.byte(); err != nil {
				return nil, err
			}
			switch im.kind {
			case 0:
				_, err = p.u32()
			case 1:
				if _, err = p.byte(); err == nil {
					err = p.limits()
				}
			case 2:
				err = p.limits()
			case 3:
				if _, err = p.byte(); err == nil {
					_, err = p.byte()
				}
			default:
				err = errMalformed
			}
			if err != nil {
				return nil, err
			}
			out = append(out, im)
		}
		return out, nil
	}
	return nil, nil
}
