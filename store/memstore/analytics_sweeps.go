package memstore

import (
	"context"

	"github.com/ispstack/crm/analytics"
)

// LockSweep returns a copy of the state of the sweep named name, a zero
// state with that Name when none was saved. Transactions run one at a
// time, so inside one the state is held until it ends, as the
// Repository asks.
func (s *Store) LockSweep(ctx context.Context, name string) (*analytics.SweepState, error) {
	out := &analytics.SweepState{Name: name}
	err := s.read(ctx, func(db *database) error {
		if st, ok := db.sweeps[name]; ok {
			out = cloneSweep(st)
		}
		return nil
	})
	return out, err
}

// SaveSweep stores a copy of the state of the sweep named st.Name.
func (s *Store) SaveSweep(ctx context.Context, st *analytics.SweepState) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		set(tx, db.sweeps, st.Name, cloneSweep(st))
		return nil
	})
}

// cloneSweep deep-copies st, with its times as Postgres keeps them.
func cloneSweep(st *analytics.SweepState) *analytics.SweepState {
	v := *st
	v.StartedAt = normTime(st.StartedAt)
	if st.FinishedAt != nil {
		f := normTime(*st.FinishedAt)
		v.FinishedAt = &f
	}
	return &v
}
