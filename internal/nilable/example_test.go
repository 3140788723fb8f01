package nilable_test

import (
	"fmt"
	"io"
	"os"

	"github.com/iotrust/iotrust/internal/nilable"
)

func Example() {
	var f *os.File // never opened: a typed nil, not == nil as an io.Writer
	var w io.Writer = f
	fmt.Println(nilable.Is(w), nilable.Is(io.Discard))
	// Output: true false
}
