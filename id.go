package crm

import "github.com/google/uuid"

// NewID returns a UUIDv7: unique, and ordered by creation time. Every
// record of the domain packages gets its id here.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// ValidID reports whether id has the form of an id NewID issues (a
// lower-case, hyphenated UUID). A malformed id can exist nowhere, so
// services answer not_found for it without asking the store.
func ValidID(id string) bool {
	u, err := uuid.Parse(id)
	return err == nil && len(id) == 36 && u.String() == id
}
