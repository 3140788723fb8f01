package tlog_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	fnote "github.com/transparency-dev/formats/note"
	"github.com/transparency-dev/tessera"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/anchortest"
	"github.com/iotrust/iotrust/anchor/tlog"
)

// envLitewitness names the litewitness binary (filippo.io/torchwood
// cmd/litewitness, a c2sp.org/tlog-witness implementation) the witness
// tests run as a child process; without it they skip.
// .ci/steps/52-tlog-mariadb.sh builds it from the Go module proxy.
// The tests also need the sqlite3 command, to register the log in the
// witness's database as its witnessctl would.
const envLitewitness = "IOTRUST_LITEWITNESS"

// litewitness is a running litewitness child process on loopback.
type litewitness struct {
	name   string
	url    string
	vkey   string // cosignature/v1 verifier key, computed from the key here
	logged string // the verifier key the witness printed
	cmd    *exec.Cmd
	stderr *syncBuffer
	args   []string
}

// startLitewitness starts a witness that knows the log of logVKey, with a
// fresh Ed25519 key served to it by an in-process ssh-agent.
func startLitewitness(t *testing.T, logVKey string) *litewitness {
	t.Helper()
	bin := os.Getenv(envLitewitness)
	if bin == "" {
		t.Skipf("%s not set: no witness to test against", envLitewitness)
	}
	sqlite, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatalf("%s is set, but: %v", envLitewitness, err)
	}
	dir, err := os.MkdirTemp("", "lw") // short: unix socket paths are bounded
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })

	pub, priv, _ := ed25519.GenerateKey(nil)
	keyring := agent.NewKeyring()
	if err := keyring.Add(agent.AddedKey{PrivateKey: priv}); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "agent.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); agent.ServeAgent(keyring, c) }()
		}
	}()
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}

	w := &litewitness{name: "witness.example/" + filepath.Base(dir), vkey: cosignatureVerifierKey("witness.example/"+filepath.Base(dir), pub)}
	port := freePort(t)
	w.url = "http://" + port
	db := filepath.Join(dir, "witness.db")
	w.args = []string{"-name", w.name, "-db", db, "-ssh-agent", sock,
		"-key", ssh.FingerprintSHA256(sshPub), "-listen", port}
	w.start(t, bin)
	t.Cleanup(w.stop)

	// Register the log as witnessctl add-log and add-key do: at size 0,
	// with the empty tree's hash, and its verifier key.
	origin := strings.SplitN(logVKey, "+", 2)[0]
	empty := sha256.Sum256(nil)
	script := fmt.Sprintf("INSERT INTO log (origin, tree_size, tree_hash) VALUES ('%s', 0, '%s');\nINSERT INTO key (origin, key) VALUES ('%s', '%s');\n",
		origin, base64.StdEncoding.EncodeToString(empty[:]), origin, logVKey)
	cmd := exec.Command(sqlite, db)
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("registering the log with the witness: %v\n%s", err, out)
	}

	// The witness prints its verifier key; it must be the one computed
	// here from the public key (c2sp.org/tlog-cosignature).
	for _, line := range strings.Split(w.stderr.String(), "\n") {
		if _, v, ok := strings.Cut(line, "vkey="); ok {
			w.logged = strings.Trim(strings.Fields(v)[0], `"`)
		}
	}
	if w.logged != w.vkey {
		t.Fatalf("witness's verifier key %q, computed %q", w.logged, w.vkey)
	}
	return w
}

