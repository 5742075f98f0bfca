package pgtest_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/ispstack/crm/internal/pgtest"
)

// TestDSN checks that parallel tests get distinct, migrated databases.
func TestDSN(t *testing.T) {
	names := make(chan string, 4)
	t.Run("group", func(t *testing.T) {
		for i := range cap(names) {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				db, err := sql.Open("pgx", pgtest.DSN(t))
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				var name string
				var tables int
				err = db.QueryRowContext(context.Background(), `SELECT current_database(),
					(SELECT count(*) FROM information_schema.tables WHERE table_name = 'customers')`).Scan(&name, &tables)
				if err != nil {
					t.Fatal(err)
				}
				if tables != 1 {
					t.Errorf("database %s has no customers table", name)
				}
				names <- name
			})
		}
	})
	close(names)
	seen := map[string]bool{}
	for n := range names {
		if seen[n] {
			t.Errorf("database %s was handed out twice", n)
		}
		seen[n] = true
	}
}
