package nilable_test

import (
	"fmt"
	"io"
	"os"

	"github.com/iotrust/iotrust/internal/nilable"
)

func Example() {
	var f *os.File // never opened
	var w io.Writer = f
	fmt.Println(w == nil, nilable.Is(w), nilable.Is(io.Discard))
	// Output: false true false
}
