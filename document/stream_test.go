package document_test

import (
	"io"
	"runtime"
	"testing"

	"gocloud.dev/blob/fileblob"

	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/store/memstore"
)

// textStream is size bytes of plain text, produced as they are read, so
// the test itself holds none of it.
type textStream struct{ left int64 }

func (s *textStream) Read(p []byte) (int, error) {
	if s.left == 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), s.left)
	for i := range p[:n] {
		p[i] = "installation notes\n"[i%19]
	}
	s.left -= n
	return int(n), nil
}

// TestStoreContentStreams checks that an upload is streamed to the bucket:
// storing a 32 MiB file into a directory allocates a small fraction of it.
// (The memory bucket would hold the file itself, so a file bucket is used.)
func TestStoreContentStreams(t *testing.T) {
	bucket, err := fileblob.OpenBucket(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	const size = 32 << 20
	svc, _, customerID := newServiceOn(t, memstore.New(), bucket, document.Options{MaxSize: 2 * size})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	c, err := svc.StoreContent(t.Context(), customerID, &textStream{left: size})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if c.Size != size {
		t.Fatalf("stored %d bytes, want %d", c.Size, size)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > size/8 {
		t.Errorf("storing %d bytes allocated %d: the file is being held in memory", size, alloc)
	}
	attrs, err := bucket.Attributes(t.Context(), c.Key)
	if err != nil || attrs.Size != size {
		t.Errorf("object %s: %+v, %v; want %d bytes", c.Key, attrs, err, size)
	}
}
