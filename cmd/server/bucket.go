package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"

	"gocloud.dev/blob"
	// The bucket drivers BLOB_URL may name (blobSchemes), registered for
	// blob.OpenBucket.
	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/memblob"
	_ "gocloud.dev/blob/s3blob"
)

// openBucket opens the document bucket of BLOB_URL. A file:// bucket gets
// its directory created, and its temporary files written next to their
// final place (not in os.TempDir, from which the final rename fails when
// the directory is on another file system, as a container volume is),
// unless the URL says otherwise.
func openBucket(ctx context.Context, cfg *config, logger *slog.Logger) (*blob.Bucket, error) {
	u, err := url.Parse(cfg.blobURL)
	if err != nil {
		return nil, fmt.Errorf("BLOB_URL: %w", err)
	}
	if u.Scheme == "file" {
		q := u.Query()
		for _, p := range []string{"create_dir", "no_tmp_dir"} {
			if !q.Has(p) {
				q.Set(p, "true")
			}
		}
		u.RawQuery = q.Encode()
	}
	b, err := blob.OpenBucket(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("BLOB_URL: %w", err)
	}
	if u.Scheme == "mem" && cfg.databaseURL != "" {
		logger.Warn("BLOB_URL is mem:// while records are in Postgres: document files are lost when the process exits")
	}
	return b, nil
}
