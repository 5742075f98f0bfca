package notify

// permanentError is a failure that a retry cannot fix: it reads as its
// cause and matches ErrPermanent with errors.Is.
type permanentError struct{ err error }

// permanent marks err as ErrPermanent, keeping its message and its chain.
func permanent(err error) error { return &permanentError{err} }

func (e *permanentError) Error() string { return e.err.Error() }

// Unwrap gives the cause, so errors.Is and errors.As see through.
func (e *permanentError) Unwrap() error { return e.err }

// Is reports the mark: the error is ErrPermanent.
func (e *permanentError) Is(target error) bool { return target == ErrPermanent }