func (w *litewitness) start(t *testing.T, bin string) {
	t.Helper()
	w.stderr = &syncBuffer{}
	w.cmd = exec.Command(bin, w.args...)
	w.cmd.Stderr = w.stderr
	w.cmd.Stdout = w.stderr
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(w.url + "/")
		if err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			w.stop()
			t.Fatalf("litewitness did not come up: %v\n%s", err, w.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (w *litewitness) stop() {
	if w.cmd != nil && w.cmd.Process != nil {
		w.cmd.Process.Kill()
		w.cmd.Wait()
	}
}

// group returns the Tessera witness policy "this witness alone".
func (w *litewitness) group(t *testing.T) *tessera.WitnessGroup {
	t.Helper()
	u, err := url.Parse(w.url)
	if err != nil {
		t.Fatal(err)
	}
	tw, err := tessera.NewWitness(w.vkey, u)
	if err != nil {
		t.Fatal(err)
	}
	g := tessera.NewWitnessGroup(1, tw)
	return &g
}

// verifier returns the note verifier of the witness's cosignatures.
func (w *litewitness) verifier(t *testing.T) note.Verifier {
	t.Helper()
	v, err := fnote.NewVerifierForCosignatureV1(w.vkey)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// cosignatureVerifierKey computes the c2sp.org/tlog-cosignature verifier
// key of a witness: name, key hash and base64 of 0x04 and the public key,
// the key hash being the first four bytes of SHA-256(name, "\n", 0x04,
// key).
func cosignatureVerifierKey(name string, pub ed25519.PublicKey) string {
	key := append([]byte{0x04}, pub...)
	h := sha256.Sum256(append([]byte(name+"\n"), key...))
	return fmt.Sprintf("%s+%08x+%s", name, binary.BigEndian.Uint32(h[:4]), base64.StdEncoding.EncodeToString(key))
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestWitness(t *testing.T) {
	ensureWitnessBinary(t)
	testWitness(t, testConfig(t, t.TempDir()), testConfig(t, t.TempDir()))
}

func TestMySQLWitness(t *testing.T) {
	ensureWitnessBinary(t)
	testWitness(t, mysqlConfig(t, newMySQLDatabase(t), t.TempDir()), mysqlConfig(t, newMySQLDatabase(t), t.TempDir()))
}

// testWitness runs a log whose checkpoints a real witness (litewitness)
// must cosign: receipts verify under a Verifier that requires the
// cosignature and carry the witnessed time; receipts without it are
// refused; while the witness is down nothing becomes Final, and once it
// is back everything does; another log under the same key and origin (a
// split view) gets no cosignature. fork is the configuration of another
// log under the same key, on empty storage.
func testWitness(t *testing.T, cfg, fork tlog.Config) {
	logKey := testVerifierKey(t)
	w := startLitewitness(t, logKey)
	cfg.Witnesses = w.group(t)
	before := time.Now().Add(-time.Second)
	l := openTestLog(t, cfg)
	if l.VerifierKey() != logKey {
		t.Fatalf("VerifierKey() = %q, want %q", l.VerifierKey(), logKey)
	}
	rs := anchorConcurrently(t, l, seeds("witnessed", 20))
	if t.Failed() {
		t.FailNow()
	}
	f, err := l.WaitFinal(t.Context(), rs[len(rs)-1])
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now().Add(time.Second)

	plain, err := tlog.NewVerifierFromKey(logKey)
	if err != nil {
		t.Fatal(err)
	}
	strict, err := plain.RequireWitnesses(1, w.verifier(t))
	if err != nil {
		t.Fatal(err)
	}
	cp, err := strict.Verify(f)
	if err != nil {
		t.Fatalf("cosigned receipt under the witness policy: %v", err)
	}
	// litewitness timestamps in whole seconds.
	if cp.WitnessedBy.Before(before.Truncate(time.Second)) || cp.WitnessedBy.After(after) {
		t.Errorf("witnessed by %v, expected between %v and %v", cp.WitnessedBy, before, after)
	}
	var p tlog.InclusionProof
	if err := p.UnmarshalBinary(f.Proof); err != nil {
		t.Fatal(err)
	}
	// The same receipt with the cosignature line removed is refused.
	stripped := f
	var kept []string
	for _, line := range strings.SplitAfter(string(p.Checkpoint), "\n") {
		if !strings.HasPrefix(line, "— "+w.name+" ") {
			kept = append(kept, line)
		}
	}
	p.Checkpoint = []byte(strings.Join(kept, ""))
	if stripped.Proof, err = p.MarshalBinary(); err != nil {
		t.Fatal(err)
	}
	if err := plain.VerifyReceipt(t.Context(), stripped); err != nil {
		t.Fatalf("without the cosignature the log's own signature still holds: %v", err)
	}
	if _, err := strict.Verify(stripped); !errors.Is(err, anchor.ErrBadReceipt) || !errors.Is(err, tlog.ErrBadCheckpoint) {
		t.Errorf("uncosigned receipt under the witness policy: %v", err)
	}

	// The witness goes down: anchors are durable, but no checkpoint is
	// published without its cosignature, so none becomes Final.
	w.stop()
	down := anchorConcurrently(t, l, seeds("while-down", 5))
	if t.Failed() {
		t.FailNow()
	}
	wait, cancel := context.WithTimeout(t.Context(), 3*cfg.CheckpointInterval+time.Second)
	_, err = l.WaitFinal(wait, down[len(down)-1])
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitFinal while the witness is down: %v, want a timeout", err)
	}
	w.start(t, os.Getenv(envLitewitness))
	f, err = l.WaitFinal(t.Context(), down[len(down)-1])
	if err != nil {
		t.Fatalf("WaitFinal after the witness is back: %v", err)
	}
	if _, err := strict.Verify(f); err != nil {
		t.Fatalf("receipt cosigned after the witness came back: %v", err)
	}

	// A split view: a second log under the same key and origin, with
	// another history of more entries, shown to the witness over the
	// tlog-witness protocol as Tessera would. The witness answers the
	// size it cosigned (409), then refuses the consistency proof from
	// there (422): it never cosigns the fork.
	fl := openTestLog(t, fork)
	forked := anchorConcurrently(t, fl, seeds("forked", 40))
	if t.Failed() {
		t.FailNow()
	}
	if _, err := fl.WaitFinal(t.Context(), forked[len(forked)-1]); err != nil {
		t.Fatal(err)
	}
	forkCP := fl.Checkpoint()
	status, body := addCheckpoint(t, w, 0, nil, forkCP.Raw)
	if status != http.StatusConflict || strings.TrimSpace(body) != fmt.Sprint(l.Checkpoint().Size) {
		t.Fatalf("fork at old size 0: %d %q, want 409 and the size cosigned, %d", status, body, l.Checkpoint().Size)
	}
	known := l.Checkpoint().Size
	if known >= forkCP.Size {
		t.Fatalf("fork of %d entries is no larger than the witnessed %d", forkCP.Size, known)
	}
	proof, err := fl.ConsistencyProof(t.Context(), known, forkCP.Size)
	if err != nil {
		t.Fatal(err)
	}
	if status, body := addCheckpoint(t, w, known, proof, forkCP.Raw); status != http.StatusUnprocessableEntity {
		t.Fatalf("fork with a consistency proof from %d: %d %q, want 422", known, status, body)
	}
	// The honest log goes on being witnessed.
	f, err = l.WaitFinal(t.Context(), mustAnchorT(t, l, "after the fork"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := strict.Verify(f); err != nil {
		t.Fatal(err)
	}
}

// addCheckpoint makes a c2sp.org/tlog-witness add-checkpoint request and
// returns the status and body of the answer.
func addCheckpoint(t *testing.T, w *litewitness, old uint64, proof [][]byte, cp []byte) (int, string) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "old %d\n", old)
	for _, h := range proof {
		b.WriteString(base64.StdEncoding.EncodeToString(h) + "\n")
	}
	b.WriteString("\n")
	b.Write(cp)
	resp, err := http.Post(w.url+"/add-checkpoint", "text/plain", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return resp.StatusCode, string(body)
}

func mustAnchorT(t *testing.T, l *tlog.Log, seed string) anchor.Receipt {
	t.Helper()
	r, err := l.Anchor(t.Context(), anchortest.Commitment(seed))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// ensureWitnessBinary skips early, before any log is opened, when no
// witness is configured.
func ensureWitnessBinary(t *testing.T) {
	if os.Getenv(envLitewitness) == "" {
		t.Skipf("%s not set: no witness to test against", envLitewitness)
	}
}

// testVerifierKey is the verifier key of testConfig's log, computed with
// golang.org/x/mod/sumdb/note from the public key.
func testVerifierKey(t *testing.T) string {
	t.Helper()
	vkey, err := note.NewEd25519VerifierKey(testOrigin, testKey().Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	return vkey
}
