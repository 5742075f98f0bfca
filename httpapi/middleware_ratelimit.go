package httpapi

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/time/rate"

	"github.com/ispstack/crm"
)

// rateLimiter holds one token bucket per API key. The keys are fixed at
// start, so the map never grows and needs no lock.
type rateLimiter struct {
	buckets map[string]*rate.Limiter
	now     func() time.Time
}

// newRateLimiter returns nil (no limit) when perSecond is 0.
func newRateLimiter(keys []APIKey, perSecond float64, burst int, now func() time.Time) *rateLimiter {
	if perSecond <= 0 {
		return nil
	}
	if burst < 1 {
		burst = 1
	}
	rl := &rateLimiter{buckets: map[string]*rate.Limiter{}, now: now}
	for _, k := range keys {
		rl.buckets[k.ID] = rate.NewLimiter(rate.Limit(perSecond), burst)
	}
	return rl
}

// limit answers 429 rate_limited with Retry-After (whole seconds) when the
// caller's key has used up its bucket. It runs after authenticate.
func (rl *rateLimiter) limit(next http.Handler) http.Handler {
	if rl == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := callerFrom(r.Context())
		b := rl.buckets[c.id]
		if b == nil {
			next.ServeHTTP(w, r)
			return
		}
		now := rl.now()
		res := b.ReserveN(now, 1)
		if !res.OK() {
			w.Header().Set("Retry-After", "1")
			writeError(w, r, crm.Errorf(crm.CodeRateLimited, "Too many requests for this API key."))
			return
		}
		if delay := res.DelayFrom(now); delay > 0 {
			res.CancelAt(now)
			secs := int(math.Ceil(delay.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
			writeError(w, r, crm.Errorf(crm.CodeRateLimited, "Too many requests for this API key; retry after %d s.", max(secs, 1)))
			return
		}
		next.ServeHTTP(w, r)
	})
}
