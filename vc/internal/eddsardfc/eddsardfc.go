package eddsardfc

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/mr-tron/base58"
	"github.com/piprate/json-gold/ld"
)

// Names from the specification.
const (
	ProofType   = "DataIntegrityProof"
	Cryptosuite = "eddsa-rdfc-2022"
)

// Errors. Canonicalization also fails with rdfc.ErrTooComplex (a document
// beyond the limits, or a poison graph) and with the loader's
// ldcontext.ErrUnknownContext; both are wrapped.
var (
	// ErrCanonicalize: the document is not JSON-LD this suite signs (a
	// JSON-LD error, a nested or embedded context, a raw keyword, a
	// non-integer number, control characters).
	ErrCanonicalize = errors.New("eddsardfc: cannot canonicalize")
	// ErrUndefinedTerm: JSON-LD processing would drop part of the document
	// (a member its contexts do not define, an undefined type, a relative
	// IRI, a null), so that part would ride along unsigned.
	ErrUndefinedTerm = errors.New("eddsardfc: document holds data its signature would not cover")
	// ErrProof: the proof is malformed or its signature does not verify.
	ErrProof = errors.New("eddsardfc: invalid proof")
)

// Proof is a DataIntegrityProof object.
type Proof struct {
	Type               string `json:"type"`
	Cryptosuite        string `json:"cryptosuite"`
	Created            string `json:"created,omitempty"`
	VerificationMethod string `json:"verificationMethod"`
	ProofPurpose       string `json:"proofPurpose"`
	Challenge          string `json:"challenge,omitempty"`
	Domain             string `json:"domain,omitempty"`
	ProofValue         string `json:"proofValue,omitempty"`
}

// Map returns p as a JSON object (proofValue included when set).
func (p Proof) Map() map[string]any {
	m := map[string]any{
		"type":               p.Type,
		"cryptosuite":        p.Cryptosuite,
		"verificationMethod": p.VerificationMethod,
		"proofPurpose":       p.ProofPurpose,
	}
	for k, v := range map[string]string{"created": p.Created, "challenge": p.Challenge, "domain": p.Domain, "proofValue": p.ProofValue} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

// HashData returns SHA-256(canonical proof configuration) ‖
// SHA-256(canonical document): the 64 bytes that are signed. doc must not
// hold a "proof"; p.ProofValue is ignored. The proof configuration takes the
// document's @context, as the specification requires.
func HashData(ctx context.Context, doc map[string]any, p Proof, loader ld.DocumentLoader) ([]byte, error) {
	if _, ok := doc["proof"]; ok {
		return nil, fmt.Errorf("%w: document still holds a proof", ErrProof)
	}
	p.ProofValue = ""
	cfg := p.Map()
	cfg["@context"] = doc["@context"]
	cfgCanon, err := Canonicalize(ctx, cfg, loader)
	if err != nil {
		return nil, err
	}
	docCanon, err := Canonicalize(ctx, doc, loader)
	if err != nil {
		return nil, err
	}
	ch := sha256.Sum256(cfgCanon)
	dh := sha256.Sum256(docCanon)
	return append(ch[:], dh[:]...), nil
}

// Sign returns p with its ProofValue set: the base58btc multibase of the
// Ed25519 signature sign makes over HashData.
func Sign(ctx context.Context, doc map[string]any, p Proof, sign func([]byte) ([]byte, error), loader ld.DocumentLoader) (Proof, error) {
	p.Type, p.Cryptosuite = ProofType, Cryptosuite
	msg, err := HashData(ctx, doc, p, loader)
	if err != nil {
		return Proof{}, err
	}
	sig, err := sign(msg)
	if err != nil {
		return Proof{}, fmt.Errorf("eddsardfc: signing: %w", err)
	}
	p.ProofValue = "z" + base58.Encode(sig)
	return p, nil
}

// Verify checks p over doc (doc without its "proof") with verify, which
// must check an Ed25519 signature under the key p.VerificationMethod names.
func Verify(ctx context.Context, doc map[string]any, p Proof, verify func(msg, sig []byte) bool, loader ld.DocumentLoader) error {
	if p.Type != ProofType || p.Cryptosuite != Cryptosuite {
		return fmt.Errorf("%w: type %q cryptosuite %q", ErrProof, p.Type, p.Cryptosuite)
	}
	if len(p.ProofValue) < 2 || p.ProofValue[0] != 'z' || len(p.ProofValue) > 128 {
		return fmt.Errorf("%w: proofValue is not base58btc multibase", ErrProof)
	}
	sig, err := base58.Decode(p.ProofValue[1:])
	if err != nil || len(sig) != 64 {
		return fmt.Errorf("%w: proofValue does not hold a 64-byte signature", ErrProof)
	}
	msg, err := HashData(ctx, doc, p, loader)
	if err != nil {
		return err
	}
	if !verify(msg, sig) {
		return fmt.Errorf("%w: signature does not verify", ErrProof)
	}
	return nil
}
