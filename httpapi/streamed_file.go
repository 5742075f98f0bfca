package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/ispstack/crm"
)

// streamWriteTimeout is how long a streamed file waits for the client
// to take one write. Each write sets the deadline anew, so a file streams
// as long as it takes while the client keeps reading, beyond the server's
// general write timeout.
const streamWriteTimeout = time.Minute

// streamedFile is the response body of a file generated as it streams (an
// export, a job's errors). Its first write sends the response header, so
// a failure before anything was written still answers a problem
// document; every write is flushed to the client under a fresh write
// deadline.
type streamedFile struct {
	w           http.ResponseWriter
	rc          *http.ResponseController
	contentType string
	filename    string
	begun       bool
}

// newStreamedFile returns the body of a file of contentType named filename.
func newStreamedFile(w http.ResponseWriter, contentType, filename string) *streamedFile {
	return &streamedFile{w: w, rc: http.NewResponseController(w), contentType: contentType, filename: filename}
}

// begin sends the header of the file: its type, and its name as an
// attachment. Personal data is not to be cached.
func (b *streamedFile) begin() {
	b.begun = true
	h := b.w.Header()
	h.Set("Content-Type", b.contentType)
	h.Set("Content-Disposition", `attachment; filename="`+b.filename+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	b.w.WriteHeader(http.StatusOK)
}

func (b *streamedFile) Write(p []byte) (int, error) {
	if !b.begun {
		b.begin()
	}
	_ = b.rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout)) // not every ResponseWriter supports it
	n, err := b.w.Write(p)
	if err != nil {
		return n, err
	}
	return n, b.rc.Flush()
}

// cutOff ends a file that failed midway: it logs msg with err and attrs,
// then aborts the connection, so the client cannot take a partial file
// for a whole one. It does not return.
func cutOff(r *http.Request, msg string, err error, attrs ...slog.Attr) {
	info := requestInfoFrom(r.Context())
	level := slog.LevelError
	if crm.ErrorCode(err) == crm.CodeUnavailable {
		level = slog.LevelWarn
	}
	attrs = append([]slog.Attr{slog.String("request_id", info.id), slog.String("route", info.route)}, attrs...)
	info.logger.LogAttrs(r.Context(), level, msg, append(attrs, slog.String("error", err.Error()))...)
	panic(http.ErrAbortHandler)
}
