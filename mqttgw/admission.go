package mqttgw

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iotrust/iotrust/internal/atomicfile"

	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/vc"
)

// Defaults of AdmissionConfig.
const (
	DefaultRecheck      = 30 * time.Second
	DefaultChallengeTTL = time.Minute
	// MaxStatusListSize bounds a fetched status list credential.
	MaxStatusListSize = vc.MaxStatusListCredential
	// DefaultMaxDevices is AdmissionConfig.MaxDevices's default.
	DefaultMaxDevices = 65536
)

// Errors of admission.
var (
	// ErrAdmission: a device's presentation was refused; the vc or did
	// error that says why is wrapped.
	ErrAdmission = errors.New("mqttgw: device not admitted")
	// ErrNoCredential: the gateway holds no credential of the device.
	ErrNoCredential = errors.New("mqttgw: no credential held for the device")
	// ErrFull: a new device was refused because MaxDevices devices are
	// admitted and every one of them is held (connected); wrapped in
	// ErrAdmission.
	ErrFull = errors.New("mqttgw: every admitted device is connected (AdmissionConfig.MaxDevices)")
)

// AdmissionConfig configures an Admission.
type AdmissionConfig struct {
	// Gateway is the gateway's own DID: the verifier its challenges name
	// and the audience every presentation must have (required).
	Gateway string
	// TrustedIssuers lists the DIDs whose device credentials are accepted
	// (required: empty admits nobody).
	TrustedIssuers []string
	// Keys resolves device and issuer keys (default did.NewKeyCache(4096,
	// nil, 0): did:key and did:jwk). A gateway with a did.Registry passes
	// did.NewKeyCache(n, did.KeyResolvers{registry, did.SelfCertifying{}},
	// ttl) here and in batch.Config.Keys: a revoked key is then refused
	// within ttl, by admission, by Refresh and by the gateway's signature
	// check of every reading.
	Keys did.KeyResolver
	// CheckKeys makes admission and Refresh ask Keys whether each issuer
	// and holder key is still its DID's current key
	// (vc.RegistryKeyStatus(Keys, true)); set it when Keys has a registry.
	CheckKeys bool
	// FetchStatus fetches the status list credential at url (default: an
	// FetchStatusHTTP). It is asked
	// only for lists named by credentials whose signature, issuer and
	// validity have been verified.
	FetchStatus func(ctx context.Context, url string) ([]byte, error)
	// Recheck is how often Run re-fetches the status lists and re-checks
	// every admitted device's credentials and key (default 30 s). It bounds
	// how long a revocation takes to stop a device: see the package doc.
	Recheck time.Duration
	// StatusMaxAge is how old a status list may grow, counted from its
	// issuance (its validFrom), before credentials that depend on it are
	// refused (default 2 × Recheck): revocation fails closed, and a list
	// replayed by the network is no fresher than when it was signed. The
	// issuer must re-sign each list, without backdating it by as much, at
	// least this often (see vc.StatusCache). Issuance times are whole
	// seconds, so a StatusMaxAge of a second or less (a sub-second Recheck's
	// default) finds every list stale: set it explicitly then.
	StatusMaxAge time.Duration
	// ChallengeTTL is how long a challenge may be answered (default 1 min).
	ChallengeTTL time.Duration
	// MaxDevices bounds how many devices are admitted at once (default
	// DefaultMaxDevices). Admitting one more drops, of the devices not
	// held (see Admission.Hold: the embedded broker holds every connected
	// device), the one whose latest admission or release is the oldest:
	// its readings are refused until it presents its credentials again,
	// its credential file stays in Dir (Credential still returns it), and
	// Stats counts it as evicted. When every admitted device is held, a
	// new device is refused with ErrFull instead. At NewAdmission, Dir's
	// most recently admitted devices are admitted again, up to MaxDevices.
	MaxDevices int
	// ClockSkew widens credential validity windows (default 0).
	ClockSkew time.Duration
	// Dir, if set, keeps the credentials of admitted devices across
	// restarts: NewAdmission admits again those that still verify, and
	// evidence bundles carry them.
	Dir string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives operational messages (default: discarded).
	Logger *slog.Logger
}

