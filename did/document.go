package did

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/iotrust/iotrust/canon"
	"github.com/mr-tron/base58"
)

// JSON-LD contexts of the documents Resolve produces.
const (
	ContextDIDv1      = "https://www.w3.org/ns/did/v1"
	ContextMultikeyV1 = "https://w3id.org/security/multikey/v1"
	ContextJWS2020    = "https://w3id.org/security/suites/jws-2020/v1"
)

// Verification method types this package reads keys from.
const (
	TypeMultikey                   = "Multikey"
	TypeJSONWebKey2020             = "JsonWebKey2020"
	TypeJSONWebKey                 = "JsonWebKey"
	TypeEd25519VerificationKey2018 = "Ed25519VerificationKey2018"
	TypeEd25519VerificationKey2020 = "Ed25519VerificationKey2020"
)

// Limits on DID documents from untrusted sources.
const (
	// MaxDocumentSize is the largest DID document ParseDocument reads.
	MaxDocumentSize = 64 << 10
	// MaxVerificationMethods is the most verification methods a document
	// may hold, embedded ones included.
	MaxVerificationMethods = 32
)

// ErrInvalidDocument is returned for a DID document that is not valid JSON,
// lacks required members, or holds a malformed verification method.
var ErrInvalidDocument = errors.New("did: invalid DID document")

// Relationship is a verification relationship of DID Core §5.3: what a
// verification method is trusted for.
type Relationship string

// The verification relationships of DID Core.
const (
	Authentication       Relationship = "authentication"
	AssertionMethod      Relationship = "assertionMethod"
	CapabilityInvocation Relationship = "capabilityInvocation"
	CapabilityDelegation Relationship = "capabilityDelegation"
	KeyAgreement         Relationship = "keyAgreement"
)

// VerificationMethod is one key of a DID document. Exactly one of the
// key members is set, according to Type.
type VerificationMethod struct {
	ID                 string `json:"id"`
	Type               string `json:"type"`
	Controller         string `json:"controller"`
	PublicKeyMultibase string `json:"publicKeyMultibase,omitempty"`
	PublicKeyBase58    string `json:"publicKeyBase58,omitempty"`
	PublicKeyJWK       *JWK   `json:"publicKeyJwk,omitempty"`

	key    PublicKey
	keyErr error
}

// PublicKey returns the method's key. Methods of types this package does
// not read keys from (X25519 key agreement keys, for instance) return
// ErrUnsupportedKeyType.
func (vm *VerificationMethod) PublicKey() (PublicKey, error) {
	if vm.key == nil && vm.keyErr == nil {
		vm.key, vm.keyErr = vm.decodeKey()
	}
	return vm.key, vm.keyErr
}

// UnmarshalJSON reads one verification method with the rules of
// ParseDocument (canon.Decode: exact member names, no unknown or duplicate
// members; at most one key member, a JWK read by ParseJWK). Its key is
// decoded and checked when PublicKey is called; ids are kept as written,
// since a method alone has no document to resolve relative ids against.
func (vm *VerificationMethod) UnmarshalJSON(raw []byte) error {
	var in methodMembers
	if err := canon.Decode(raw, &in); err != nil {
		return fmt.Errorf("%w: verification method: %w", ErrInvalidDocument, err)
	}
	v, err := in.method(in.ID)
	if err != nil {
		return err
	}
	*vm = v
	return nil
}

// method makes the VerificationMethod of m, with id as its id, checking
// that it has at most one key member and reading its JWK strictly.
func (m *methodMembers) method(id string) (VerificationMethod, error) {
	vm := VerificationMethod{
		ID:                 id,
		Type:               m.Type,
		Controller:         m.Controller,
		PublicKeyMultibase: m.PublicKeyMultibase,
		PublicKeyBase58:    m.PublicKeyBase58,
	}
	keyMembers := 0
	for _, set := range []bool{m.PublicKeyMultibase != "", m.PublicKeyBase58 != "", len(m.PublicKeyJWK) > 0} {
		if set {
			keyMembers++
		}
	}
	if keyMembers > 1 {
		return VerificationMethod{}, fmt.Errorf("%w: verification method %s has %d key members, want one", ErrInvalidDocument, truncate(id), keyMembers)
	}
	if len(m.PublicKeyJWK) > 0 {
		j, err := ParseJWK(m.PublicKeyJWK)
		if err != nil {
			return VerificationMethod{}, fmt.Errorf("%w: verification method %s: %w", ErrInvalidDocument, truncate(id), inner(err))
		}
		vm.PublicKeyJWK = &j
	}
	return vm, nil
}

