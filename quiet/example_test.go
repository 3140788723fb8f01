package quiet_test

import (
	"fmt"

	"k8s.io/klog/v2"

	"github.com/iotrust/iotrust/quiet"
)

// A program silences the libraries' global loggers once, at start.
func Example() {
	quiet.Libraries()
	klog.Info("Tessera would say this") // goes nowhere
	fmt.Println("only the program's own output")
	// Output: only the program's own output
}
