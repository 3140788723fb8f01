// Package recordlog is iotrust's one crash-safe, append-only record file:
// the did registry, the payment store and the batch write-ahead log keep
// their state in it. A record is an opaque byte string; the log guarantees
// that every record Append acknowledged is read back by Records after any
// crash, in order and bit for bit, and that nothing else is.
//
//	l, err := recordlog.Open(path, recordlog.Options{Kind: "batch-wal.v1"})
//	for rec, err := range l.Records(ctx) { ... }   // replay
//	err = l.Append(ctx, rec1, rec2)                // durable on return
//	err = l.Close()
//
// # Guarantees
//
//   - One writer: Open takes an exclusive flock on the file, so a second
//     Open of the same path, from this process or another, fails with
//     ErrLocked (on unix platforms; elsewhere it is the caller's duty). The
//     lock goes with Close or with the process.
//   - Durability: Append returns nil only after its records are written and
//     fsynced. Concurrent Appends share one write and one fsync (group
//     commit): a single writer goroutine takes the waiting Appends together,
//     so under load the cost of an fsync is spread over every record that
//     arrived during the previous one. The writer syncs through
//     internal/fsync: on Linux the sync runs on a kernel worker and the
//     writer waits for it parked in Go's poller, so a process whose cores
//     are busy (a gateway verifying signatures) keeps running its other
//     goroutines meanwhile, at the cost of a slower wake-up when the sync
//     ends.
//   - Recovery: Open checks every record and cuts off a torn tail (see
//     below), which was never acknowledged; any other damage is refused
//     with a *CorruptError wrapping ErrCorrupt, never dropped. Read and
//     write failures are returned as the I/O errors they are, never as
//     corruption.
//   - Failures: a failed write (a full disk) is cut off again and returned;
//     the log stays usable. A failed fsync leaves unknown what the kernel
//     kept (its dirty pages may be dropped and the error reported once), so
//     from then on the log refuses Append and Rewrite with ErrFailed until
//     it is reopened, which reads what is really on disk.
//   - Compaction: Rewrite replaces all records atomically (new file, fsync,
//     rename, directory fsync).
//   - Reading without a Log: Read reads a log file from any io.ReaderAt (a
//     copy, bytes fetched over the network, the file of a Log another
//     process holds) with Open's checks, and yields exactly the records
//     Open would keep; it takes no lock and writes nothing, so where Open
//     would cut off a torn tail, Read stops before it.
//
// # File format
//
// All integers are big-endian; CRC-32C is the Castagnoli CRC (as in iSCSI
// and ext4), as hash/crc32 computes it with crc32.Castagnoli.
//
// The file starts with a 32-byte header:
//
//	offset size
//	 0      8   magic "iotrlog\n" (69 6f 74 72 6c 6f 67 0a)
//	 8      4   format version, 1
//	12     16   kind: Options.Kind, ASCII, zero-padded
//	28      4   CRC-32C of bytes 0..27
//
// Records follow it back to back, each 12 bytes of framing then the
// payload:
//
//	offset size
//	 0      4   n: payload length, 0..MaxRecordSize
//	 4      4   CRC-32C of the payload
//	 8      4   CRC-32C of bytes 0..7 (the framing check)
//	12      n   payload
//
// The framing has its own check so that a damaged length is recognised as
// damage rather than taken for a record cut short by a crash. An all-zero
// framing never passes it, so zeros are never a record.
//
// # Torn tails and corruption
//
// The crash model: only the last write can be interrupted, and an
// interrupted write leaves a prefix of its bytes, possibly followed by
// zeros where the file system allocated blocks it did not write (SIGKILL
// and power loss on ext4, XFS, btrfs or ZFS). Open therefore reads the
// records in order and, at the first one that is not intact:
//
//   - the file ends inside its framing or payload: torn;
//   - its framing or payload fails its check and nothing but zeros follows
//     (or nothing at all): torn;
//   - anything else — a failed check with data after it, a length above
//     Options.MaxRecordSize — is corruption, a *CorruptError with the
//     record's offset.
//
// A torn tail is truncated away and the file synced; a Logger notice says
// so (Read leaves it in place and stops before it, with a notice). A file holding only a prefix of its header, possibly followed by
// zeros, was being created when the crash happened and is initialised
// again. A file with another magic, format version or kind is refused with
// ErrNotLog, as are files written by the record code of the did registry
// and payment store before this package (a registry's old files start with
// "iotrust did registry v1"; they are not converted).
//
// # Where it sits
//
// recordlog is in layer 0 and imports nothing of iotrust. did (the key
// registry), payment (the Store) and batch (the write-ahead log) build on
// it and map its errors to their own sentinels, since callers outside the
// module cannot name an internal package's errors.
package recordlog
