package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/store"
	"github.com/iotrust/iotrust/vc"
)

// gateway is the receiving side: its DID, the transparency log it anchors
// to, its encrypted store and the batch pipeline on top of them.
type gateway struct {
	did      string
	log      *tlog.Log
	logKey   string // the log's public note verifier key
	logDir   string
	blobs    *store.Store
	pipeline *batch.Gateway
	mqtt     *mqttgw.BrokerPath // -mqtt; nil: readings are handed to the pipeline in process
}

// openGateway starts the gateway on a Tessera log and an encrypted store
// and admits the credentialed sensors: each answers a fresh challenge with
// a presentation of its credential, which spends the challenge's nonce.
func openGateway(ctx context.Context, p *printer, f *fleet, tmp, logDir, mqttURL string) (_ *gateway, err error) {
	g := &gateway{logDir: logDir}
	defer func() {
		if err != nil {
			g.close()
		}
	}()
	gwKey, err := did.Ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	if g.did, err = did.New(gwKey.Public()); err != nil {
		return nil, err
	}
	if g.logDir == "" {
		g.logDir = filepath.Join(tmp, "log")
	}
	if err := g.openLog(ctx); err != nil {
		return nil, err
	}
	if g.blobs, err = store.Open(filepath.Join(tmp, "store"), store.Options{}); err != nil {
		return nil, err
	}

	// Admission: challenge, presentation bound to it, credential checks.
	auth, err := did.NewAuthenticator(did.AuthConfig{Verifier: g.did})
	if err != nil {
		return nil, err
	}
	verifier := vc.NewVerifier(vc.VerifierConfig{TrustedIssuers: []string{f.manufacturer.DID()}})
	rights, err := vc.NewAuthorizer(vc.AuthorizerConfig{ClockSkew: time.Minute})
	if err != nil {
		return nil, err
	}
	p.f("   gateway %s challenges each sensor; it answers with its credential, bound to the nonce\n", short(g.did))
	var replay []byte
	for _, s := range []*sensor{f.logger, f.reefer} {
		challenge, err := auth.NewChallenge()
		if err != nil {
			return nil, err
		}
		holder, err := vc.NewHolder(s.key)
		if err != nil {
			return nil, err
		}
		vp, err := holder.PresentJWT([][]byte{[]byte(s.credential)}, challenge, time.Now())
		if err != nil {
			return nil, err
		}
		verified, err := verifier.VerifyPresentation(ctx, []byte(vp), g.did, auth)
		if err != nil {
			return nil, fmt.Errorf("admitting the %s: %w", s.name, err)
		}
		rights.Admit(verified.Credentials...)
		c := verified.Credentials[0]
		p.f("   %-7s admitted: %s %s, may publish on %v\n", s.name, c.Manufacturer, c.Model, c.Roles.Publish)
		replay = []byte(vp)
	}
	_, replayErr := verifier.VerifyPresentation(ctx, replay, g.did, auth)
	p.f("   replayed presentation: %s\n", errorText(replayErr))
	if err := expectRefusal("replayed presentation", replayErr, vc.ErrChallenge); err != nil {
		return nil, err
	}

	id, err := store.GenerateIdentity(nil)
	if err != nil {
		return nil, err
	}
	g.pipeline, err = batch.Open(ctx, batch.Config{
		Dir:        filepath.Join(tmp, "gateway"),
		Topic:      topic,
		Authorizer: rights, // publish rights from the admitted credentials
		Store:      g.blobs,
		Identity:   id,
		Ledgers:    []anchor.Anchorer{g.log},
		MaxBatch:   readings, // one batch per leg: both sensors' readings of four hours
		Window:     time.Hour,
	})
	if err != nil {
		return nil, err
	}
	if mqttURL != "" {
		// The sensors publish to the broker, where the gateway subscribes;
		// they were admitted above, so the broker only carries bytes.
		if g.mqtt, err = mqttgw.OpenBrokerPath(ctx, mqttgw.PathConfig{URL: mqttURL, Gateway: g.pipeline, Topics: []string{topic + "/#"}}); err != nil {
			return nil, err
		}
		p.f("   readings travel over MQTT: the sensors publish to %s, where the gateway subscribes to %s/#\n", mqttURL, topic)
	}
	return g, nil
}

// take hands a leg's readings to the gateway: in one call in process, or
// published by the sensors to the broker (-mqtt). Every one must be
// acknowledged.
func (g *gateway) take(ctx context.Context, signed []reading.Signed) error {
	if g.mqtt != nil {
		return g.mqtt.Send(ctx, signed)
	}
	for i, err := range g.pipeline.SubmitBatch(ctx, signed) {
		if err != nil {
			return fmt.Errorf("reading %d refused: %w", i, err)
		}
	}
	return nil
}

// openLog opens the Tessera log in g.logDir, signing checkpoints with the
// key kept beside it in logDir+".key" (made on first use).
func (g *gateway) openLog(ctx context.Context) error {
	keyFile := filepath.Clean(g.logDir) + ".key"
	var key ed25519.PrivateKey
	seed, err := os.ReadFile(keyFile)
	switch {
	case err == nil:
		raw, derr := hex.DecodeString(string(seed))
		if derr != nil || len(raw) != ed25519.SeedSize {
			return fmt.Errorf("log key %s: not %d hex-encoded bytes", keyFile, ed25519.SeedSize)
		}
		key = ed25519.NewKeyFromSeed(raw)
	case errors.Is(err, os.ErrNotExist):
		_, key, err = ed25519.GenerateKey(nil)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(keyFile), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(key.Seed())), 0o600); err != nil {
			return err
		}
	default:
		return err
	}
	const origin = "iotrust.example/coldchain/log"
	signer, verifier, err := tlog.NewEd25519Signer(origin, key)
	if err != nil {
		return err
	}
	if g.logKey, err = note.NewEd25519VerifierKey(origin, key.Public().(ed25519.PublicKey)); err != nil {
		return err
	}
	g.log, err = tlog.Open(ctx, tlog.Config{
		Dir: g.logDir, Signer: signer, Verifier: verifier,
		CheckpointInterval: tlog.MinCheckpointInterval,
	})
	return err
}

func (g *gateway) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if g.mqtt != nil {
		g.mqtt.Close()
	}
	if g.pipeline != nil {
		_ = g.pipeline.Close(ctx)
	}
	if g.blobs != nil {
		_ = g.blobs.Close()
	}
	if g.log != nil {
		_ = g.log.Close()
	}
}
