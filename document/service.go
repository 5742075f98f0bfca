package document

import (
	"context"
	"io"
	"log/slog"
	"time"

	"gocloud.dev/blob"

	"github.com/ispstack/crm"
)

// DefaultMaxSize is the largest file accepted when Options.MaxSize is 0.
const DefaultMaxSize = 25 << 20

// Scanner checks content for malware. A deployment plugs in its engine
// (ClamAV, a cloud service, …) here.
type Scanner interface {
	// Scan reads the content and reports whether it is clean. An error
	// means no verdict: the document stays pending and is scanned again by
	// Service.ScanPending.
	Scan(ctx context.Context, content io.Reader) (clean bool, err error)
}

// Options configures a Service.
type Options struct {
	// MaxSize is the largest file accepted, in bytes; 0 means
	// DefaultMaxSize.
	MaxSize int64
	// Scanner, when set, scans every upload; content is served only once
	// scanned clean. Without one documents are not_scanned and served.
	Scanner Scanner
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives failures of work that no caller waits for (purging a
	// deleted customer's files, scanning after an upload); nil means
	// slog.Default().
	Logger *slog.Logger
}

// Service applies the document rules over a Repository and a bucket. It is
// safe for concurrent use.
type Service struct {
	repo    Repository
	inTx    crm.TxFunc[Repository]
	bucket  *blob.Bucket
	maxSize int64
	scanner Scanner
	clock   func() time.Time // now, as stored (crm.Clock)
	logger  *slog.Logger
}

// NewService returns a Service that keeps metadata through repo (writes in
// transactions run by inTx, store.Tx[Repository](s) for a store.Store) and
// content in bucket. The Service does not close the bucket.
func NewService(repo Repository, inTx crm.TxFunc[Repository], bucket *blob.Bucket, opts Options) *Service {
	s := &Service{repo: repo, inTx: inTx, bucket: bucket, maxSize: opts.MaxSize,
		scanner: opts.Scanner, clock: crm.Clock(opts.Now), logger: opts.Logger}
	if s.maxSize <= 0 {
		s.maxSize = DefaultMaxSize
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	configureSniffing()
	return s
}

// MaxSize returns the largest file the Service accepts, in bytes, so a
// transport can size its own request limit around it.
func (s *Service) MaxSize() int64 { return s.maxSize }
