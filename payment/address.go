package payment

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// AddressLength is the size of an Address.
const AddressLength = 20

// Address is an EVM account address: a channel contract, an ERC-20 token,
// a party's account. It is payment's own type so that the off-chain core
// names no chain library's types; it converts to and from go-ethereum's
// common.Address with a plain conversion (both are [20]byte).
//
// Its text form is the EIP-55 checksummed hex "0x…" (String), and
// ParseAddress accepts only that spelling, so an address that names a
// party (Channel.Payer, Cap.Payee) has exactly one string. A party named
// as a did:pkh:eip155 account is the same party as its address: a payer's
// caps key both by the address.
type Address [AddressLength]byte

// String returns the EIP-55 checksummed form "0x…".
func (a Address) String() string { return common.Address(a).Hex() }

// IsZero reports whether a is the zero address (the native coin as an
// Asset, no contract in a Domain).
func (a Address) IsZero() bool { return a == Address{} }

// MarshalText returns the form of String.
func (a Address) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText parses the form of String (see ParseAddress).
func (a *Address) UnmarshalText(b []byte) error {
	p, err := ParseAddress(string(b))
	if err != nil {
		return err
	}
	*a = p
	return nil
}

// ParseAddress parses an address in its EIP-55 checksummed form. Any other
// spelling (no "0x", wrong length, all lowercase, a wrong checksum) is
// ErrMalformed.
func ParseAddress(s string) (Address, error) {
	a, err := parseAddress(s)
	if err != nil {
		return Address{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return a, nil
}

// parseAddress is ParseAddress with the cause alone, for callers that wrap
// it in their own sentinel.
func parseAddress(s string) (Address, error) {
	b, err := parseHex(s, AddressLength, AddressLength, false)
	if err != nil {
		return Address{}, fmt.Errorf("address: %w", err)
	}
	a := Address(b)
	if a.String() != s {
		return Address{}, fmt.Errorf("address %q is not in its EIP-55 checksummed form %s", s, a)
	}
	return a, nil
}

// MarshalText returns the form of String: "0x" and 64 lowercase hex digits.
func (id ChannelID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText parses the form of String; any other spelling is
// ErrMalformed.
func (id *ChannelID) UnmarshalText(b []byte) error {
	p, err := parseHex(string(b), len(id), len(id), true)
	if err != nil {
		return fmt.Errorf("%w: channel ID: %w", ErrMalformed, err)
	}
	*id = ChannelID(p)
	return nil
}

// errHex is the cause parseHex reports (wrapped by the caller's sentinel).
type errHex string

func (e errHex) Error() string { return string(e) }

// parseHex decodes "0x" followed by hex digits into min to max bytes. With
// lower, only lowercase digits are accepted (one spelling per value);
// without, case is left to the caller's own check (EIP-55).
func parseHex(s string, min, max int, lower bool) ([]byte, error) {
	h, ok := strings.CutPrefix(s, "0x")
	if !ok {
		return nil, errHex(fmt.Sprintf("%q does not start with 0x", truncate(s)))
	}
	if len(h)%2 != 0 || len(h)/2 < min || len(h)/2 > max {
		return nil, errHex(fmt.Sprintf("%d hex digits, want %d to %d bytes", len(h), min, max))
	}
	if lower {
		for i := 0; i < len(h); i++ {
			if c := h[i]; 'A' <= c && c <= 'F' {
				return nil, errHex(fmt.Sprintf("uppercase hex digit at %d", i+2))
			}
		}
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, errHex(err.Error())
	}
	return b, nil
}

// hex0x is the form parseHex(·, ·, ·, true) reads.
func hex0x(b []byte) string { return "0x" + hex.EncodeToString(b) }

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// ethereumParty returns the address an Ethereum party name stands for: an
// address in EIP-55 form, or "did:pkh:eip155:<chainID>:<address>" (a
// CAIP-10 account as a did:pkh) whose chain ID is chainID. ok is false when
// name is neither (it may be a DID of another method); err, a cause without
// a sentinel, is set when name has one of the two forms but is malformed.
func ethereumParty(name string, chainID uint64) (a Address, ok bool, err error) {
	if strings.HasPrefix(name, "0x") {
		a, err = parseAddress(name)
		return a, true, err
	}
	rest, isPKH := strings.CutPrefix(name, "did:pkh:")
	if !isPKH {
		return Address{}, false, nil
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 3 || parts[0] != "eip155" {
		return Address{}, true, fmt.Errorf("%q is not a did:pkh:eip155 account", truncate(name))
	}
	c, perr := strconv.ParseUint(parts[1], 10, 64)
	if perr != nil || strconv.FormatUint(c, 10) != parts[1] {
		return Address{}, true, fmt.Errorf("chain ID %q in %q", truncate(parts[1]), truncate(name))
	}
	if c != chainID {
		return Address{}, true, fmt.Errorf("%q names chain %d, the channel is on chain %d", truncate(name), c, chainID)
	}
	a, err = parseAddress(parts[2])
	return a, true, err
}

// partyKey returns the one string a party is known by to a payer's caps:
// for an Ethereum account, however a channel names it (an EIP-55 address,
// or did:pkh:eip155:<chain ID>:<address> on any chain), its EIP-55 address;
// any other name as it is. ok is false for a name that has one of the two
// account forms but is malformed (it is then returned as it is).
func partyKey(name string) (key string, ok bool) {
	chainID := uint64(0)
	if rest, isPKH := strings.CutPrefix(name, "did:pkh:eip155:"); isPKH {
		c, _, _ := strings.Cut(rest, ":")
		n, err := strconv.ParseUint(c, 10, 64)
		if err != nil {
			return name, false
		}
		chainID = n
	}
	a, isAccount, err := ethereumParty(name, chainID)
	switch {
	case !isAccount:
		return name, true
	case err != nil:
		return name, false
	}
	return a.String(), true
}