// Admission admits devices to a gateway: it issues challenges, verifies the
// presentations that answer them (signature, trusted issuer, validity,
// revocation, holder = subject, single-use nonce), feeds the verified
// credentials to a vc.Authorizer that the gateway asks on every reading,
// and re-checks admitted devices on a timer so that revocations take effect
// without a restart. Safe for concurrent use.
type Admission struct {
	cfg      AdmissionConfig
	auth     *did.Authenticator
	verifier *vc.Verifier
	authz    *vc.Authorizer
	status   *vc.StatusCache
	log      *slog.Logger

	mu      sync.Mutex
	devices map[string]*admitted // by DID
	order   list.List            // of the *admitted not held, least recently admitted or released first
	lists   map[string]int       // status list URL → how many admitted devices use it
	holds   map[string]int       // device → holds (Hold) not released, admitted or not

	admits, refusals, dropped, evicted atomic.Uint64
}

type admitted struct {
	device string
	raws   [][]byte
	creds  []*vc.VerifiedCredential
	at     *list.Element // in Admission.order; nil while the device is held
}

// NewAdmission returns an Admission for cfg, admitting again the devices
// whose credentials Dir holds and that still verify.
func NewAdmission(ctx context.Context, cfg AdmissionConfig) (*Admission, error) {
	if _, _, err := did.SplitURL(cfg.Gateway); err != nil {
		return nil, fmt.Errorf("mqttgw: AdmissionConfig.Gateway: %w", err)
	}
	if cfg.Keys == nil {
		cfg.Keys = did.NewKeyCache(4096, nil, 0)
	}
	if cfg.FetchStatus == nil {
		cfg.FetchStatus = FetchStatusHTTP
	}
	if cfg.Recheck <= 0 {
		cfg.Recheck = DefaultRecheck
	}
	if cfg.StatusMaxAge <= 0 {
		cfg.StatusMaxAge = 2 * cfg.Recheck
	}
	if cfg.ChallengeTTL <= 0 {
		cfg.ChallengeTTL = DefaultChallengeTTL
	}
	if cfg.MaxDevices <= 0 {
		cfg.MaxDevices = DefaultMaxDevices
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &Admission{
		cfg:     cfg,
		status:  &vc.StatusCache{MaxAge: cfg.StatusMaxAge},
		log:     logger(cfg.Logger),
		devices: map[string]*admitted{},
		lists:   map[string]int{},
		holds:   map[string]int{},
	}
	var err error
	if a.auth, err = did.NewAuthenticator(did.AuthConfig{Verifier: cfg.Gateway, TTL: cfg.ChallengeTTL, Keys: cfg.Keys, Now: cfg.Now}); err != nil {
		return nil, fmt.Errorf("mqttgw: %w", err)
	}
	vcfg := vc.VerifierConfig{TrustedIssuers: cfg.TrustedIssuers, Keys: cfg.Keys, Now: cfg.Now, ClockSkew: cfg.ClockSkew, Status: a.status}
	if cfg.CheckKeys {
		vcfg.KeyStatus = vc.RegistryKeyStatus(cfg.Keys, true)
	}
	a.verifier = vc.NewVerifier(vcfg)
	if a.authz, err = vc.NewAuthorizer(vc.AuthorizerConfig{Now: cfg.Now, ClockSkew: cfg.ClockSkew}); err != nil {
		return nil, fmt.Errorf("mqttgw: %w", err)
	}
	if cfg.Dir != "" {
		if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
			return nil, fmt.Errorf("mqttgw: %w", err)
		}
		if err := a.restore(ctx); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// Authorizer returns the vc.Authorizer holding the admitted devices'
// credentials: pass it as batch.Config.Authorizer.
func (a *Admission) Authorizer() *vc.Authorizer { return a.authz }

// Authenticator returns the gateway's did.Authenticator, the one nonce
// store of its challenges.
func (a *Admission) Authenticator() *did.Authenticator { return a.auth }

// Verifier returns the credential verifier admission uses (trusted
// issuers, key resolver, status lists).
func (a *Admission) Verifier() *vc.Verifier { return a.verifier }

// VerifierAt returns a credential verifier like Verifier whose clock is
// fixed at t: for checking the credential of an evidence bundle at its
// readings' time (evidence.Trust.Credentials).
func (a *Admission) VerifierAt(t time.Time) *vc.Verifier {
	vcfg := vc.VerifierConfig{TrustedIssuers: a.cfg.TrustedIssuers, Keys: a.cfg.Keys,
		Now: func() time.Time { return t }, ClockSkew: a.cfg.ClockSkew, Status: a.status}
	return vc.NewVerifier(vcfg)
}

// Challenge issues a fresh challenge for a device to answer with a
// presentation (vc.Holder.PresentJWT).
func (a *Admission) Challenge() (did.Challenge, error) {
	c, err := a.auth.NewChallenge()
	if err != nil {
		return did.Challenge{}, fmt.Errorf("mqttgw: %w", err)
	}
	return c, nil
}

// Admit verifies a JWT presentation that answers one of the gateway's
// challenges and admits its holder: the holder's credentials replace any
// it held before. It returns the holder's DID. Errors wrap ErrAdmission and
// the vc error that refused the presentation (vc.ErrChallenge for a
// replayed or unknown challenge, vc.ErrUntrustedIssuer, vc.ErrRevoked,
// vc.ErrExpired, ...).
func (a *Admission) Admit(ctx context.Context, presentation []byte) (string, error) {
	return a.AdmitAs(ctx, "", presentation)
}

// AdmitAs is Admit for a connection that claims to be device (the MQTT
// user name): a presentation by another holder is refused before anything
// is admitted. An empty device accepts any holder.
func (a *Admission) AdmitAs(ctx context.Context, device string, presentation []byte) (string, error) {
	device, err := a.admit(ctx, device, presentation)
	if err != nil {
		a.refusals.Add(1)
		return "", fmt.Errorf("%w: %w", ErrAdmission, err)
	}
	a.admits.Add(1)
	return device, nil
}

func (a *Admission) admit(ctx context.Context, expect string, presentation []byte) (string, error) {
	raws, err := presentedCredentials(presentation)
	if err != nil {
		return "", err
	}
	// A credential whose status list the gateway does not hold yet: fetch
	// the list, once the credential's signature, issuer and validity are
	// known good (only then is its list URL the issuer's word).
	for _, raw := range raws {
		if _, err := a.verifier.Verify(ctx, raw); errors.Is(err, vc.ErrStatusUnavailable) || errors.Is(err, vc.ErrStaleStatus) {
			if u := statusURL(raw); u != "" {
				a.fetchList(ctx, u)
			}
		}
	}
	vp, err := a.verifier.VerifyPresentation(ctx, presentation, a.cfg.Gateway, a.auth)
	if err != nil {
		return "", err
	}
	if expect != "" && vp.Holder != expect {
		return "", fmt.Errorf("%w: presentation of %q, connection claims %q", vc.ErrHolderNotSubject, trunc(vp.Holder), trunc(expect))
	}
	if len(vp.Credentials) != len(raws) {
		return "", fmt.Errorf("%w: presentation credentials", vc.ErrMalformed)
	}
	if err := a.put(&admitted{device: vp.Holder, raws: raws, creds: vp.Credentials}); err != nil {
		return "", err
	}
	if err := a.persist(vp.Holder, raws); err != nil {
		a.log.Warn("credential not persisted", "device", vp.Holder, "err", err)
	}
	a.log.Info("device admitted", "device", vp.Holder, "credentials", len(raws))
	return vp.Holder, nil
}

// Admitted reports whether device is admitted now.
func (a *Admission) Admitted(device string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.devices[device] != nil
}

// Len returns how many devices are admitted now (at most
// AdmissionConfig.MaxDevices).
func (a *Admission) Len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.devices)
}

