// Package exported declares what novars must refuse.
package exported

import "errors"

// ErrSentinel is allowed: an error sentinel.
var ErrSentinel = errors.New("exported: sentinel")

// Limit is a mutable setting every user shares: refused.
var Limit = 10

// Generated stands for generated code a caller exempts by name.
var Generated = "abi"

var (
	hidden int
	// Also is refused even inside a group.
	Also, also2 = 1, 2
)

func use() int { return hidden + also2 }