// Document is a DID document (W3C DID Core 1.0). Relationship members hold
// the absolute ids of verification methods; methods embedded in a
// relationship are moved into VerificationMethod when parsed.
type Document struct {
	Context              []string             `json:"@context"`
	ID                   string               `json:"id"`
	VerificationMethod   []VerificationMethod `json:"verificationMethod"`
	Authentication       []string             `json:"authentication,omitempty"`
	AssertionMethod      []string             `json:"assertionMethod,omitempty"`
	CapabilityInvocation []string             `json:"capabilityInvocation,omitempty"`
	CapabilityDelegation []string             `json:"capabilityDelegation,omitempty"`
	KeyAgreement         []string             `json:"keyAgreement,omitempty"`
}

// Resolve returns the DID document of a did:key or did:jwk DID, offline.
// did:key documents are in the current form of the did:key specification
// (one Multikey method with publicKeyMultibase, contexts DID v1 and
// Multikey v1); did:jwk documents follow the did:jwk specification (one
// JsonWebKey2020 method "#0"). Other methods fail with ErrUnsupportedMethod.
func Resolve(did string) (*Document, error) {
	d, fragment, err := SplitURL(did)
	if err != nil {
		return nil, err
	}
	if fragment != "" {
		return nil, fmt.Errorf("%w: %q is a DID URL, not a DID", ErrInvalidDID, truncate(did))
	}
	k, err := ResolveKey(d)
	if err != nil {
		return nil, err
	}
	vmID, _ := VerificationMethodID(d) // cannot fail after ResolveKey
	vm := VerificationMethod{ID: vmID, Controller: d, key: k}
	doc := &Document{ID: d}
	if m, _ := Method(d); m == "key" {
		doc.Context = []string{ContextDIDv1, ContextMultikeyV1}
		vm.Type = TypeMultikey
		vm.PublicKeyMultibase, _ = multikey(k)
	} else {
		doc.Context = []string{ContextDIDv1, ContextJWS2020}
		vm.Type = TypeJSONWebKey2020
		j, err := NewJWK(k)
		if err != nil {
			return nil, err
		}
		vm.PublicKeyJWK = &j
	}
	doc.VerificationMethod = []VerificationMethod{vm}
	refs := []string{vmID}
	doc.Authentication, doc.AssertionMethod = refs, refs
	doc.CapabilityInvocation, doc.CapabilityDelegation = refs, refs
	return doc, nil
}

// Key returns the key of the verification method id (absolute, or "#frag"
// relative to the document) if the document lists it under rel.
func (d *Document) Key(id string, rel Relationship) (PublicKey, error) {
	if strings.HasPrefix(id, "#") {
		id = d.ID + id
	}
	listed := false
	for _, r := range d.relationship(rel) {
		listed = listed || r == id
	}
	if !listed {
		return nil, fmt.Errorf("%w: %q is not listed under %s of %s", ErrUnknownVerificationMethod, truncate(id), rel, truncate(d.ID))
	}
	for i := range d.VerificationMethod {
		if d.VerificationMethod[i].ID == id {
			return d.VerificationMethod[i].PublicKey()
		}
	}
	return nil, fmt.Errorf("%w: %q in %s", ErrUnknownVerificationMethod, truncate(id), truncate(d.ID))
}

func (d *Document) relationship(rel Relationship) []string {
	switch rel {
	case Authentication:
		return d.Authentication
	case AssertionMethod:
		return d.AssertionMethod
	case CapabilityInvocation:
		return d.CapabilityInvocation
	case CapabilityDelegation:
		return d.CapabilityDelegation
	case KeyAgreement:
		return d.KeyAgreement
	}
	return nil
}

// documentMembers is the one spelling of a DID document ParseDocument
// accepts: the members of DID Core §5 and the pre-DID-Core "publicKey",
// named exactly so. "controller", "alsoKnownAs" and "service" are accepted
// and not kept: nothing here acts on them.
type documentMembers struct {
	Context              json.RawMessage   `json:"@context"`
	ID                   string            `json:"id"`
	Controller           json.RawMessage   `json:"controller"`
	AlsoKnownAs          json.RawMessage   `json:"alsoKnownAs"`
	Service              json.RawMessage   `json:"service"`
	VerificationMethod   []json.RawMessage `json:"verificationMethod"`
	PublicKey            []json.RawMessage `json:"publicKey"`
	Authentication       []json.RawMessage `json:"authentication"`
	AssertionMethod      []json.RawMessage `json:"assertionMethod"`
	CapabilityInvocation []json.RawMessage `json:"capabilityInvocation"`
	CapabilityDelegation []json.RawMessage `json:"capabilityDelegation"`
	KeyAgreement         []json.RawMessage `json:"keyAgreement"`
}