// Held returns how many devices are held now (Hold), admitted or not:
// with the embedded broker, the devices connected.
func (a *Admission) Held() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.holds)
}

// Devices returns the DIDs of the devices admitted now.
func (a *Admission) Devices() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]string, 0, len(a.devices))
	for d := range a.devices {
		out = append(out, d)
	}
	return out
}

// Credential returns the credential (as presented: a JWT or Data Integrity
// JSON) that lets device publish on topic, from the admitted devices or,
// for one no longer admitted, from Dir. It is what an evidence bundle of the
// device's reading carries (evidence.Bundle.Credential).
func (a *Admission) Credential(device, topic string) ([]byte, error) {
	a.mu.Lock()
	d := a.devices[device]
	a.mu.Unlock()
	if d != nil {
		for i, c := range d.creds {
			for _, p := range c.Roles.Patterns(vc.ActionPublish) {
				if vc.TopicMatches(p, topic) {
					return d.raws[i], nil
				}
			}
		}
	}
	if a.cfg.Dir != "" {
		// The device is no longer admitted (dropped, or not reconnected
		// since a restart): its last credential is what admitted it.
		if raws, err := a.load(device); err == nil && len(raws) > 0 {
			return raws[0], nil
		}
	}
	return nil, fmt.Errorf("%w: %s", ErrNoCredential, trunc(device))
}

