package devnet_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/iotrust/iotrust/devnet"
)

// mainEnv makes the test binary run a program built on devnet.Main
// instead of the tests; its value says how the program's run ends.
const mainEnv = "DEVNET_TEST_MAIN"

func TestMain(m *testing.M) {
	if how := os.Getenv(mainEnv); how != "" {
		word := flag.String("word", "", "a word to print")
		devnet.Main("demo", func(_ context.Context, w io.Writer) error {
			fmt.Fprintf(w, "word %s\n", *word)
			if how == "fail" {
				return errors.New("a check failed")
			}
			return nil
		})
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// A program built on Main sees its flags, writes to the standard output,
// and exits with status 1 and its name and error when run fails, 0
// otherwise.
func TestMainExitStatus(t *testing.T) {
	for _, tc := range []struct {
		how  string
		code int
		out  string
	}{
		{"ok", 0, "word hello\n"},
		{"fail", 1, "word hello\ndemo: a check failed\n"},
	} {
		cmd := exec.Command(os.Args[0], "-word", "hello")
		cmd.Env = append(os.Environ(), mainEnv+"="+tc.how)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code || !strings.Contains(out.String(), tc.out) {
			t.Errorf("%s: exit status %d, output %q; want %d, %q", tc.how, code, out.String(), tc.code, tc.out)
		}
	}
}
