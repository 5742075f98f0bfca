package pgstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ispstack/crm"
)

// versioned describes a write of one row at a version, for writeVersioned:
// what the row is (in errors), its id, the version the write expects, and
// the statement that reads the row's stored version with versionArgs.
type versioned struct {
	what, id    string
	want        int64
	versionSQL  string
	versionArgs []any
}

// writeVersioned runs query, which writes one row or, when the row is
// absent or at another version, nothing; a write of nothing is explained
// by a second read: not_found, or precondition_failed naming the stored
// version. Neither aborts the caller's transaction.
func (s *Store) writeVersioned(ctx context.Context, op string, v versioned, query string, args ...any) error {
	h := s.use(ctx)
	defer h.release()
	n, err := s.execCount(ctx, h, op, query, args...)
	if err != nil || n == 1 {
		return err
	}
	var version int64
	err = h.q.QueryRowContext(ctx, v.versionSQL, v.versionArgs...).Scan(&version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return crm.NotFound(v.what)
	case err != nil:
		return s.mapErr(err, op)
	}
	return stale(v.what, v.id, version, v.want)
}