// AdmissionStats counts what an Admission did since it was created.
type AdmissionStats struct {
	Admitted uint64 // presentations admitted
	Refused  uint64 // presentations refused
	Dropped  uint64 // admitted devices a re-check (Refresh) dropped
	Evicted  uint64 // admitted devices dropped to stay within MaxDevices
}

// Stats returns the Admission's counts.
func (a *Admission) Stats() AdmissionStats {
	return AdmissionStats{Admitted: a.admits.Load(), Refused: a.refusals.Load(), Dropped: a.dropped.Load(), Evicted: a.evicted.Load()}
}

// put admits d, replacing what its device held before, and evicts the
// least recently admitted devices not held beyond MaxDevices. A new device
// when every admitted one is held is refused with ErrFull.
func (a *Admission) put(d *admitted) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	old := a.devices[d.device]
	if old == nil && len(a.devices) >= a.cfg.MaxDevices && a.order.Len() == 0 {
		return fmt.Errorf("%w: %d devices", ErrFull, len(a.devices))
	}
	if old != nil {
		a.remove(old)
	}
	a.devices[d.device] = d
	if a.holds[d.device] == 0 {
		d.at = a.order.PushBack(d)
	}
	for _, c := range d.creds {
		if c.Status != nil {
			a.lists[c.Status.ListCredential]++
		}
	}
	a.authz.Admit(d.creds...)
	for len(a.devices) > a.cfg.MaxDevices && a.order.Len() > 0 {
		oldest := a.order.Front().Value.(*admitted)
		a.remove(oldest)
		a.evicted.Add(1)
		a.log.Info("device evicted: more than MaxDevices admitted", "device", oldest.device, "max", a.cfg.MaxDevices)
	}
	return nil
}

// remove drops d, an admitted device, and the status lists only it used;
// a.mu is held.
func (a *Admission) remove(d *admitted) {
	delete(a.devices, d.device)
	if d.at != nil {
		a.order.Remove(d.at)
		d.at = nil
	}
	for _, c := range d.creds {
		if c.Status == nil {
			continue
		}
		if a.lists[c.Status.ListCredential]--; a.lists[c.Status.ListCredential] <= 0 {
			delete(a.lists, c.Status.ListCredential)
		}
	}
	a.authz.Forget(d.device)
}

