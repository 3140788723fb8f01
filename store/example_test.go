package store_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/iotrust/iotrust/store"
)

// A gateway seals a batch for itself, grants a data buyer access without
// re-encrypting, the buyer reads it, and a revoked buyer no longer can.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "store-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	s, err := store.Open(dir, store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	gateway, err := store.GenerateIdentity(nil) // kept by the gateway
	if err != nil {
		log.Fatal(err)
	}
	buyer, err := store.GenerateIdentity(nil) // the buyer publishes buyer.Recipient().String()
	if err != nil {
		log.Fatal(err)
	}

	batch := []byte(`{"device":"did:key:z6Mk…","seq":1,"temp_mC":4210}` + "\n")
	c, err := s.Put(ctx, batch, gateway.Recipient())
	if err != nil {
		log.Fatal(err)
	}
	// c goes into the anchored commitment; Grant does not change it.
	if err := s.Grant(ctx, c, gateway, buyer.Recipient()); err != nil {
		log.Fatal(err)
	}
	plain, err := s.Get(ctx, c, buyer)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("buyer reads: %s", plain)

	if err := s.Revoke(ctx, c, buyer.Recipient().ID()); err != nil {
		log.Fatal(err)
	}
	_, err = s.Get(ctx, c, buyer)
	fmt.Println("after revoke:", errors.Is(err, store.ErrNotRecipient))

	if err := s.Delete(ctx, c); err != nil {
		log.Fatal(err)
	}
	_, err = s.Get(ctx, c, gateway)
	fmt.Println("after delete:", errors.Is(err, store.ErrNotFound))
	// Output:
	// buyer reads: {"device":"did:key:z6Mk…","seq":1,"temp_mC":4210}
	// after revoke: true
	// after delete: true
}
