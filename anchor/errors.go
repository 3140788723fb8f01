package anchor

import "github.com/iotrust/iotrust/anchor/internal/errchain"

// wrap returns an error matching outer and inner that reads without
// repeating the "anchor: " prefix (see errchain).
func wrap(outer, inner error) error { return errchain.Wrap(outer, inner) }
