// Package errchain joins two errors into one that matches both under
// errors.Is and errors.As and reads without repeating a package prefix
// they share: "anchor: receipt does not verify: invalid commitment: …"
// rather than "anchor: receipt does not verify: anchor: invalid
// commitment: …". The anchor packages use it to wrap a cause with their
// sentinels.
package errchain

import "strings"

// Wrap returns an error matching outer and inner whose text is outer's,
// ": ", and inner's without outer's package prefix.
func Wrap(outer, inner error) error { return &chained{outer: outer, inner: inner} }

type chained struct{ outer, inner error }

func (e *chained) Error() string {
	o, i := e.outer.Error(), e.inner.Error()
	if p, _, ok := strings.Cut(o, ": "); ok {
		i = strings.TrimPrefix(i, p+": ")
	}
	return o + ": " + i
}

func (e *chained) Unwrap() []error { return []error{e.outer, e.inner} }
