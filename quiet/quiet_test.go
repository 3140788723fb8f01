package quiet_test

import (
	"bytes"
	"io"
	"os"
	"testing"

	"k8s.io/klog/v2"

	"github.com/iotrust/iotrust/quiet"
)

// After Libraries, klog writes nothing to stderr, not even an error.
func TestLibraries(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	quiet.Libraries()
	klog.Info("an info line")
	klog.Error("an error line")
	klog.Flush()
	os.Stderr = stderr
	w.Close()
	out, _ := io.ReadAll(r)
	if len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("klog wrote to stderr: %q", out)
	}
}
