package solc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi/abigen"
)

// The compiler settings every iotrust contract is built with. They are part
// of the bytecode's identity: change one and every committed artifact must
// be regenerated.
const (
	// Version is the solc release scripts/solc installs.
	Version = "0.8.30"
	// OptimizerRuns tells the optimizer how often each opcode is expected to
	// run; anchoring and settlement contracts are called far more often than
	// they are deployed, so execution gas wins over deployment size.
	OptimizerRuns = 10000
	// EVMVersion is the target instruction set: Cancun runs on Ethereum
	// mainnet and the common L2s (PUSH0, MCOPY, transient storage).
	EVMVersion = "cancun"
)

// RequireEnv names the environment variable that turns a missing Node.js
// toolchain from a skipped check into a failed one (set by CI).
const RequireEnv = "IOTRUST_REQUIRE_SOLC"

var (
	// ErrNoToolchain is returned when node (or, before the first install,
	// npm) is not on PATH, so scripts/solc cannot run.
	ErrNoToolchain = errors.New("solc: node/npm not available")
	// ErrCompile is returned when solc reports an error for a source.
	ErrCompile = errors.New("solc: compilation failed")
	// ErrMismatch is returned by Check when a committed artifact differs
	// from what the source compiles to.
	ErrMismatch = errors.New("solc: committed artifact does not match source")
)

// Artifact is what the compiler produces for one contract.
type Artifact struct {
	// Name is the contract's name in its source.
	Name string
	// ABI is the contract's ABI as indented JSON, ending in a newline.
	ABI []byte
	// Bin is the creation bytecode in lowercase hex without 0x.
	Bin string
}

// ABIFile and BinFile are the file names an artifact is committed under.
func (a Artifact) ABIFile() string { return a.Name + ".abi" }

// BinFile is the file name of the artifact's bytecode.
func (a Artifact) BinFile() string { return a.Name + ".bin" }

// RepoRoot returns the directory holding go.mod at or above dir.
func RepoRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("solc: no go.mod above %s", dir)
		}
		dir = parent
	}
}

// Available reports whether scripts/solc can run: node is on PATH, and so
// is npm unless the compiler is already installed under .cache.
func Available(root string) error {
	if _, err := exec.LookPath("node"); err != nil {
		return fmt.Errorf("%w: %v", ErrNoToolchain, err)
	}
	installed := filepath.Join(root, ".cache", "solc-"+Version, "node_modules", ".bin", "solcjs")
	if _, err := os.Stat(installed); err == nil {
		return nil
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return fmt.Errorf("%w: %v", ErrNoToolchain, err)
	}
	return nil
}

// standardInput is solc's standard JSON input with the fixed settings.
type standardInput struct {
	Language string                       `json:"language"`
	Sources  map[string]map[string]string `json:"sources"`
	Settings struct {
		Optimizer struct {
			Enabled bool `json:"enabled"`
			Runs    int  `json:"runs"`
		} `json:"optimizer"`
		EVMVersion string `json:"evmVersion"`
		Metadata   struct {
			// "none" keeps comments and file paths out of the bytecode, so
			// editing documentation does not churn the committed artifacts.
			BytecodeHash string `json:"bytecodeHash"`
		} `json:"metadata"`
		OutputSelection map[string]map[string][]string `json:"outputSelection"`
	} `json:"settings"`
}

type standardOutput struct {
	Errors []struct {
		Severity         string `json:"severity"`
		FormattedMessage string `json:"formattedMessage"`
	} `json:"errors"`
	Contracts map[string]map[string]struct {
		ABI json.RawMessage `json:"abi"`
		EVM struct {
			Bytecode struct {
				Object string `json:"object"`
			} `json:"bytecode"`
		} `json:"evm"`
	} `json:"contracts"`
}

