package recordlog

import (
	"context"
	"errors"
	"io"
	"iter"
	"log/slog"
)

// Read returns an iterator over the records of a log file of opts.Kind
// held in the first size bytes of r: a copy an auditor was given, bytes
// fetched over the network, or the file of a Log that another process
// holds open. Read takes no lock and creates, repairs and writes nothing;
// name is what its errors and notices call the file (a path, a URL).
//
// Read checks what Open checks (see the package documentation) and yields
// exactly the records Open would keep, in order, so a file that Open then
// Records would read gives the same records here. Where Open repairs,
// Read reads around, leaving the file as it is:
//
//   - a file holding only what a crash while creating it leaves (nothing,
//     a prefix of the header, zeros) holds no records;
//   - a torn tail (what an interrupted append leaves at the end, never
//     acknowledged) ends the iteration without an error, with a notice to
//     opts.Logger (none for zeros when opts.Preallocate is set: they are
//     the unused preallocation). A Log appending while Read reads leaves
//     such a tail, so Read stops at the last record whole within size.
//
// Any other damage ends the iteration with a *CorruptError, a file of
// another kind or format with ErrNotLog, opts Open would refuse with
// ErrInvalidOptions, a failed read with the I/O error (never reported as
// damage, a file that shrinks under Read included), and ctx with its
// error; the error is yielded once, with a nil payload.
//
// Records are yielded as they are read, before what follows them is
// checked: a caller that must not act on a damaged file gathers them and
// uses them once the iteration has ended without an error. Each payload
// is a new slice the caller may keep; Read itself holds one record (at
// most opts.MaxRecordSize bytes) and a 64 KiB buffer at a time. A prefix
// of a log cut at a record boundary is itself a log: only a record count
// or head kept elsewhere tells that a copy is complete.
func Read(ctx context.Context, r io.ReaderAt, size int64, name string, opts Options) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		if err := opts.check(); err != nil {
			yield(nil, err)
			return
		}
		if err := ctx.Err(); err != nil {
			yield(nil, err)
			return
		}
		maxRecord := opts.MaxRecordSize
		if maxRecord == 0 {
			maxRecord = DefaultMaxRecordSize
		}
		fresh, err := checkHeader(r, size, name, opts.Kind)
		if err != nil {
			yield(nil, err)
			return
		}
		if fresh {
			return
		}
		sc := newScanner(r, HeaderSize, size, maxRecord, name, false)
		sc.each(ctx, yield, func(err error) error {
			if !errors.Is(err, errTorn) {
				return err
			}
			if opts.Preallocate > 0 {
				if z, zerr := zeroFrom(r, sc.off, size); zerr == nil && z {
					return nil
				}
			}
			if opts.Logger != nil {
				opts.Logger.Warn("recordlog: reading up to a record torn by an interrupted append, left in place",
					slog.String("path", name), slog.Int64("offset", sc.off), slog.Int64("bytes", size-sc.off))
			}
			return nil
		})
	}
}

// each yields the records of s, in order, until the end of its range, a
// yield that returns false, the end of ctx (whose error it yields) or an
// error of next, which problem turns into the error to yield: nil ends the
// iteration without one.
func (s *scanner) each(ctx context.Context, yield func([]byte, error) bool, problem func(error) error) {
	for {
		if err := ctx.Err(); err != nil {
			yield(nil, err)
			return
		}
		p, err := s.next()
		if err == io.EOF {
			return
		}
		if err != nil {
			if err = problem(err); err != nil {
				yield(nil, err)
			}
			return
		}
		if !yield(p, nil) {
			return
		}
	}
}
