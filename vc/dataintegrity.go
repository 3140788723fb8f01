package vc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/vc/internal/eddsardfc"
	"github.com/iotrust/iotrust/vc/internal/rdfc"
	"github.com/iotrust/iotrust/vc/ldcontext"
)

// The @context lists a Data Integrity credential may carry: exactly these,
// in this order, so that every member read here is defined by a context
// this package holds.
var diContexts = [][]string{
	{ldcontext.CredentialsV2, ldcontext.DeviceV1},
	{ldcontext.CredentialsV2, ldcontext.DeviceV1, ldcontext.ClaimsV1},
}

// readMembers are the member names this package reads from a Data
// Integrity document. A member that matches one of them only under case
// folding ("Issuer", "ProofPurpose") is refused outright, whether or not a
// context would define it.
var readMembers = func() map[string]string {
	m := map[string]string{}
	for _, t := range []any{credentialBody{}, deviceSubject{}, Roles{}, statusEntryJSON{}, statusListSubjectJSON{}, eddsardfc.Proof{}} {
		for name := range jsonNames(reflect.TypeOf(t)) {
			m[strings.ToLower(name)] = name
		}
	}
	m["proof"] = "proof"
	return m
}()

// openDataIntegrity checks a VC 2.0 credential with one eddsa-rdfc-2022
// proof of purpose assertionMethod.
func (v *Verifier) openDataIntegrity(ctx context.Context, raw []byte) (*envelope, error) {
	doc, proof, err := v.decodeSecured(raw, "assertionMethod")
	if err != nil {
		return nil, err
	}
	env := &envelope{format: FormatDataIntegrity, keyID: proof.VerificationMethod, ld: true}
	// Project from the bytes, not from doc: doc holds numbers as float64,
	// and re-encoding it would turn a claim 1.1e4 or 11000.0 into 11000,
	// which Claims refuses in a JWT. Projected from the bytes, a claim
	// meets the same rule in both formats.
	if err := decodeMember(raw, &env.body, true, "credential"); err != nil {
		return nil, err
	}
	env.issuer = string(env.body.Issuer)
	signer, err := didOf(proof.VerificationMethod)
	if err != nil {
		return nil, err
	}
	if env.issuer == "" || env.issuer != signer {
		return nil, fmt.Errorf("%w: verificationMethod %q, issuer %q", ErrSignerNotIssuer, trunc(proof.VerificationMethod), trunc(env.issuer))
	}
	if env.body.IssuanceDate != "" || env.body.ExpirationDate != "" {
		return nil, fmt.Errorf("%w: a VC 2.0 credential carries issuanceDate or expirationDate", ErrMalformed)
	}
	if env.validFrom, env.validUntil, err = validity(nil, &env.body); err != nil {
		return nil, err
	}
	if env.key, err = v.checkDataIntegrity(ctx, doc, proof); err != nil {
		return nil, err
	}
	return env, nil
}