// methodMembers is the one spelling of a verification method.
type methodMembers struct {
	ID                 string          `json:"id"`
	Type               string          `json:"type"`
	Controller         string          `json:"controller"`
	PublicKeyMultibase string          `json:"publicKeyMultibase"`
	PublicKeyBase58    string          `json:"publicKeyBase58"`
	PublicKeyJWK       json.RawMessage `json:"publicKeyJwk"`
}

// ParseDocument parses a DID document from an untrusted source. It accepts
// the current form (Multikey) and the older ones (Ed25519VerificationKey2018
// with publicKeyBase58, Ed25519VerificationKey2020, JsonWebKey2020, the
// pre-DID-Core "publicKey" member, ids relative to the document), checks
// every id, and decodes every key of a supported type, so a document that
// parses holds no malformed or weak key.
//
// It reads one spelling of a document, through canon.Decode: one JSON
// object with nothing after it, no duplicate member anywhere, and member
// names exactly as DID Core spells them. The document members accepted are
// @context, id, controller, alsoKnownAs, service, verificationMethod,
// publicKey, authentication, assertionMethod, capabilityInvocation,
// capabilityDelegation and keyAgreement; a verification method's are id,
// type, controller, and one key member: publicKeyMultibase,
// publicKeyBase58 or publicKeyJwk (read by ParseJWK). Any other member,
// a case variant included, is refused (canon.ErrUnknownMember). Sizes are
// bounded by MaxDocumentSize and MaxVerificationMethods. Every error wraps
// ErrInvalidDocument.
func ParseDocument(raw []byte) (*Document, error) {
	if len(raw) > MaxDocumentSize {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrInvalidDocument, len(raw), MaxDocumentSize)
	}
	var in documentMembers
	if err := canon.Decode(raw, &in); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDocument, err)
	}
	if _, _, err := splitDID(in.ID); err != nil {
		return nil, fmt.Errorf("%w: id: %w", ErrInvalidDocument, inner(err))
	}
	doc := &Document{ID: in.ID}
	var err error
	if doc.Context, err = parseContext(in.Context); err != nil {
		return nil, err
	}
	for _, m := range append(in.VerificationMethod, in.PublicKey...) {
		if err := doc.addMethod(m); err != nil {
			return nil, err
		}
	}
	for _, r := range []struct {
		dst *[]string
		src []json.RawMessage
	}{
		{&doc.Authentication, in.Authentication},
		{&doc.AssertionMethod, in.AssertionMethod},
		{&doc.CapabilityInvocation, in.CapabilityInvocation},
		{&doc.CapabilityDelegation, in.CapabilityDelegation},
		{&doc.KeyAgreement, in.KeyAgreement},
	} {
		for _, ref := range r.src {
			id, err := doc.addReference(ref)
			if err != nil {
				return nil, err
			}
			*r.dst = append(*r.dst, id)
		}
	}
	return doc, nil
}

// UnmarshalJSON reads a document as ParseDocument does, so that decoding a
// Document with encoding/json is as strict as ParseDocument.
func (d *Document) UnmarshalJSON(raw []byte) error {
	doc, err := ParseDocument(raw)
	if err != nil {
		return err
	}
	*d = *doc
	return nil
}

// parseContext keeps the context URLs; embedded context objects (such as
// the {"@base": ...} of older did:key documents) matter only to JSON-LD
// processing, and relative ids are resolved here already. A single string
// is read as a list of one, under the same rules.
func parseContext(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 {
		return nil, fmt.Errorf("%w: no @context", ErrInvalidDocument)
	}
	many := []json.RawMessage{raw}
	if raw[0] != '"' {
		many = nil
		if err := canon.Decode(raw, &many); err != nil {
			return nil, fmt.Errorf("%w: @context: %w", ErrInvalidDocument, err)
		}
	}
	var out []string
	for _, c := range many {
		switch c[0] {
		case '"':
			var one string
			if err := canon.Decode(c, &one); err != nil {
				return nil, fmt.Errorf("%w: @context: %w", ErrInvalidDocument, err)
			}
			out = append(out, one)
		case '{':
		default:
			return nil, fmt.Errorf("%w: @context entry %.20s is neither a URL nor a context object", ErrInvalidDocument, c)
		}
	}
	if len(out) == 0 || out[0] != ContextDIDv1 && out[0] != "https://w3id.org/did/v1" {
		return nil, fmt.Errorf("%w: @context does not start with %s", ErrInvalidDocument, ContextDIDv1)
	}
	return out, nil
}

