package crm

import (
	"context"
	"time"
)

// Poll runs round until ctx ends: at once, again at once after a round
// that did work (n > 0 without error), after interval after one that did
// none or failed, and as soon as wake receives. The background loops of
// the workflow modules (verification workers, bulk job runners and
// senders) are each a Poll. A round's error goes to failed unless ctx has
// ended. Poll returns when ctx ends.
func Poll(ctx context.Context, interval time.Duration, wake <-chan struct{}, round func(context.Context) (int, error), failed func(error)) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
		n, err := round(ctx)
		if err != nil && ctx.Err() == nil {
			failed(err)
		}
		wait := interval
		if n > 0 && err == nil {
			wait = 0
		}
		t.Reset(wait)
	}
}
