package evmtx

import (
	"fmt"
	"strings"
)

// Wrap puts "pkg: " and the formatted context in front of err, reading
// without a repeated package prefix when err starts with "pkg: " too
// ("evm: anchor X: sender is not a registered gateway", not "evm: anchor
// X: evm: sender is ..."); the result matches everything err matches. A
// nil err stays nil.
func Wrap(pkg string, err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return &wrapped{pkg: pkg, msg: fmt.Sprintf(format, args...), cause: err}
}

type wrapped struct {
	pkg, msg string
	cause    error
}

func (e *wrapped) Error() string {
	return e.pkg + ": " + e.msg + ": " + strings.TrimPrefix(e.cause.Error(), e.pkg+": ")
}

func (e *wrapped) Unwrap() error { return e.cause }
