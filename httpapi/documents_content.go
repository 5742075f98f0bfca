package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/document"
)

// downloadTimeout is how long a download may take to send, beyond the
// server's general write timeout.
const downloadTimeout = 10 * time.Minute

// maxRanges is the most byte ranges one download request may ask for: a
// client fetching pieces of a file needs a few, while many small ranges
// make the server send many multipart parts for little data.
const maxRanges = 5

// handleDocumentContent serves GET /customers/{id}/documents/
// {document_id}/content: the file, with its sniffed type, as an attachment
// (never rendered inline, never sniffed by the browser), with ETag (the
// sha256) and range requests (206, 416) through http.ServeContent over the
// bucket's seekable reader. A deactivated document's content is 404; with a
// scanner, content not scanned clean is 409. A Range of more than
// maxRanges ranges, or one the file cannot satisfy, is 416 as a problem
// document with Content-Range: bytes */<size>.
func handleDocumentContent(svc *document.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		d, content, err := svc.Open(r.Context(), pathParam(r, "id"), pathParam(r, "document_id"))
		if err != nil {
			return err
		}
		defer content.Close()
		if n := countRanges(r.Header.Get("Range")); n > maxRanges {
			w.Header().Set("Content-Range", "bytes */"+strconv.FormatInt(d.FileSize, 10))
			return crm.Errorf(codeRangeNotSatisfiable, "The Range names %d ranges; at most %d are served.", n, maxRanges)
		}
		h := w.Header()
		h.Set("Content-Type", d.MimeType)
		h.Set("Content-Disposition", attachment(d.Name, document.Extension(d.MimeType)))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		h.Set("Cache-Control", "private, no-cache")
		h.Set("ETag", `"`+d.SHA256+`"`)
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(downloadTimeout))
		http.ServeContent(&rangeErrorWriter{ResponseWriter: w, r: r}, r, "", d.UploadDate, content)
		return nil
	})
}

// countRanges counts the byte ranges of a Range header value (0 for none
// or another unit, which http.ServeContent ignores).
func countRanges(v string) int {
	spec, ok := strings.CutPrefix(v, "bytes=")
	if !ok {
		return 0
	}
	return strings.Count(spec, ",") + 1
}

// rangeErrorWriter turns the plain-text 416 that http.ServeContent writes
// for a Range the file cannot satisfy into a problem document, keeping its
// Content-Range; every other response passes through.
type rangeErrorWriter struct {
	http.ResponseWriter
	r      *http.Request
	failed bool // a 416 was answered: ServeContent's own body is dropped
}

func (w *rangeErrorWriter) WriteHeader(status int) {
	if status != http.StatusRequestedRangeNotSatisfiable {
		w.ResponseWriter.WriteHeader(status)
		return
	}
	w.failed = true
	h := w.Header()
	h.Del("Content-Disposition")
	h.Del("X-Content-Type-Options")
	msg := "The Range header is malformed."
	if size, ok := strings.CutPrefix(h.Get("Content-Range"), "bytes */"); ok {
		msg = "The Range lies outside the file of " + size + " bytes."
	}
	writeError(w.ResponseWriter, w.r, crm.Errorf(codeRangeNotSatisfiable, "%s", msg))
}

func (w *rangeErrorWriter) Write(b []byte) (int, error) {
	if w.failed {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *rangeErrorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// attachment is the Content-Disposition of a download named name (plus
// ext unless name ends with it): an ASCII fallback filename with anything
// unsafe in a header or a file system replaced by "_", and the exact name
// as RFC 5987 filename*.
func attachment(name, ext string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' {
			return '_'
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" {
		name = "document"
	}
	if ext != "" && !strings.HasSuffix(strings.ToLower(name), ext) {
		name += ext
	}
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == ';' || r == '%' {
			return '_'
		}
		return r
	}, name)
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + rfc5987(name)
}

// rfc5987 percent-encodes s as an RFC 5987 value: every byte outside
// attr-char.
func rfc5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	return b.String()
}
