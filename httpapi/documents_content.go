package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/ispstack/crm/document"
)

// downloadTimeout is how long a download may take to send, beyond the
// server's general write timeout.
const downloadTimeout = 10 * time.Minute

// handleDocumentContent serves GET /customers/{id}/documents/
// {document_id}/content: the file, with its sniffed type, as an attachment
// (never rendered inline, never sniffed by the browser), with ETag (the
// sha256) and range requests (206, 416) through http.ServeContent over the
// bucket's seekable reader. A deactivated document's content is 404; with a
// scanner, content not scanned clean is 409.
func handleDocumentContent(svc *document.Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := parseQuery(r).err(); err != nil {
			writeError(w, r, err)
			return
		}
		d, content, err := svc.Open(r.Context(), pathParam(r, "id"), pathParam(r, "document_id"))
		if err != nil {
			writeError(w, r, err)
			return
		}
		defer content.Close()
		h := w.Header()
		h.Set("Content-Type", d.MimeType)
		h.Set("Content-Disposition", attachment(d.Name, document.Extension(d.MimeType)))
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		h.Set("Cache-Control", "private, no-cache")
		h.Set("ETag", `"`+d.SHA256+`"`)
		_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(downloadTimeout))
		http.ServeContent(w, r, "", d.UploadDate, content)
	})
}

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