// Hold keeps device from being evicted to stay within MaxDevices until
// release is called (release may be called more than once; only the first
// call counts). Holds nest: a device held twice, e.g. by two connections,
// is released by the second release. The embedded broker holds each
// admitted device for as long as its connection lasts, so a connected
// device is never evicted; a gateway taking readings through other paths
// holds its devices the same way. Hold does not admit: a device not
// admitted stays refused, and one that Refresh drops is dropped even while
// held. Once released, a device counts as admitted at that moment for the
// order of eviction.
func (a *Admission) Hold(device string) (release func()) {
	a.mu.Lock()
	a.holds[device]++
	if d := a.devices[device]; d != nil && d.at != nil {
		a.order.Remove(d.at)
		d.at = nil
	}
	a.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { a.release(device) }) }
}

func (a *Admission) release(device string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.holds[device]--; a.holds[device] > 0 {
		return
	}
	delete(a.holds, device)
	if d := a.devices[device]; d != nil && d.at == nil {
		d.at = a.order.PushBack(d)
	}
}

// Run calls Refresh every Recheck until ctx is done.
func (a *Admission) Run(ctx context.Context) {
	t := time.NewTicker(a.cfg.Recheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.Refresh(ctx)
		}
	}
}

// Refresh fetches every status list in use again and re-checks every
// admitted device: each credential is verified again (revocation, expiry,
// issuer key) and, with CheckKeys, the device's key is resolved again. A
// device that fails is dropped from the Authorizer, so the gateway refuses
// its next reading (CodeNotAuthorized). It returns the DIDs dropped.
func (a *Admission) Refresh(ctx context.Context) []string {
	a.mu.Lock()
	lists := make([]string, 0, len(a.lists))
	for u := range a.lists {
		lists = append(lists, u)
	}
	devices := make(map[string]*admitted, len(a.devices))
	for k, v := range a.devices {
		devices[k] = v
	}
	a.mu.Unlock()
	for _, u := range lists {
		a.fetchList(ctx, u)
	}
	var dropped []string
	for dev, d := range devices {
		err := a.recheck(ctx, dev, d)
		if err == nil {
			continue
		}
		a.mu.Lock()
		current := a.devices[dev] == d // not re-admitted or evicted meanwhile
		if current {
			a.remove(d)
		}
		a.mu.Unlock()
		if current {
			dropped = append(dropped, dev)
			a.dropped.Add(1)
			a.log.Warn("device dropped", "device", dev, "err", err)
		}
	}
	return dropped
}

func (a *Admission) recheck(ctx context.Context, dev string, d *admitted) error {
	for _, raw := range d.raws {
		if _, err := a.verifier.Verify(ctx, raw); err != nil {
			return err
		}
	}
	if a.cfg.CheckKeys {
		if _, err := a.cfg.Keys.KeyAt(ctx, dev, a.cfg.Now()); err != nil {
			return err
		}
	}
	return nil
}

func (a *Admission) fetchList(ctx context.Context, u string) {
	raw, err := a.cfg.FetchStatus(ctx, u)
	if err == nil {
		err = a.status.Add(ctx, a.verifier, raw)
	}
	if err != nil {
		a.log.Warn("status list not refreshed", "url", u, "err", err)
	}
}

// FetchStatusHTTP is the default AdmissionConfig.FetchStatus:
// vc.FetchStatusList, an HTTP(S) GET of at most MaxStatusListSize bytes
// within vc.FetchStatusListTimeout.
func FetchStatusHTTP(ctx context.Context, u string) ([]byte, error) {
	return vc.FetchStatusList(ctx, u)
}

