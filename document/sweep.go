package document

import (
	"context"
	"io"
	"time"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/ispstack/crm"
)

// sweepBatch is how many object keys one ExistingObjectKeys call checks.
const sweepBatch = 200

// SweepResult counts what SweepOrphans did.
type SweepResult struct {
	Checked int // objects listed under the package's prefix
	Deleted int // orphans deleted
}

// SweepOrphans deletes the objects under the package's prefix that no
// document row names and that are older than olderThan: leftovers of a
// crash between storing a file and recording it, or of a purge that
// failed. The grace period keeps uploads in flight (stored, not yet
// recorded) safe; it must exceed the longest upload. Safe to run on
// several servers at once.
func (s *Service) SweepOrphans(ctx context.Context, olderThan time.Duration) (SweepResult, error) {
	var res SweepResult
	cutoff := s.clock().Add(-olderThan)
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		live, err := s.repo.ExistingObjectKeys(ctx, batch)
		if err != nil {
			return err
		}
		keep := make(map[string]bool, len(live))
		for _, k := range live {
			keep[k] = true
		}
		for _, k := range batch {
			if keep[k] {
				continue
			}
			if err := s.bucket.Delete(ctx, k); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
				return err
			}
			res.Deleted++
		}
		batch = batch[:0]
		return nil
	}
	it := s.bucket.List(&blob.ListOptions{Prefix: keyPrefix})
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return res, err
		}
		if obj.IsDir {
			continue
		}
		res.Checked++
		if obj.ModTime.After(cutoff) {
			continue
		}
		batch = append(batch, obj.Key)
		if len(batch) == sweepBatch {
			if err := flush(); err != nil {
				return res, err
			}
		}
	}
	return res, flush()
}

// PurgeCustomer deletes every object of a deleted customer and returns how
// many. The customer's document rows went with its erasure; refusing a
// customer that still exists keeps a mistaken call from destroying live
// files. Errors: conflict (the customer is not deleted).
func (s *Service) PurgeCustomer(ctx context.Context, customerID string) (int, error) {
	if !crm.ValidID(customerID) {
		return 0, crm.Errorf(crm.CodeNotFound, "customer not found")
	}
	_, err := s.repo.GetCustomer(ctx, customerID)
	switch crm.ErrorCode(err) {
	case crm.CodeNotFound:
	case "":
		return 0, crm.Errorf(crm.CodeConflict, "customer %s is not deleted; its documents stay", customerID)
	default:
		return 0, err
	}
	n := 0
	it := s.bucket.List(&blob.ListOptions{Prefix: objectKey(customerID, "")})
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if obj.IsDir {
			continue
		}
		if err := s.bucket.Delete(ctx, obj.Key); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			return n, err
		}
		n++
	}
}

// OnCustomerDeleted purges a deleted customer's objects; it is the
// customer.Options.AfterDelete hook. It runs to completion even when the
// request that deleted the customer has ended, and logs a failure, whose
// leftovers SweepOrphans removes later.
func (s *Service) OnCustomerDeleted(ctx context.Context, customerID string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if _, err := s.PurgeCustomer(ctx, customerID); err != nil {
		s.logger.ErrorContext(ctx, "document: cannot purge a deleted customer's files; the orphan sweep will retry",
			"customer_id", customerID, "err", err)
	}
}
