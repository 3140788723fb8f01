package escrow

import (
	"testing"

	"github.com/iotrust/iotrust/internal/novars"
)

// The package exports no variable but error sentinels: nothing a caller
// could reassign to change how the package behaves for everyone.
func TestNoExportedVariables(t *testing.T) { novars.Check(t, ".") }