// presentedCredentials returns the credentials embedded in a JWT
// presentation, as vc.Holder.PresentJWT embeds them: JWT strings as their
// bytes, Data Integrity credentials as their JSON. The presentation is
// verified by VerifyPresentation afterwards; this reads it as strictly as
// vc does.
func presentedCredentials(vp []byte) ([][]byte, error) {
	if len(vp) > vc.MaxPresentationSize {
		return nil, fmt.Errorf("%w: presentation of %d bytes", vc.ErrMalformed, len(vp))
	}
	parts := strings.Split(string(bytes.TrimSpace(vp)), ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: presentation is not a compact JWS", vc.ErrMalformed)
	}
	payload, err := base64.RawURLEncoding.Strict().DecodeString(parts[1])
	if err != nil {
		return nil, fmt.Errorf("%w: presentation payload: %w", vc.ErrMalformed, err)
	}
	var claims struct {
		Iss   string          `json:"iss"`
		Sub   string          `json:"sub,omitempty"`
		Aud   json.RawMessage `json:"aud,omitempty"`
		Nbf   *int64          `json:"nbf,omitempty"`
		Iat   *int64          `json:"iat,omitempty"`
		Exp   *int64          `json:"exp,omitempty"`
		Jti   string          `json:"jti,omitempty"`
		Nonce string          `json:"nonce,omitempty"`
		VP    json.RawMessage `json:"vp"`
	}
	if err := canon.Decode(payload, &claims); err != nil {
		return nil, fmt.Errorf("%w: presentation claims: %w", vc.ErrMalformed, err)
	}
	var body struct {
		Context              json.RawMessage   `json:"@context"`
		ID                   string            `json:"id,omitempty"`
		Type                 json.RawMessage   `json:"type"`
		Holder               json.RawMessage   `json:"holder,omitempty"`
		VerifiableCredential []json.RawMessage `json:"verifiableCredential"`
	}
	if err := canon.Decode(claims.VP, &body); err != nil {
		return nil, fmt.Errorf("%w: presentation vp: %w", vc.ErrMalformed, err)
	}
	if len(body.VerifiableCredential) == 0 || len(body.VerifiableCredential) > vc.MaxCredentialsPerPresentation {
		return nil, fmt.Errorf("%w: presentation carries %d credentials", vc.ErrMalformed, len(body.VerifiableCredential))
	}
	out := make([][]byte, 0, len(body.VerifiableCredential))
	for i, e := range body.VerifiableCredential {
		switch {
		case len(e) > 0 && e[0] == '"':
			var s string
			if err := canon.Decode(e, &s); err != nil {
				return nil, fmt.Errorf("%w: credential %d: %w", vc.ErrMalformed, i, err)
			}
			out = append(out, []byte(s))
		case len(e) > 0 && e[0] == '{':
			out = append(out, []byte(e))
		default:
			return nil, fmt.Errorf("%w: credential %d is neither a JWT nor an object", vc.ErrMalformed, i)
		}
	}
	return out, nil
}

// statusURL returns the status list URL a credential names, or "". Only
// called for credentials whose signature vc has verified.
func statusURL(raw []byte) string {
	type status struct {
		ListCredential string `json:"statusListCredential"`
	}
	var doc struct {
		CredentialStatus *status `json:"credentialStatus"`
		VC               *struct {
			CredentialStatus *status `json:"credentialStatus"`
		} `json:"vc"`
	}
	b := bytes.TrimSpace(raw)
	if len(b) > 0 && b[0] != '{' { // a JWT: read its claims
		parts := strings.Split(string(b), ".")
		if len(parts) != 3 {
			return ""
		}
		var err error
		if b, err = base64.RawURLEncoding.DecodeString(parts[1]); err != nil {
			return ""
		}
	}
	if json.Unmarshal(b, &doc) != nil {
		return ""
	}
	switch {
	case doc.VC != nil && doc.VC.CredentialStatus != nil:
		return doc.VC.CredentialStatus.ListCredential
	case doc.CredentialStatus != nil:
		return doc.CredentialStatus.ListCredential
	}
	return ""
}

