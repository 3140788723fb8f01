package evidence

import (
	"context"
	"errors"
	"fmt"

	"github.com/iotrust/iotrust/anchor"
)

// Upgrader brings a receipt up to date from its ledger: the same anchor in
// its current State with the proof material of that State, or an error
// when the receipt is not one of its ledger's. anchor's ledgers implement
// it (anchor.Upgrader has the same method).
type Upgrader interface {
	Upgrade(ctx context.Context, r anchor.Receipt) (anchor.Receipt, error)
}

// Upgrade returns a copy of b whose receipts that are not Final are
// replaced by what the upgraders answer for them: each such receipt is
// offered to the upgraders in turn until one returns a receipt of the same
// ledger, chain and commitment in a State no earlier than before, and
// Final ends the search. Final receipts are kept as they are; b is not
// changed. Answers are not verified here (Verify does that).
//
// The copy is returned also when some receipts stay short of Final; the
// error then matches ErrNotFinal for each of them and wraps what the
// upgraders said. A bundle that does not Validate is refused (nil and an
// error matching ErrMalformed).
func Upgrade(ctx context.Context, b *Bundle, upgraders ...Upgrader) (*Bundle, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	out := b.clone()
	var errs []error
	for i, r := range out.Receipts {
		if r.State == anchor.Final {
			continue
		}
		var tried []error
		for _, u := range upgraders {
			if err := ctx.Err(); err != nil {
				return out, errors.Join(append(errs, err)...)
			}
			nr, err := u.Upgrade(ctx, r)
			if err != nil {
				tried = append(tried, err)
				continue
			}
			if nr.Ledger != r.Ledger || nr.Chain != r.Chain || !nr.Commitment.Equal(r.Commitment) {
				tried = append(tried, fmt.Errorf("an upgrader answered with a receipt of another anchor (%s %s)", nr.Ledger, nr.Chain))
				continue
			}
			if !nr.State.Valid() || nr.State < r.State {
				tried = append(tried, fmt.Errorf("an upgrader answered with state %s, the receipt is %s", nr.State, r.State))
				continue
			}
			r = nr
			if r.State == anchor.Final {
				break
			}
		}
		out.Receipts[i] = r
		if r.State != anchor.Final {
			err := fmt.Errorf("%w: receipt %d (%s %s) is %s", ErrNotFinal, i, r.Ledger, r.Chain, r.State)
			if len(tried) > 0 {
				err = fmt.Errorf("%w: %w", err, errors.Join(tried...))
			}
			errs = append(errs, err)
		}
	}
	return out, errors.Join(errs...)
}
