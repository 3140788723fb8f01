package vc

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/iotrust/iotrust/did"
)

// RegistryKeyStatus returns a KeyStatus backed by a key registry such as
// did.Registry: a signature counts only if its key is the key the registry
// holds for the DID at the time of the check, so a key rotated out
// (did.ErrKeyRotated), revoked (did.ErrKeyRevoked) or belonging to a
// decommissioned identity (did.ErrDecommissioned) is refused.
//
// A DID the registry has never seen (did.ErrNotRegistered) is judged by its
// own self-certifying key when allowUnregistered is true, and refused when
// it is false — the setting for fleets where every device is registered by
// its manufacturer.
func RegistryKeyStatus(reg did.KeyResolver, allowUnregistered bool) KeyStatus {
	return func(ctx context.Context, subject string, key did.PublicKey, at time.Time) error {
		current, err := reg.KeyAt(ctx, subject, at)
		if errors.Is(err, did.ErrNotRegistered) && allowUnregistered {
			return nil
		}
		if err != nil {
			return err
		}
		if !current.Equal(key) {
			return fmt.Errorf("%w: %s signed with a key that is not its registered key at %s",
				did.ErrKeyRotated, trunc(subject), at.UTC().Format(time.RFC3339))
		}
		return nil
	}
}
