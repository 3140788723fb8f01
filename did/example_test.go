package did_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/iotrust/iotrust/did"
)

// A device key from a fixed seed (use GenerateKey(nil) in real life), its
// DID, and a signature a verifier checks with nothing but the DID.
func Example() {
	key, err := did.Ed25519.DeriveKey(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		panic(err)
	}
	id, err := did.New(key.Public())
	if err != nil {
		panic(err)
	}
	fmt.Println(id)

	msg := []byte("temperature=4.2")
	sig, _ := key.Sign(msg)

	pub, err := did.ResolveKey(id)
	if err != nil {
		panic(err)
	}
	fmt.Println(pub.Verify(msg, sig))
	// Output:
	// did:key:z6Mkon3Necd6NkkyfoGoHxid2znGc59LU3K7mubaRcFbLfLX
	// true
}

// A post-quantum device: the same code with another scheme value.
func Example_postQuantum() {
	key, err := did.MLDSA44.GenerateKey(nil)
	if err != nil {
		panic(err)
	}
	id, _ := did.New(key.Public())
	doc, err := did.Resolve(id)
	if err != nil {
		panic(err)
	}
	fmt.Println(id[:8], doc.VerificationMethod[0].Type, doc.VerificationMethod[0].PublicKeyJWK.Kty)
	// Output: did:jwk: JsonWebKey2020 AKP
}

// A gateway admits a device by challenge and response.
func ExampleAuthenticator() {
	gateway, _ := did.Ed25519.GenerateKey(nil)
	gatewayDID, _ := did.New(gateway.Public())
	auth, err := did.NewAuthenticator(did.AuthConfig{Verifier: gatewayDID, TTL: 30 * time.Second})
	if err != nil {
		panic(err)
	}

	device, _ := did.P256.GenerateKey(nil)
	deviceDID, _ := did.New(device.Public())

	ctx := context.Background()
	challenge, _ := auth.NewChallenge()                               // gateway → device
	answer, _ := did.Answer(device, deviceDID, challenge, time.Now()) // device → gateway
	who, err := auth.Verify(ctx, answer)
	fmt.Println(who == deviceDID, err)

	_, err = auth.Verify(ctx, answer) // the same answer again
	fmt.Println(err)
	// Output:
	// true <nil>
	// did: challenge already answered
}

// An organisation registers a device, rotates its key, and a verifier
// checks signatures against the key valid at their time.
func ExampleRegistry() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "registry")
	defer os.RemoveAll(dir)
	reg, err := did.OpenRegistry(ctx, filepath.Join(dir, "registry.log"), did.RegistryOptions{})
	if err != nil {
		panic(err)
	}
	defer reg.Close()

	org, _ := did.Ed25519.GenerateKey(nil)
	orgDID, _ := did.New(org.Public())
	first, _ := did.Ed25519.GenerateKey(nil)
	deviceDID, _ := did.New(first.Public())
	second, _ := did.MLDSA44.GenerateKey(nil)

	t0 := time.Now().Add(-time.Hour)
	// The device registers its did:key itself, then hands control to
	// the organisation, whose key signs the rotation.
	if _, err := reg.Register(ctx, first, deviceDID, deviceDID, first.Public(), t0); err != nil {
		panic(err)
	}
	if _, err := reg.Transfer(ctx, first, deviceDID, orgDID, t0); err != nil {
		panic(err)
	}
	if _, err := reg.Rotate(ctx, org, deviceDID, second.Public(), t0.Add(30*time.Minute)); err != nil {
		panic(err)
	}

	msg := []byte("reading")
	old, _ := first.Sign(msg)
	fmt.Println(reg.VerifyAt(deviceDID, t0.Add(10*time.Minute), msg, old))
	fmt.Println(reg.VerifyAt(deviceDID, t0.Add(40*time.Minute), msg, old) != nil)
	n, head := reg.Head()
	fmt.Println(n, head.Func)
	// Output:
	// <nil>
	// true
	// 3 blake3
}

