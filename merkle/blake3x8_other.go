//go:build !amd64 || purego

package merkle

func compress8(*b3x8) { panic("merkle: compress8 without AVX2") }

const haveX8 = false
