package bulk

import (
	"context"
	"io"

	"github.com/ispstack/crm"
)

// ChunkSize is the size of the chunks a job's input is stored in; every
// chunk but the last is full, so an offset tells its chunk.
const ChunkSize = 1 << 20

// chunkWriter stores what is written to it as the job's input chunks,
// through r (in the submitting transaction), holding at most one chunk in
// memory.
type chunkWriter struct {
	ctx   context.Context
	r     Repository
	jobID string
	seq   int
	buf   []byte
	size  int64
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if w.buf == nil {
			w.buf = make([]byte, 0, ChunkSize)
		}
		k := min(len(p), ChunkSize-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		if len(w.buf) == ChunkSize {
			if err := w.flush(); err != nil {
				return 0, err
			}
		}
	}
	w.size += int64(n)
	return n, nil
}

// flush stores the buffered chunk, if any.
func (w *chunkWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	if err := w.r.PutJobInput(w.ctx, w.jobID, w.seq, w.buf); err != nil {
		return err
	}
	w.seq++
	w.buf = w.buf[:0]
	return nil
}

// chunkReader reads a job's input from offset on, a chunk at a time.
type chunkReader struct {
	ctx   context.Context
	r     JobRepository
	jobID string
	seq   int
	buf   []byte
	eof   bool
}

// newChunkReader returns a reader of the job's input from offset.
func newChunkReader(ctx context.Context, r JobRepository, jobID string, offset int64) (*chunkReader, error) {
	cr := &chunkReader{ctx: ctx, r: r, jobID: jobID, seq: int(offset / ChunkSize)}
	if err := cr.load(); err != nil {
		return nil, err
	}
	skip := int(offset % ChunkSize)
	if skip > len(cr.buf) {
		return nil, crm.Errorf(crm.CodeInternal, "job %s: input offset %d is past its end", jobID, offset)
	}
	cr.buf = cr.buf[skip:]
	return cr, nil
}

// load fetches chunk seq; past the last one the reader is at its end.
func (cr *chunkReader) load() error {
	data, err := cr.r.GetJobInput(cr.ctx, cr.jobID, cr.seq)
	if crm.ErrorCode(err) == crm.CodeNotFound {
		cr.eof, cr.buf = true, nil
		return nil
	}
	if err != nil {
		return err
	}
	cr.buf = data
	cr.seq++
	return nil
}

func (cr *chunkReader) Read(p []byte) (int, error) {
	for len(cr.buf) == 0 {
		if cr.eof {
			return 0, io.EOF
		}
		if err := cr.load(); err != nil {
			return 0, err
		}
	}
	n := copy(p, cr.buf)
	cr.buf = cr.buf[n:]
	return n, nil
}
