package evmtx

import (
	"fmt"
	"strings"
)

// Wrap puts "pkg: " and the formatted context in front of err, reading
// without a repeated package prefix when err starts with "pkg: " too
// ("evm: anchor X: sender is not a registered gateway", not "evm: anchor
// X: evm: sender is ..."), nor the context's first word when err starts
// with it ("evm: anchor: ledger closed" for anchor.ErrClosed under
// "anchor"); the result matches everything err matches. A nil err stays
// nil.
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
	cause := strings.TrimPrefix(e.cause.Error(), e.pkg+": ")
	// A cause that starts with the context's first word says it again:
	// "anchor: ledger closed" under "anchor X" reads "anchor X: ledger
	// closed".
	if word, _, _ := strings.Cut(e.msg, " "); word != "" {
		cause = strings.TrimPrefix(cause, word+": ")
	}
	return e.pkg + ": " + e.msg + ": " + cause
}

func (e *wrapped) Unwrap() error { return e.cause }
