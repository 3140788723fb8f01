package anchor

import "strings"

// chainError is an error that matches both outer and inner under
// errors.Is and errors.As, and reads as outer's text followed by inner's,
// without repeating a package prefix the two share: "anchor: invalid
// commitment: bad root digest: …", not "anchor: invalid commitment:
// anchor: bad root digest: …".
type chainError struct{ outer, inner error }

// wrap returns an error matching outer and inner.
func wrap(outer, inner error) error { return &chainError{outer: outer, inner: inner} }

func (e *chainError) Error() string {
	o, i := e.outer.Error(), e.inner.Error()
	if p, _, ok := strings.Cut(o, ": "); ok {
		i = strings.TrimPrefix(i, p+": ")
	}
	return o + ": " + i
}

func (e *chainError) Unwrap() []error { return []error{e.outer, e.inner} }
