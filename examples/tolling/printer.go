package main

import (
	"fmt"
	"io"

	"github.com/iotrust/iotrust/devnet"
)

// printer writes the run's narrative.
type printer struct{ w io.Writer }

func (p printer) Printf(format string, a ...any) { _, _ = fmt.Fprintf(p.w, format, a...) }
func (p printer) Println(a ...any)               { _, _ = fmt.Fprintln(p.w, a...) }

// progress runs f, showing dots while it takes longer than a second.
func (p printer) progress(label string, f func() error) error { return devnet.Progress(p.w)(label, f) }