// Credentials kept in Dir: one file per device, named by the SHA-256 of its
// DID, holding the DID and its credentials as JSON.
type storedDevice struct {
	Device      string   `json:"device"`
	Credentials []string `json:"credentials"`
}

func (a *Admission) file(device string) string {
	h := sha256.Sum256([]byte(device))
	return filepath.Join(a.cfg.Dir, hex.EncodeToString(h[:])+".json")
}

func (a *Admission) persist(device string, raws [][]byte) error {
	if a.cfg.Dir == "" {
		return nil
	}
	sd := storedDevice{Device: device}
	for _, r := range raws {
		sd.Credentials = append(sd.Credentials, string(r))
	}
	b, err := json.Marshal(sd)
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(a.file(device), 0o600, b)
}

func (a *Admission) load(device string) ([][]byte, error) {
	b, err := os.ReadFile(a.file(device))
	if err != nil {
		return nil, err
	}
	sd, err := decodeStored(b)
	if err != nil {
		return nil, err
	}
	if sd.Device != device {
		return nil, fmt.Errorf("mqttgw: credential file of %q holds %q", trunc(device), trunc(sd.Device))
	}
	out := make([][]byte, len(sd.Credentials))
	for i, c := range sd.Credentials {
		out[i] = []byte(c)
	}
	return out, nil
}

func decodeStored(b []byte) (storedDevice, error) {
	var sd storedDevice
	if len(b) > vc.MaxPresentationSize {
		return sd, fmt.Errorf("mqttgw: credential file of %d bytes", len(b))
	}
	if err := canon.Decode(b, &sd); err != nil {
		return sd, fmt.Errorf("mqttgw: credential file: %w", err)
	}
	return sd, nil
}

// restore admits again the devices whose credentials Dir holds and that
// still verify (fetching their status lists first): the most recently
// admitted first, up to MaxDevices.
func (a *Admission) restore(ctx context.Context) error {
	ents, err := os.ReadDir(a.cfg.Dir)
	if err != nil {
		return fmt.Errorf("mqttgw: %w", err)
	}
	type file struct {
		name string
		mod  time.Time
	}
	var files []file
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return fmt.Errorf("mqttgw: %w", err)
		}
		files = append(files, file{e.Name(), info.ModTime()})
	}
	// persist rewrites a device's file at each admission.
	slices.SortStableFunc(files, func(x, y file) int { return y.mod.Compare(x.mod) })
	var back []*admitted // newest first
	for _, f := range files {
		if len(back) == a.cfg.MaxDevices {
			a.log.Info("credential files beyond MaxDevices not admitted again", "files", len(files), "max", a.cfg.MaxDevices)
			break
		}
		b, err := os.ReadFile(filepath.Join(a.cfg.Dir, f.name))
		if err != nil {
			return fmt.Errorf("mqttgw: %w", err)
		}
		sd, err := decodeStored(b)
		if err != nil {
			a.log.Warn("credential file skipped", "file", f.name, "err", err)
			continue
		}
		d := &admitted{device: sd.Device}
		for _, c := range sd.Credentials {
			raw := []byte(c)
			vcred, err := a.verifier.Verify(ctx, raw)
			if errors.Is(err, vc.ErrStatusUnavailable) || errors.Is(err, vc.ErrStaleStatus) {
				if u := statusURL(raw); u != "" {
					a.fetchList(ctx, u)
					vcred, err = a.verifier.Verify(ctx, raw)
				}
			}
			if err != nil || vcred.Subject != sd.Device {
				d = nil
				break
			}
			d.raws = append(d.raws, raw)
			d.creds = append(d.creds, vcred)
		}
		if d == nil || len(d.creds) == 0 {
			continue
		}
		back = append(back, d)
	}
	for _, d := range slices.Backward(back) {
		_ = a.put(d) // nothing is held yet, and back holds at most MaxDevices
		a.log.Info("device admitted again from its stored credentials", "device", d.device)
	}
	return nil
}
