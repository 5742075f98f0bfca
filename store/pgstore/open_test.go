package pgstore_test

import (
	"slices"
	"testing"

	"github.com/ispstack/crm/internal/pgtest"
	"github.com/ispstack/crm/store/pgstore"
)

// TestOpenTurnsJITOff checks that the store's connections run without JIT
// compilation unless the URL asks for it.
func TestOpenTurnsJITOff(t *testing.T) {
	dsn := pgtest.DSN(t)
	for _, tc := range []struct{ dsn, want string }{{dsn, "off"}, {dsn + "&jit=on", "on"}} {
		s, err := pgstore.Open(t.Context(), tc.dsn, pgstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.StringsForTest(t.Context(), "SHOW jit")
		s.Close()
		if err != nil || !slices.Equal(got, []string{tc.want}) {
			t.Errorf("%s: jit = %q, %v; want %q", tc.dsn, got, err, tc.want)
		}
	}
}
