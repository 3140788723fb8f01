package store

import "context"

// Backend keeps a Store's objects: named byte strings. A Store writes two
// objects per blob, "blob/<shard>/<cid>" (immutable once written) and
// "env/<shard>/<cid>" (rewritten by Grant and Revoke), where shard is two
// lowercase hex digits; names are therefore 1 to 3 '/'-separated segments
// of [a-z0-9], at most 128 bytes. An object store (S3, GCS, a database)
// plugs in by implementing these five methods with the guarantees below.
//
// Every method must be safe for concurrent use. Absent objects are reported
// with an error matching ErrNotFound; other failures with the backend's own
// error (a Store never reports those as corruption).
type Backend interface {
	// Get returns the whole object. An object larger than limit bytes
	// fails with ErrTooLarge without being read in full.
	Get(ctx context.Context, name string, limit int64) ([]byte, error)
	// Put stores data under name, replacing any object of that name
	// atomically: a reader sees the old object or the new one whole,
	// also after a crash, and the new one is durable when Put returns nil.
	// Put must not modify data, nor keep it once it returns: the Store
	// reuses that memory for the next blob.
	Put(ctx context.Context, name string, data []byte) error
	// Update replaces an existing object with fn(old) atomically with
	// respect to every other Update, Put and Delete of the name (a
	// read-modify-write that loses no concurrent change: a mutex, a file
	// lock, or a conditional write). If fn returns an error, Update
	// returns it unchanged and writes nothing; if fn returns nil bytes and
	// no error, the object is left as it is. An absent object fails with
	// ErrNotFound before fn is called; an object above limit with
	// ErrTooLarge. The result is durable when Update returns nil.
	Update(ctx context.Context, name string, limit int64, fn func(old []byte) ([]byte, error)) error
	// Delete removes the object durably; an absent one fails with
	// ErrNotFound.
	Delete(ctx context.Context, name string) error
	// Stat returns the object's size in bytes.
	Stat(ctx context.Context, name string) (int64, error)
}
