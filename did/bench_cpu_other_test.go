//go:build !linux

package did

import "testing"

type threadCPU struct{}

func startThreadCPU(*testing.B) *threadCPU { return &threadCPU{} }

func (*threadCPU) report(*testing.B, int) {}
