package pgstore

import "context"

// ExecForTest runs a statement the way the store's writes do, with their
// error mapping, so a test can provoke errors the store's own statements
// guard against.
func (s *Store) ExecForTest(ctx context.Context, query string, args ...any) error {
	return s.exec(ctx, "test", query, args...)
}

// StringsForTest runs a read of one text column.
func (s *Store) StringsForTest(ctx context.Context, query string) ([]string, error) {
	return s.queryStrings(ctx, "test", query)
}

// ParentKinds is parentKinds, the parent named by each foreign key.
var ParentKinds = parentKinds
