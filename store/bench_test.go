package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/ipfs/go-cid"
)

// Put and Get on the filesystem backend (t.TempDir): sealing, wrapping to
// one recipient, hashing, and two durable writes (temp file, fsync,
// rename, directory fsync) per Put.
func BenchmarkPut(b *testing.B) {
	for _, n := range []int{4 << 10, 1 << 20} {
		b.Run(size(n), func(b *testing.B) {
			s, _ := openStore(b, Options{})
			gw := testIdentity(b, 1)
			plain := make([]byte, n)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Put(bg, plain, gw.Recipient()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// PutParallel: 4 KiB Puts from 8 goroutines, where the filesystem can
// merge concurrent syncs; MB/s is the aggregate.
func BenchmarkPutParallel(b *testing.B) {
	s, _ := openStore(b, Options{})
	gw := testIdentity(b, 1)
	plain := make([]byte, 4<<10)
	b.SetBytes(int64(len(plain)))
	b.SetParallelism(4)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Put(bg, plain, gw.Recipient()); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// Get: read both objects, hash and compare with the CID, open the HPKE
// wrapping, check the key commitment, decrypt.
func BenchmarkGet(b *testing.B) {
	for _, n := range []int{4 << 10, 1 << 20} {
		b.Run(size(n), func(b *testing.B) {
			s, _ := openStore(b, Options{})
			gw := testIdentity(b, 1)
			c, err := s.Put(bg, make([]byte, n), gw.Recipient())
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Get(bg, c, gw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Grant: unwrap the owner's key, wrap it for a new recipient, rewrite the
// envelope durably. Iteration i grants buyer i/1024 on blob i%1024, so
// every Grant does the full work and envelopes stay small.
func BenchmarkGrant(b *testing.B) {
	s, _ := openStore(b, Options{MaxRecipients: MaxRecipientsLimit})
	gw := testIdentity(b, 1)
	cids := make([]cid.Cid, 1024)
	for i := range cids {
		c, err := s.Put(bg, make([]byte, 4<<10), gw.Recipient())
		if err != nil {
			b.Fatal(err)
		}
		cids[i] = c
	}
	var buyers []Recipient
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i/len(cids) == len(buyers) {
			buyers = append(buyers, testIdentity(b, byte(len(buyers)+2)).Recipient())
		}
		if err := s.Grant(bg, cids[i%len(cids)], gw, buyers[i/len(cids)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSeal is the cryptographic part of Put alone (no I/O): seal,
// hash for the CID, wrap to one recipient.
func BenchmarkSeal(b *testing.B) {
	for _, n := range []int{4 << 10, 1 << 20} {
		b.Run(size(n), func(b *testing.B) {
			s, err := New(nopBackend{}, Options{})
			if err != nil {
				b.Fatal(err)
			}
			gw := testIdentity(b, 1)
			plain := make([]byte, n)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Put(bg, plain, gw.Recipient()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func size(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dKiB", n>>10)
}

// nopBackend stores nothing; it isolates the cryptographic cost of Put.
type nopBackend struct{}

func (nopBackend) Get(context.Context, string, int64) ([]byte, error) { return nil, ErrNotFound }
func (nopBackend) Put(context.Context, string, []byte) error          { return nil }
func (nopBackend) Update(context.Context, string, int64, func([]byte) ([]byte, error)) error {
	return ErrNotFound
}
func (nopBackend) Delete(context.Context, string) error        { return ErrNotFound }
func (nopBackend) Stat(context.Context, string) (int64, error) { return 0, ErrNotFound }
