package testee

import (
	"errors"
	"reflect"
	"unsafe"

	"github.com/vm3-bridge/vm3/go-host/bridge"
)

// The conformance host library (host.md §11.5), Go's twin of
// conformance/host/library.ts: the host functions that the host program
// vectors (conformance/programs/host.json) import by name, with the same
// behaviour. As there, each function is a behaviour, not an IR signature
// (none declares a Sig): a program declares the signature it calls it with,
// and several names are one behaviour under several signatures. Where Go
// differs from JavaScript:
//
//   - throw_value panics with a string: Go's nearest thing to throwing a
//     value that is not an Error (the bridge turns the panic into
//     HOST_ERROR, as the TS host turns the throw).
//   - nothing and undef both return nil, Go's one null.
//   - not_bigint returns the Go int 1, which is not an int64 (the i64
//     conversion takes int64 only): HOST_ERROR, like the JS number 1.
//   - too_big returns the uint64 2^63, outside int64 and so not an int64:
//     HOST_ERROR, like the bigint 2^63.
//   - same compares identity without panicking on values Go cannot
//     compare with == (a counter is a func): two funcs are the same when
//     they are one closure object, two maps or slices when they share
//     their storage.

// Box is the library's host value of choice: a fresh pointer per box, so
// identity is pointer identity.
type Box struct{ Boxed int64 }

// Kept is what keep returns: an object holding its argument.
type Kept struct{ Kept any }

// HostLibrary returns the conformance library's functions by import name,
// for bridge.Options.Host.
func HostLibrary() map[string]bridge.HostFunc {
	f := func(fn func(args []any) (any, error)) bridge.HostFunc {
		return bridge.Func(func(_ *bridge.HostCall, args []any) (any, error) { return fn(args) })
	}
	text := f(func([]any) (any, error) { return "text", nil })
	take := f(func(a []any) (any, error) {
		k, ok := a[0].(*Kept)
		if !ok || k == nil {
			return nil, errors.New("take: not kept")
		}
		return k.Kept, nil
	})
	echo := f(func(a []any) (any, error) { return a[0], nil })
	return map[string]bridge.HostFunc{
		// box(i64) -> host: a fresh object holding n.
		"box": f(func(a []any) (any, error) { return &Box{Boxed: a[0].(int64)}, nil }),
		// unbox(host) -> i64: the number a box holds; an error for anything else.
		"unbox": f(func(a []any) (any, error) {
			b, ok := a[0].(*Box)
			if !ok || b == nil {
				return nil, errors.New("unbox: not a box")
			}
			return b.Boxed, nil
		}),
		// greet(str) -> str: "hello, " + s.
		"greet": f(func(a []any) (any, error) { return "hello, " + a[0].(string), nil }),
		// len(str) -> i64: the UTF-8 byte length of s.
		"len": f(func(a []any) (any, error) { return int64(len(a[0].(string))), nil }),
		// fail(str) -> any type: an error whose text is s.
		"fail": f(func(a []any) (any, error) { return nil, errors.New(a[0].(string)) }),
		// throw_value() -> any type: panics with a value that is not an error.
		"throw_value": f(func([]any) (any, error) { panic("a thrown string") }),
		// counter() -> host: a closure that returns 1, 2, 3, … on successive calls.
		"counter": f(func([]any) (any, error) {
			var n int64
			return func() int64 { n++; return n }, nil
		}),
		// tick(host) -> i64: calls a counter and returns what it returned.
		"tick": f(func(a []any) (any, error) {
			c, ok := a[0].(func() int64)
			if !ok || c == nil {
				return nil, errors.New("tick: not a counter")
			}
			return c(), nil
		}),
		// same(host, host) -> bool: whether the two are the same host value.
		"same": f(func(a []any) (any, error) { return Same(a[0], a[1]), nil }),
		// is_nil(host) -> bool: whether the host received the null host.
		"is_nil": f(func(a []any) (any, error) { return a[0] == nil, nil }),
		// nothing() -> host and undef() -> host: nil (the null host).
		"nothing": f(func([]any) (any, error) { return nil, nil }),
		"undef":   f(func([]any) (any, error) { return nil, nil }),
		// text() -> host, or any other type: the Go string "text";
		// any_text() -> any: the same, where no string converts (HOST_ERROR).
		"text":     text,
		"any_text": text,
		// add_f64(f64, f64) -> f64; negate(bool) -> bool.
		"add_f64": f(func(a []any) (any, error) { return a[0].(float64) + a[1].(float64), nil }),
		"negate":  f(func(a []any) (any, error) { return !a[0].(bool), nil }),
		// not_bigint() -> i64: the Go int 1, not an int64 (HOST_ERROR).
		"not_bigint": f(func([]any) (any, error) { return int(1), nil }),
		// too_big() -> i64: the uint64 2^63, outside int64 (HOST_ERROR).
		"too_big": f(func([]any) (any, error) { return uint64(1) << 63, nil }),
		// keep(T) -> host: an object holding its argument (a *vm3.Ref, say).
		"keep": f(func(a []any) (any, error) { return &Kept{Kept: a[0]}, nil }),
		// take(host) -> T: what keep held; the aliases under other result types.
		"take":        take,
		"take_f64arr": take,
		"take_other":  take,
		// echo(T) -> T: its argument; the aliases at other types.
		"echo":      echo,
		"echo_list": echo,
		"echo_any":  echo,
		"echo_map":  echo,
	}
}

// Same is identity of two host values, never panicking: values of
// comparable types by ==; funcs by their closure object; maps, slices,
// channels and pointers by their storage (a slice by its start and length).
func Same(a, b any) (same bool) {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb {
		return false
	}
	switch ta.Kind() {
	case reflect.Func:
		// An interface holding a func points at its closure object (the
		// funcval), which is the closure's identity; reflect's Pointer is
		// only the code pointer, the same for every closure of one literal.
		return ifaceData(a) == ifaceData(b)
	case reflect.Map:
		return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
	case reflect.Slice:
		va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
		return va.UnsafePointer() == vb.UnsafePointer() && va.Len() == vb.Len()
	}
	if !ta.Comparable() {
		return false
	}
	// A comparable type can still panic (an interface field holding a func).
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}

func ifaceData(v any) unsafe.Pointer {
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&v))[1]
}
