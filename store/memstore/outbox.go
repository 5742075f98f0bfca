package memstore

import (
	"context"
	"slices"
	"strings"

	"github.com/ispstack/crm"
)

// InsertEvent appends a copy of e to the outbox. Conflict when the id
// exists.
func (s *Store) InsertEvent(ctx context.Context, e *crm.Event) error {
	v := cloneEvent(e)
	return s.write(ctx, func(db *database, tx *txn) error {
		i, found := slices.BinarySearchFunc(db.events, v.ID, eventByID)
		if found {
			return crm.Errorf(crm.CodeConflict, "event %s already exists", v.ID)
		}
		// UUIDv7 ids grow, so this is nearly always an append.
		db.events = slices.Insert(db.events, i, v)
		tx.onRollback(func() {
			if j, ok := slices.BinarySearchFunc(db.events, v.ID, eventByID); ok {
				db.events = slices.Delete(db.events, j, j+1)
			}
		})
		return nil
	})
}

// ListEvents returns copies of up to limit events with ids greater than
// afterID, ordered by id.
func (s *Store) ListEvents(ctx context.Context, afterID string, limit int) ([]crm.Event, error) {
	var out []crm.Event
	err := s.read(ctx, func(db *database) error {
		i, found := slices.BinarySearchFunc(db.events, afterID, eventByID)
		if found {
			i++
		}
		rows := db.events[i:]
		out = values(rows[:limitOf(limit, len(rows))], cloneEvent)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func eventByID(e *crm.Event, id string) int { return strings.Compare(e.ID, id) }
