// Package nilable tells whether a value handed over as an interface is
// nil or holds a nil pointer, map, slice, channel or function: an
// interface holding a typed nil is not == nil, and its methods panic when
// called. Constructors that take a ledger, a verifier or a client check
// their arguments with it and refuse them with their own typed error.
package nilable
