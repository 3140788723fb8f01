package audit

import (
	"os"
	"testing"

	"github.com/iotrust/iotrust/quiet"
)

func TestMain(m *testing.M) {
	// Tessera logs through klog's global logger; keep test output readable.
	quiet.Libraries()
	os.Exit(m.Run())
}
