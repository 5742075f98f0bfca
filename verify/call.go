package verify

import (
	"context"
	"errors"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/sony/gobreaker/v2"
)

// ErrCircuitOpen is matched (errors.Is) by a call refused because the
// provider's circuit breaker is open: it failed BreakerFailures times in a
// row and is left alone for BreakerCooldown.
var ErrCircuitOpen = errors.New("verify: provider circuit open")

// CodeCircuitOpen is the failure code of a call the circuit breaker
// refused.
const CodeCircuitOpen = "circuit_open"

// call makes up to CallsPerClaim calls of fn to the named provider, each
// bounded by CallTimeout and guarded by the provider's circuit breaker,
// waiting with exponential backoff between calls while the failure is
// transient. It returns how many calls reached the provider and the last
// error: nil, a permanent error, a transient one after the last call,
// ErrCircuitOpen, or ctx's error.
func (s *Service) call(ctx context.Context, provider string, fn func(ctx context.Context) error) (int, error) {
	b := backoff.NewExponentialBackOff(backoff.WithInitialInterval(s.opts.CallBackoff),
		backoff.WithMultiplier(2), backoff.WithRandomizationFactor(0.5), backoff.WithMaxElapsedTime(0))
	calls := 0
	for {
		err := s.callOnce(ctx, provider, fn)
		if !errors.Is(err, ErrCircuitOpen) {
			calls++
		}
		if err == nil || !IsTransient(err) || errors.Is(err, ErrCircuitOpen) || calls >= s.opts.CallsPerClaim {
			return calls, err
		}
		if ctx.Err() != nil {
			return calls, ctx.Err()
		}
		t := time.NewTimer(b.NextBackOff())
		select {
		case <-ctx.Done():
			t.Stop()
			return calls, ctx.Err()
		case <-t.C:
		}
	}
}

// callOnce makes one call through the provider's breaker with its own
// deadline. A deadline of the call's own (not ctx's) is a provider timeout.
func (s *Service) callOnce(ctx context.Context, provider string, fn func(ctx context.Context) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := s.breaker(provider).Execute(func() (any, error) {
		cctx, cancel := context.WithTimeout(ctx, s.opts.CallTimeout)
		defer cancel()
		err := fn(cctx)
		if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			err = &ProviderError{Provider: provider, Code: CodeTimeout, Transient: true,
				Message: "no answer within " + s.opts.CallTimeout.String(), Err: err}
		}
		return nil, err
	})
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return &ProviderError{Provider: provider, Code: CodeCircuitOpen, Transient: true,
			Message: "the provider failed repeatedly; calls resume after a cooldown", Err: ErrCircuitOpen}
	}
	return err
}

// breaker returns the circuit breaker of the named provider, made on first
// use. Only transient failures count against a provider: a refusal or an
// invalid request shows that it answers. A call abandoned because the
// caller's context ended says nothing about the provider either.
func (s *Service) breaker(provider string) *gobreaker.CircuitBreaker[any] {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.breakers[provider]; ok {
		return b
	}
	b := gobreaker.NewCircuitBreaker[any](gobreaker.Settings{
		Name:        provider,
		MaxRequests: 1,
		Timeout:     s.opts.BreakerCooldown,
		ReadyToTrip: func(c gobreaker.Counts) bool {
			return c.ConsecutiveFailures >= uint32(s.opts.BreakerFailures)
		},
		IsSuccessful: func(err error) bool { return err == nil || !IsTransient(err) },
		IsExcluded:   func(err error) bool { return errors.Is(err, context.Canceled) },
		OnStateChange: func(name string, from, to gobreaker.State) {
			s.opts.Logger.Warn("verify: provider circuit breaker", "provider", name, "from", from.String(), "to", to.String())
		},
	})
	s.breakers[provider] = b
	return b
}