// addReference resolves one relationship entry: a method id, or an
// embedded method that is added to the document.
func (d *Document) addReference(ref json.RawMessage) (string, error) {
	if len(ref) > 0 && ref[0] == '"' {
		var id string
		if err := canon.Decode(ref, &id); err != nil {
			return "", fmt.Errorf("%w: reference: %w", ErrInvalidDocument, err)
		}
		id = d.absolute(id)
		if _, frag, err := SplitURL(id); err != nil || frag == "" {
			return "", fmt.Errorf("%w: reference %q is not a DID URL with a fragment", ErrInvalidDocument, truncate(id))
		}
		return id, nil
	}
	if err := d.addMethod(ref); err != nil {
		return "", err
	}
	return d.VerificationMethod[len(d.VerificationMethod)-1].ID, nil
}

func (d *Document) absolute(id string) string {
	if strings.HasPrefix(id, "#") {
		return d.ID + id
	}
	return id
}

func (d *Document) addMethod(raw json.RawMessage) error {
	if len(d.VerificationMethod) >= MaxVerificationMethods {
		return fmt.Errorf("%w: more than %d verification methods", ErrInvalidDocument, MaxVerificationMethods)
	}
	var in methodMembers
	if err := canon.Decode(raw, &in); err != nil {
		return fmt.Errorf("%w: verification method: %w", ErrInvalidDocument, err)
	}
	vm, err := in.method(d.absolute(in.ID))
	if err != nil {
		return err
	}
	if _, frag, err := SplitURL(vm.ID); err != nil || frag == "" {
		return fmt.Errorf("%w: verification method id %q is not a DID URL with a fragment", ErrInvalidDocument, truncate(vm.ID))
	}
	if _, _, err := splitDID(vm.Controller); err != nil {
		return fmt.Errorf("%w: controller of %s: %w", ErrInvalidDocument, truncate(vm.ID), inner(err))
	}
	if vm.Type == "" {
		return fmt.Errorf("%w: verification method %s has no type", ErrInvalidDocument, truncate(vm.ID))
	}
	for _, o := range d.VerificationMethod {
		if o.ID == vm.ID {
			return fmt.Errorf("%w: verification method %s appears twice", ErrInvalidDocument, truncate(vm.ID))
		}
	}
	vm.key, vm.keyErr = vm.decodeKey()
	if vm.keyErr != nil && !errors.Is(vm.keyErr, ErrUnsupportedKeyType) {
		return fmt.Errorf("%w: verification method %s: %w", ErrInvalidDocument, truncate(vm.ID), inner(vm.keyErr))
	}
	d.VerificationMethod = append(d.VerificationMethod, vm)
	return nil
}

// decodeKey reads the key of vm according to its type.
func (vm *VerificationMethod) decodeKey() (PublicKey, error) {
	switch vm.Type {
	case TypeMultikey:
		return parseMultikey(vm.PublicKeyMultibase)
	case TypeEd25519VerificationKey2020:
		k, err := parseMultikey(vm.PublicKeyMultibase)
		if err == nil && k.Scheme() != Ed25519 {
			err = fmt.Errorf("%w: %s holds a %s key", ErrInvalidKey, vm.Type, k.Scheme().Name())
		}
		return k, err
	case TypeEd25519VerificationKey2018:
		if len(vm.PublicKeyBase58) > 64 {
			return nil, fmt.Errorf("%w: publicKeyBase58 of %d characters", ErrInvalidKey, len(vm.PublicKeyBase58))
		}
		raw, err := base58.Decode(vm.PublicKeyBase58)
		if err != nil {
			return nil, fmt.Errorf("%w: publicKeyBase58: %w", ErrInvalidKey, err)
		}
		if base58.Encode(raw) != vm.PublicKeyBase58 {
			return nil, fmt.Errorf("%w: publicKeyBase58 is not in its one base58 spelling", ErrInvalidKey)
		}
		return Ed25519.UnmarshalPublicKey(raw)
	case TypeJSONWebKey2020, TypeJSONWebKey:
		if vm.PublicKeyJWK == nil {
			return nil, fmt.Errorf("%w: %s without publicKeyJwk", ErrInvalidKey, vm.Type)
		}
		return vm.PublicKeyJWK.PublicKey()
	}
	return nil, fmt.Errorf("%w: verification method type %q", ErrUnsupportedKeyType, truncate(vm.Type))
}
