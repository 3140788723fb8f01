package mqttgw_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/iotrust/iotrust/anchor"
	"github.com/iotrust/iotrust/anchor/tlog"
	"github.com/iotrust/iotrust/batch"
	"github.com/iotrust/iotrust/canon"
	"github.com/iotrust/iotrust/did"
	"github.com/iotrust/iotrust/mqttgw"
	"github.com/iotrust/iotrust/mqttgw/web"
	"github.com/iotrust/iotrust/reading"
	"github.com/iotrust/iotrust/store"
	"github.com/iotrust/iotrust/vc"
)

// A gateway on the embedded defaults: admission, the batch pipeline on a
// Tessera log, the embedded MQTT 5 broker and the HTTP API. A device fetches
// a challenge, connects with its presentation as the password, and publishes
// signed readings at QoS 1; the PUBACK says whether each is durable.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "mqttgw-example")
	defer os.RemoveAll(dir)

	// A manufacturer and one of its devices.
	mfrKey, _ := did.Ed25519.GenerateKey(nil)
	manufacturer, _ := vc.NewIssuer(mfrKey)
	devKey, _ := did.Ed25519.GenerateKey(nil)
	devDID, _ := did.New(devKey.Public())
	now := time.Now()
	cred, _ := manufacturer.IssueJWT(vc.DeviceCredential{
		Subject: devDID, Manufacturer: "Acme", Model: "T-1", SerialNumber: "1",
		FirmwareHash: canon.Sum(canon.BLAKE3, []byte("fw")), Roles: vc.Roles{Publish: []string{"site/+/temp"}},
		ValidFrom: now.Add(-time.Hour), ValidUntil: now.Add(time.Hour),
	})

	// The gateway.
	gwKey, _ := did.Ed25519.GenerateKey(nil)
	gwDID, _ := did.New(gwKey.Public())
	signer, verifier, _ := tlog.NewEd25519Signer("example.com/gateway", ed25519.NewKeyFromSeed(make([]byte, 32)))
	ledger, _ := tlog.Open(ctx, tlog.Config{Dir: filepath.Join(dir, "log"), Signer: signer, Verifier: verifier})
	defer ledger.Close()
	blobs, _ := store.Open(filepath.Join(dir, "store"), store.Options{})
	defer blobs.Close()
	storeID, _ := store.GenerateIdentity(nil)

	adm, err := mqttgw.NewAdmission(ctx, mqttgw.AdmissionConfig{Gateway: gwDID, TrustedIssuers: []string{manufacturer.DID()}})
	if err != nil {
		panic(err)
	}
	gw, err := batch.Open(ctx, batch.Config{Dir: filepath.Join(dir, "gateway"), Topic: "site",
		Authorizer: adm.Authorizer(), Store: blobs, Identity: storeID, Ledgers: []anchor.Anchorer{ledger}})
	if err != nil {
		panic(err)
	}
	in, _ := mqttgw.NewIngester(mqttgw.Config{Gateway: gw})
	broker, _ := mqttgw.NewBroker(mqttgw.BrokerConfig{Addr: "127.0.0.1:0", Admission: adm, Ingester: in})
	_ = broker.Serve()
	api, _ := web.New(web.Config{Gateway: gw, Admission: adm})
	srv := httptest.NewServer(api)
	defer func() { // shutdown: broker, ingester, then seal and anchor
		broker.Close()
		in.Close()
		gw.Close(ctx)
		srv.Close()
	}()

	// The device.
	dev, err := mqttgw.ConnectDevice(ctx, mqttgw.DeviceConfig{Broker: broker.Addr(), API: srv.URL, Key: devKey, Credentials: [][]byte{[]byte(cred)}})
	if err != nil {
		panic(err)
	}
	defer dev.Close()
	temp := reading.Reading{Topic: "site/1/temp", Sensor: "temperature", Value: 451, Scale: 2, Unit: "Cel"}
	_, code, _ := dev.Publish(ctx, temp)
	fmt.Println("granted topic:", code)
	temp.Topic = "site/1/door"
	_, code, _ = dev.Publish(ctx, temp)
	fmt.Println("topic not granted:", code)
	code, reason, _ := dev.PublishRaw(ctx, "site/1/temp", []byte("21.5"))
	fmt.Println("not a signed reading:", code, reason != "")
	// Output:
	// granted topic: success
	// topic not granted: not authorized
	// not a signed reading: payload format invalid true
}