// An auditor replays a gateway's registry while the gateway holds it open,
// with every link and signature checked and nothing written, and checks a
// signature against the key the registry gives at its time. The
// auditor's Registry takes no entries.
func ExampleReadRegistryFile() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "registry")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "registry.log")
	gateway, err := did.OpenRegistry(ctx, path, did.RegistryOptions{})
	if err != nil {
		panic(err)
	}
	defer gateway.Close()
	device, _ := did.Ed25519.GenerateKey(nil)
	deviceDID, _ := did.New(device.Public())
	t0 := time.Now().Add(-time.Hour)
	if _, err := gateway.Register(ctx, device, deviceDID, deviceDID, device.Public(), t0); err != nil {
		panic(err)
	}
	if _, err := gateway.Revoke(ctx, device, deviceDID, device.Public(), t0.Add(30*time.Minute)); err != nil {
		panic(err)
	}

	audit, err := did.ReadRegistryFile(ctx, path, did.RegistryOptions{})
	if err != nil {
		panic(err)
	}
	defer audit.Close()
	n, head := audit.Head()
	gn, ghead := gateway.Head()
	fmt.Println(n, head == ghead && n == gn)
	sig, _ := device.Sign([]byte("reading"))
	fmt.Println(audit.VerifyAt(deviceDID, t0.Add(10*time.Minute), []byte("reading"), sig))
	fmt.Println(errors.Is(audit.VerifyAt(deviceDID, t0.Add(40*time.Minute), []byte("reading"), sig), did.ErrKeyRevoked))
	_, err = audit.Rotate(ctx, device, deviceDID, device.Public(), time.Now())
	fmt.Println(err)
	// Output:
	// 2 true
	// <nil>
	// true
	// did: registry is read-only
}

// A registry log fetched over the network (here, read from a file) is
// replayed from its bytes; its head is what to compare with the one the
// operator publishes or anchors.
func ExampleReadRegistry() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "registry")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "registry.log")
	gateway, err := did.OpenRegistry(ctx, path, did.RegistryOptions{})
	if err != nil {
		panic(err)
	}
	device, _ := did.Ed25519.GenerateKey(nil)
	deviceDID, _ := did.New(device.Public())
	if _, err := gateway.Register(ctx, device, deviceDID, deviceDID, device.Public(), time.Now()); err != nil {
		panic(err)
	}
	_, published := gateway.Head()
	gateway.Close()

	fetched, _ := os.ReadFile(path) // say, from https://gateway.example/registry.log
	reg, err := did.ReadRegistry(ctx, bytes.NewReader(fetched), int64(len(fetched)), did.RegistryOptions{})
	if err != nil {
		panic(err)
	}
	n, head := reg.Head()
	fmt.Println(n, head == published)
	// Output: 1 true
}

// A gateway resolves device keys through one cache: registered devices
// follow the registry (a revocation shows in its answers within the TTL),
// other did:key devices are let in on their own key, kept until evicted.
func ExampleKeyCache() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "registry")
	defer os.RemoveAll(dir)
	reg, err := did.OpenRegistry(ctx, filepath.Join(dir, "registry.log"), did.RegistryOptions{})
	if err != nil {
		panic(err)
	}
	defer reg.Close()
	keys := did.NewKeyCache(4096, did.KeyResolvers{reg, did.SelfCertifying{}}, 30*time.Second)

	org, _ := did.Ed25519.GenerateKey(nil)
	orgDID, _ := did.New(org.Public())
	first, _ := did.Ed25519.GenerateKey(nil)
	deviceDID, _ := did.New(first.Public())
	second, _ := did.P256.GenerateKey(nil)
	t0 := time.Now().Add(-time.Hour)
	// The device registers its did:key itself, then hands control to
	// the organisation, whose key signs the rotation.
	if _, err := reg.Register(ctx, first, deviceDID, deviceDID, first.Public(), t0); err != nil {
		panic(err)
	}
	if _, err := reg.Transfer(ctx, first, deviceDID, orgDID, t0); err != nil {
		panic(err)
	}
	if _, err := reg.Rotate(ctx, org, deviceDID, second.Public(), t0.Add(time.Minute)); err != nil {
		panic(err)
	}

	k, _ := keys.KeyAt(ctx, deviceDID, time.Now()) // the registry's answer, not the did:key's
	fmt.Println(k.Scheme())
	loose, _ := did.MLDSA44.GenerateKey(nil)
	looseDID, _ := did.New(loose.Public())
	k, _ = keys.KeyAt(ctx, looseDID, time.Now())
	fmt.Println(k.Equal(loose.Public()))
	// Output:
	// P-256
	// true
}

// A weak key never becomes a DID's key: the identity point, for which
// anyone can write a signature that verifies under ZIP-215.
func ExampleResolveKey_weakKey() {
	_, err := did.ResolveKey("did:key:z6MkeXATEjyXENzBXBxgC5EHk2JE5aqd7qMGGtDpLUH1e2Sj")
	fmt.Println(errors.Is(err, did.ErrWeakKey), errors.Is(err, did.ErrInvalidKey))
	// Output: true true
}
