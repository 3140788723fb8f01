//go:build !amd64 || purego

package merkle

func compress8(*b3x8) { panic("merkle: compress8 without AVX2") }

func transpose8(*[16][8]uint32, *[8]*byte) { panic("merkle: transpose8 without AVX2") }

func untranspose8(*[8][8]uint32, *[16][8]uint32) { panic("merkle: untranspose8 without AVX2") }

const haveX8 = false
