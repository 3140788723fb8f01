package solidity

import (
	"testing"

	"github.com/iotrust/iotrust/internal/novars"
)

// The package exports no variable but error sentinels: nothing a caller
// could reassign to change how the package behaves for everyone.
// The abigen binding (a generated file, checked byte for byte against
// abigen's output in CI) is exempt: its MetaData variable is abigen's
// convention.
func TestNoExportedVariables(t *testing.T) { novars.Check(t, ".", "ReadingVerifierMetaData") }
