//go:build linux && (amd64 || arm64)

package fsync

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"unsafe"
)

// The Linux native AIO interface (include/uapi/linux/aio_abi.h).
const (
	iocbCmdFsync  = 2
	iocbCmdFdsync = 3
	iocbFlagResfd = 1 << 0
	aioEvents     = 256 // requests in flight per process before plain syscalls take over
	aioReapBatch  = 64
)

// iocb is struct iocb; aio_key and aio_rw_flags, which swap places on
// big-endian machines, are both zero here.
type iocb struct {
	data      uint64
	key       uint32
	rwFlags   uint32
	opcode    uint16
	reqprio   int16
	fildes    uint32
	buf       uint64
	nbytes    uint64
	offset    int64
	reserved2 uint64
	flags     uint32
	resfd     uint32
}

// ioEvent is struct io_event.
type ioEvent struct {
	data uint64
	obj  uint64
	res  int64
	res2 int64
}

// aio is the process's AIO context: one eventfd signals completions, and
// one goroutine at a time (the first waiter, then a reaper goroutine for
// as long as others still wait) waits on it in the network poller and
// hands each result to its waiter.
type aio struct {
	ctx uint64   // aio_context_t
	efd *os.File // the eventfd, non-blocking, in the poller
	efn uintptr  // its descriptor, named in each request

	mu      sync.Mutex
	next    uint64
	waiting map[uint64]chan result
	reaping bool
	broken  error // set when the eventfd fails: requests go plain
}

type result struct {
	res int64 // the kernel's return value: 0 or a negative errno
	err error // the reaper's own failure
}

var (
	aioOnce sync.Once
	aioCtx  *aio
)

// shared returns the process's AIO context, set up at first use; nil when
// the kernel refuses it.
func shared() *aio {
	aioOnce.Do(func() { aioCtx = newAIO() })
	return aioCtx
}

func newAIO() *aio {
	var ctx uint64
	if _, _, e := syscall.Syscall(syscall.SYS_IO_SETUP, aioEvents, uintptr(unsafe.Pointer(&ctx)), 0); e != 0 {
		return nil
	}
	fd, _, e := syscall.Syscall(syscall.SYS_EVENTFD2, 0, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if e != 0 {
		syscall.Syscall(syscall.SYS_IO_DESTROY, uintptr(ctx), 0, 0)
		return nil
	}
	return &aio{ctx: ctx, efd: os.NewFile(fd, "fsync-eventfd"), efn: fd, waiting: map[uint64]chan result{}}
}

// sync submits one sync of f and waits for it. done false means the
// request was not submitted, and the caller makes the system call itself.
func (a *aio) sync(f *os.File, data bool) (done bool, err error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return false, nil
	}
	ch := make(chan result, 1)
	a.mu.Lock()
	if a.broken != nil {
		a.mu.Unlock()
		return false, nil
	}
	a.next++
	id := a.next
	a.waiting[id] = ch
	a.mu.Unlock()

	cb := iocb{data: id, opcode: iocbCmdFsync, flags: iocbFlagResfd, resfd: uint32(a.efn)}
	if data {
		cb.opcode = iocbCmdFdsync
	}
	cbs := [1]*iocb{&cb}
	var submitted bool
	if cerr := rc.Control(func(fd uintptr) {
		cb.fildes = uint32(fd)
		for {
			n, _, e := syscall.Syscall(syscall.SYS_IO_SUBMIT, uintptr(a.ctx), 1, uintptr(unsafe.Pointer(&cbs[0])))
			if e == syscall.EINTR {
				continue
			}
			submitted = e == 0 && n == 1
			return
		}
	}); cerr != nil {
		submitted = false
	}
	a.mu.Lock()
	if !submitted {
		// Refused (no room in the context, or a file system without the
		// operation): the caller syncs the plain way.
		delete(a.waiting, id)
		a.mu.Unlock()
		return false, nil
	}
	// The first waiter collects completions itself, saving a goroutine
	// hand-off in the common case of one sync at a time; it hands the job
	// to a reaper goroutine if others are still waiting when it is done.
	lead := !a.reaping
	a.reaping = true
	a.mu.Unlock()
	var r result
	if lead {
		r = a.reapFor(ch)
	} else {
		r = <-ch
	}
	if r.err != nil {
		// The completion cannot be collected; whether the sync happened
		// is unknown, so it is made again the plain way.
		return false, nil
	}
	return true, completion(f, data, r.res)
}

// completion is the error of a completed request: res is what the kernel
// returned, 0 or a negative errno.
func completion(f *os.File, data bool, res int64) error {
	if res < 0 {
		return &os.PathError{Op: opName(data), Path: f.Name(), Err: syscall.Errno(-res)}
	}
	return nil
}

// reapFor collects completions until ch has its result, then leaves
// the collecting to a reaper goroutine if requests are still in flight.
func (a *aio) reapFor(ch chan result) result {
	var events [aioReapBatch]ioEvent
	for {
		select {
		case r := <-ch:
			a.mu.Lock()
			if len(a.waiting) > 0 {
				go a.reap()
			} else {
				a.reaping = false
			}
			a.mu.Unlock()
			return r
		default:
		}
		if !a.collect(events[:]) {
			return <-ch // fail gave it the error
		}
	}
}

// reap collects completions while requests are in flight.
func (a *aio) reap() {
	events := make([]ioEvent, aioReapBatch)
	for {
		a.mu.Lock()
		if len(a.waiting) == 0 {
			a.reaping = false
			a.mu.Unlock()
			return
		}
		a.mu.Unlock()
		if !a.collect(events) {
			return
		}
	}
}

// collect waits, parked in the poller, until a completion bumps the
// eventfd's counter, then hands out every completion the context holds.
// On a failure it fails every waiter and reports false.
func (a *aio) collect(events []ioEvent) bool {
	var buf [8]byte
	if _, err := a.efd.Read(buf[:]); err != nil {
		a.fail(fmt.Errorf("fsync: reading the AIO eventfd: %w", err))
		return false
	}
	if err := a.drain(events); err != nil {
		a.fail(err)
		return false
	}
	return true
}

// drain hands every completion waiting in the context to its waiter.
func (a *aio) drain(events []ioEvent) error {
	var zero syscall.Timespec
	for {
		n, _, e := syscall.Syscall6(syscall.SYS_IO_GETEVENTS, uintptr(a.ctx), 0, uintptr(len(events)),
			uintptr(unsafe.Pointer(&events[0])), uintptr(unsafe.Pointer(&zero)), 0)
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			return fmt.Errorf("fsync: io_getevents: %w", e)
		}
		a.mu.Lock()
		for _, ev := range events[:n] {
			if ch, ok := a.waiting[ev.data]; ok {
				delete(a.waiting, ev.data)
				ch <- result{res: ev.res}
			}
		}
		a.mu.Unlock()
		if int(n) < len(events) {
			return nil
		}
	}
}

// fail gives every waiter err and sends later requests the plain way.
func (a *aio) fail(err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.broken = errors.Join(a.broken, err)
	for id, ch := range a.waiting {
		delete(a.waiting, id)
		ch <- result{err: err}
	}
	a.reaping = false
}
