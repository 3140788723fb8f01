// Package fsync makes files durable without tying up the Go scheduler
// while the disk works.
//
// A goroutine in a blocking system call keeps its P (one of the
// GOMAXPROCS slots that run Go code) until the runtime's monitor notices
// and hands the P to another thread, which can take up to 10 ms when the
// monitor has been idle. A gateway that syncs hundreds of times a second
// on a few cores loses a real share of its processor time that way, with
// goroutines ready to run and the cores idle.
//
// On Linux this package submits each sync as an asynchronous request
// (Linux native AIO, IOCB_CMD_FSYNC and IOCB_CMD_FDSYNC, which the kernel
// runs on its own worker thread) and waits for the completion through an
// eventfd in Go's network poller, so the waiting goroutine is parked and
// its P runs other goroutines at once. The kernel performs the same
// vfs_fsync_range as fsync(2) and fdatasync(2), and reports the same
// errors. Where AIO is unavailable (another system, a kernel or sandbox
// that refuses io_setup, a file whose file system refuses the request, or
// more requests in flight than the context holds), the plain system call
// is made instead. Either way a nil error means the same thing as a nil
// error from fsync(2) or fdatasync(2).
package fsync
