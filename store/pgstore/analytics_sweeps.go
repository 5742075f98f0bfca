package pgstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ispstack/crm/analytics"
)

const (
	// lockSweepSQL reads and locks a sweep's row; ensureSweepSQL creates
	// it the first time, so there is a row to lock.
	lockSweepSQL   = `SELECT cursor, started_at, finished_at FROM analytics_sweeps WHERE name = $1 FOR UPDATE`
	ensureSweepSQL = `INSERT INTO analytics_sweeps (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`
	saveSweepSQL   = `INSERT INTO analytics_sweeps (name, cursor, started_at, finished_at) VALUES ($1, $2, $3, $4)
	ON CONFLICT (name) DO UPDATE SET cursor = EXCLUDED.cursor, started_at = EXCLUDED.started_at,
		finished_at = EXCLUDED.finished_at`
)

// LockSweep returns the state of the sweep named name, a zero state with
// that Name when none was saved, and locks its row (FOR UPDATE) until the
// enclosing transaction ends; the row is created on first use, so the
// first claims of two servers wait for each other too.
func (s *Store) LockSweep(ctx context.Context, name string) (*analytics.SweepState, error) {
	st := &analytics.SweepState{Name: name}
	var started, finished sql.NullTime
	err := s.queryRow(ctx, lockSweepSQL, []any{name}, []any{&st.Cursor, &started, &finished})
	if errors.Is(err, sql.ErrNoRows) {
		if err := s.exec(ctx, "create sweep", ensureSweepSQL, name); err != nil {
			return nil, err
		}
		err = s.queryRow(ctx, lockSweepSQL, []any{name}, []any{&st.Cursor, &started, &finished})
	}
	if err != nil {
		return nil, s.mapErr(err, "lock sweep")
	}
	if started.Valid {
		st.StartedAt = started.Time.UTC()
	}
	st.FinishedAt = timePtr(finished)
	return st, nil
}

// SaveSweep stores the state of the sweep named st.Name.
func (s *Store) SaveSweep(ctx context.Context, st *analytics.SweepState) error {
	var started sql.NullTime
	if !st.StartedAt.IsZero() {
		started = sql.NullTime{Time: ts(st.StartedAt), Valid: true}
	}
	return s.exec(ctx, "save sweep", saveSweepSQL, st.Name, st.Cursor, started, nullTime(st.FinishedAt))
}
