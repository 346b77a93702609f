package signal

import (
	"context"
	"fmt"
)

// passed is the reading of a passing integrity check.
// A pass stands even if the caller's context ended meanwhile.
func passed(detail string) Reading {
	return Reading{Value: 0, Valid: true, Unit: UnitFailed, Detail: detail}
}

// failed is the reading of a failing integrity check: a valid reading of
// 1, unless the caller's context ended, which says nothing about the
// checked system.
func failed(ctx context.Context, err error) Reading {
	if cerr := ctx.Err(); cerr != nil {
		return cancelled(cerr)
	}
	return Reading{Value: 1, Valid: true, Unit: UnitFailed, Detail: humanize(err), Err: err}
}

func cancelled(err error) Reading {
	return invalid(UnitFailed, fmt.Errorf("check abandoned: %w", err))
}