// decodeSecured parses a JSON document with a single Data Integrity proof
// of the given purpose: one JSON object, no duplicate members at any
// depth, no case variants of the members read here, an @context from
// diContexts, and a proof with exactly the members of eddsardfc.Proof. It
// returns the document without its proof.
func (v *Verifier) decodeSecured(raw []byte, purpose string) (map[string]any, eddsardfc.Proof, error) {
	var doc map[string]any
	var proof eddsardfc.Proof
	limits := canon.Limits{MaxBytes: MaxCredentialSize, MaxDepth: 32}
	if err := limits.Decode(raw, &doc); err != nil {
		return nil, proof, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if doc == nil {
		return nil, proof, fmt.Errorf("%w: not a JSON object", ErrMalformed)
	}
	if err := checkCaseVariants(doc, ""); err != nil {
		return nil, proof, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if err := v.checkContext(doc["@context"]); err != nil {
		return nil, proof, err
	}
	pm, ok := doc["proof"].(map[string]any)
	if !ok {
		return nil, proof, fmt.Errorf("%w: proof is missing or not a single object", ErrMalformed)
	}
	delete(doc, "proof")
	pb, err := json.Marshal(pm)
	if err != nil {
		return nil, proof, fmt.Errorf("%w: proof: %w", ErrInternal, err)
	}
	if err := canon.Decode(pb, &proof); err != nil {
		return nil, proof, fmt.Errorf("%w: proof: %w", ErrMalformed, err)
	}
	if proof.Type != eddsardfc.ProofType || proof.Cryptosuite != eddsardfc.Cryptosuite {
		return nil, proof, fmt.Errorf("%w: proof %q / %q", ErrUnsupportedAlgorithm, trunc(proof.Type), trunc(proof.Cryptosuite))
	}
	if proof.ProofPurpose != purpose {
		return nil, proof, fmt.Errorf("%w: %q, want %q", ErrProofPurpose, trunc(proof.ProofPurpose), purpose)
	}
	if proof.Created != "" {
		if _, err := time.Parse(time.RFC3339, proof.Created); err != nil {
			return nil, proof, fmt.Errorf("%w: proof created %q", ErrMalformed, trunc(proof.Created))
		}
	}
	return doc, proof, nil
}

// checkCaseVariants refuses a member whose name equals one read here under
// case folding but not exactly. The claims object is a JSON literal, not
// JSON-LD, and is checked when decoded.
func checkCaseVariants(v any, path string) error {
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			if err := checkCaseVariants(e, path); err != nil {
				return err
			}
		}
	case map[string]any:
		for k, e := range t {
			if want, ok := readMembers[strings.ToLower(k)]; ok && want != k {
				return &canon.DecodeError{Path: path + "/" + k, Offset: -1, Err: fmt.Errorf("%w %q (a case variant of %q)", canon.ErrUnknownMember, trunc(k), want)}
			}
			if k == "claims" {
				continue
			}
			if err := checkCaseVariants(e, path+"/"+k); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkContext requires @context to be one of diContexts.
func (v *Verifier) checkContext(got any) error {
	list, ok := got.([]any)
	if !ok {
		return fmt.Errorf("%w: @context is not an array", ErrMalformed)
	}
	names := make([]string, len(list))
	for i, c := range list {
		s, ok := c.(string)
		if !ok {
			return fmt.Errorf("%w: embedded @context objects are not accepted", ErrMalformed)
		}
		if !v.loader.Has(s) {
			return fmt.Errorf("%w: %q", ErrUnknownContext, trunc(s))
		}
		names[i] = s
	}
	for _, want := range diContexts {
		if slices.Equal(names, want) {
			return nil
		}
	}
	return fmt.Errorf("%w: @context %v, want one of %v", ErrMalformed, names, diContexts)
}

// checkDataIntegrity verifies the proof over doc with the key its
// verificationMethod resolves to.
func (v *Verifier) checkDataIntegrity(ctx context.Context, doc map[string]any, proof eddsardfc.Proof) (did.PublicKey, error) {
	key, err := v.resolveSigner(ctx, proof.VerificationMethod, "EdDSA")
	if err != nil {
		return nil, err
	}
	if err := eddsardfc.Verify(ctx, doc, proof, key.Verify, v.loader); err != nil {
		return nil, diError(err)
	}
	return key, nil
}

// diError maps an error of the Data Integrity suite to this package's
// sentinels, keeping the detail but not the lower layers' own names for
// the same failure.
func diError(err error) error {
	var sentinel error
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, rdfc.ErrTooComplex):
		sentinel = ErrTooComplex
	case errors.Is(err, eddsardfc.ErrUndefinedTerm):
		sentinel = ErrUndefinedTerm
	case errors.Is(err, ldcontext.ErrUnknownContext):
		sentinel = ErrUnknownContext
	case errors.Is(err, eddsardfc.ErrProof):
		sentinel = ErrBadSignature
	default:
		sentinel = ErrMalformed
	}
	detail := err.Error()
	for range 2 {
		for _, prefix := range []error{eddsardfc.ErrCanonicalize, eddsardfc.ErrUndefinedTerm, eddsardfc.ErrProof, rdfc.ErrTooComplex, rdfc.ErrInvalidTerm} {
			detail = strings.TrimPrefix(detail, prefix.Error()+": ")
		}
	}
	return fmt.Errorf("%w: %s", sentinel, detail)
}