// Compile compiles the Solidity files in dir named by files (base names,
// e.g. "Anchor.sol") with scripts/solc under root and the fixed settings,
// and returns one Artifact per contract, sorted by name. Warnings are
// returned as text beside the artifacts.
func Compile(ctx context.Context, root, dir string, files ...string) ([]Artifact, []string, error) {
	if err := Available(root); err != nil {
		return nil, nil, err
	}
	var in standardInput
	in.Language = "Solidity"
	in.Sources = map[string]map[string]string{}
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, nil, err
		}
		// Sources are keyed by base name: where the repository is checked
		// out must not matter.
		in.Sources[filepath.Base(f)] = map[string]string{"content": string(src)}
	}
	in.Settings.Optimizer.Enabled = true
	in.Settings.Optimizer.Runs = OptimizerRuns
	in.Settings.EVMVersion = EVMVersion
	in.Settings.Metadata.BytecodeHash = "none"
	in.Settings.OutputSelection = map[string]map[string][]string{"*": {"*": {"abi", "evm.bytecode.object"}}}
	input, err := json.Marshal(in)
	if err != nil {
		return nil, nil, err
	}

	cmd := exec.CommandContext(ctx, filepath.Join(root, "scripts", "solc"), "--standard-json")
	cmd.Dir = root
	cmd.Stdin = bytes.NewReader(input)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, nil, fmt.Errorf("%w: scripts/solc: %v: %s", ErrCompile, err, strings.TrimSpace(stderr.String()))
	}
	// solcjs prints notices (e.g. about SMT solvers) before the JSON.
	out := stdout.Bytes()
	if i := bytes.IndexByte(out, '{'); i > 0 {
		out = out[i:]
	}
	var res standardOutput
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, nil, fmt.Errorf("%w: unreadable compiler output: %v", ErrCompile, err)
	}
	var warnings, errs []string
	for _, e := range res.Errors {
		if e.Severity == "error" {
			errs = append(errs, e.FormattedMessage)
		} else {
			warnings = append(warnings, e.FormattedMessage)
		}
	}
	if len(errs) > 0 {
		return nil, warnings, fmt.Errorf("%w:\n%s", ErrCompile, strings.Join(errs, "\n"))
	}
	var arts []Artifact
	for _, contracts := range res.Contracts {
		for name, c := range contracts {
			var abi bytes.Buffer
			if err := json.Indent(&abi, c.ABI, "", "  "); err != nil {
				return nil, warnings, fmt.Errorf("%w: ABI of %s: %v", ErrCompile, name, err)
			}
			abi.WriteByte('\n')
			arts = append(arts, Artifact{Name: name, ABI: abi.Bytes(), Bin: strings.ToLower(c.EVM.Bytecode.Object)})
		}
	}
	sort.Slice(arts, func(i, j int) bool { return arts[i].Name < arts[j].Name })
	return arts, warnings, nil
}

// Write stores each artifact in dir as <Name>.abi and <Name>.bin.
func Write(dir string, arts []Artifact) error {
	for _, a := range arts {
		if err := os.WriteFile(filepath.Join(dir, a.ABIFile()), a.ABI, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, a.BinFile()), []byte(a.Bin), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Check compares each artifact with the files committed in dir and returns
// ErrMismatch naming every file that differs or is missing.
func Check(dir string, arts []Artifact) error {
	var bad []string
	for _, a := range arts {
		for file, want := range map[string][]byte{a.ABIFile(): a.ABI, a.BinFile(): []byte(a.Bin)} {
			got, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil || !bytes.Equal(got, want) {
				bad = append(bad, file)
			}
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return fmt.Errorf("%w: %s (run go generate)", ErrMismatch, strings.Join(bad, ", "))
	}
	return nil
}

// CheckBinding regenerates the Go binding (abigen v2, package pkg) of the
// contract typ from typ.abi and typ.bin committed in dir, with the
// go-ethereum version in go.mod, and returns ErrMismatch if goFile in dir
// differs from it or does not deploy typ.bin.
func CheckBinding(dir, typ, pkg, goFile string) error {
	abiJSON, err := os.ReadFile(filepath.Join(dir, typ+".abi"))
	if err != nil {
		return err
	}
	bin, err := os.ReadFile(filepath.Join(dir, typ+".bin"))
	if err != nil {
		return err
	}
	want, err := abigen.BindV2([]string{typ}, []string{string(abiJSON)}, []string{string(bin)}, pkg, map[string]string{}, map[string]string{})
	if err != nil {
		return fmt.Errorf("solc: abigen %s: %w", typ, err)
	}
	got, err := os.ReadFile(filepath.Join(dir, goFile))
	if err != nil {
		return err
	}
	if string(got) != want {
		return fmt.Errorf("%w: %s is not the binding of %s.abi and %s.bin (run go generate)", ErrMismatch, goFile, typ, typ)
	}
	if !strings.Contains(want, `Bin: "0x`+strings.TrimSpace(string(bin))+`"`) {
		return fmt.Errorf("%w: %s does not deploy %s.bin", ErrMismatch, goFile, typ)
	}
	return nil
}
