// Package clean exports no variable.
package clean

import "errors"

// ErrSentinel is an error sentinel, allowed.
var ErrSentinel = errors.New("clean: sentinel")

var counter int

// Next returns the next count.
func Next() int { counter++; return counter }
