//go:build unix

package fsync

import "os"

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = File(d)
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
