package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/document"
)

// Limits of an upload's form besides the file.
const (
	// formOverhead is what an upload body may carry beyond the file: the
	// metadata parts and the multipart framing.
	formOverhead = 64 << 10
	// maxFieldBytes bounds one metadata part (20 tags of 50 characters
	// fit).
	maxFieldBytes = 8 << 10
	// maxFormParts bounds the parts of an upload: the file, four fields
	// and up to MaxTags tags parts.
	maxFormParts = 5 + document.MaxTags
	// uploadTimeout is how long an upload may take to arrive, beyond the
	// server's general read timeout, so a large file on a slow link can
	// finish.
	uploadTimeout = 10 * time.Minute
)

// handleDocumentUpload serves POST /customers/{id}/documents: a
// multipart/form-data body with the part "file" and the fields name,
// document_type, expiration_date, requires_signature and tags (repeated or
// comma-separated), in any order. The file streams to the bucket; fields
// that arrive before it are checked first, so bad metadata is refused
// before anything is stored, and the stored file is removed again when the
// metadata after it turns out bad. 201 with Location, ETag and the
// document.
//
// An Idempotency-Key is honoured as on every POST, but the request is
// identified by what it uploads (the metadata and the file's SHA-256), not
// by its bytes: a client that retries builds a new multipart body with a
// new boundary. So the file is stored before the key is looked at, and
// removed again when the key replays an earlier upload or is refused.
func handleDocumentUpload(svc *document.Service, basePath string, once onceFunc) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		key, err := idempotencyKey(r)
		if err != nil {
			return err
		}
		if err := checkContentType(r, "multipart/form-data"); err != nil {
			return err
		}
		mr, err := r.MultipartReader()
		if err != nil {
			return crm.Errorf(crm.CodeInvalid, "The multipart/form-data body has no boundary.")
		}
		// Not every ResponseWriter supports deadlines (httptest's does not);
		// then the server's own timeout stays.
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTimeout))
		content, in, err := readUpload(r.Context(), svc, pathParam(r, "id"), mr)
		if err != nil {
			return err
		}
		create := handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
			d, err := svc.Create(r.Context(), content, in) // Create discards the file when it fails
			if err != nil {
				return err
			}
			w.Header().Set("Location", basePath+documentPath(d.CustomerID, d.ID))
			setETag(w, d.Version)
			encode(w, r, http.StatusCreated, viewDocument(basePath, d))
			return nil
		})
		if key == "" {
			return create(w, r)
		}
		if !once(w, r, key, uploadHash(r, in, content), func(w http.ResponseWriter) { create.ServeHTTP(w, r) }) {
			svc.Discard(r.Context(), content) // replayed or refused: this copy is not recorded
		}
		return nil
	})
}

// uploadHash identifies an upload for Idempotency-Key reuse checks: the
// SHA-256 of the method, path and query, the metadata as sent and the
// file's SHA-256.
func uploadHash(r *http.Request, in document.UploadInput, c *document.Content) string {
	meta, _ := json.Marshal(in) // plain data: cannot fail
	return requestHash(r, append(append(meta, 0), c.SHA256...))
}

// readUpload reads the parts of an upload: the stored file and the
// metadata sent with it. Once the file is stored, every failure discards
// it.
func readUpload(ctx context.Context, svc *document.Service, customerID string, mr *multipart.Reader) (*document.Content, document.UploadInput, error) {
	var (
		in      document.UploadInput
		p       crm.Problems
		seen    = map[string]bool{}
		content *document.Content
	)
	fail := func(err error) (*document.Content, document.UploadInput, error) {
		if content != nil {
			svc.Discard(ctx, content)
		}
		return nil, in, err
	}
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(formError(err))
		}
		if n == maxFormParts {
			return fail(invalid("form", "has more than "+strconv.Itoa(maxFormParts)+" parts"))
		}
		name := part.FormName()
		switch name {
		case "file":
			if content != nil {
				return fail(invalid("file", "is given more than once"))
			}
			if err := p.Err(); err != nil {
				return fail(err)
			}
			if err := in.Precheck(); err != nil {
				return fail(err)
			}
			if content, err = svc.StoreContent(ctx, customerID, formReader{part}); err != nil {
				return nil, in, err // StoreContent keeps nothing when it fails
			}
		case "name", "document_type", "expiration_date", "requires_signature", "tags":
			if seen[name] && name != "tags" {
				return fail(invalid(name, "is given more than once"))
			}
			seen[name] = true
			v, err := readField(part, name)
			if err != nil {
				return fail(err)
			}
			setField(&in, &p, name, v)
		default:
			if name == "" || !utf8.ValidString(name) || len(name) > 64 {
				name = "form"
			}
			return fail(invalid(name, msgUnknown))
		}
		part.Close()
	}
	if content == nil {
		p.Add("file", "is required: send the document as the form part named file")
	}
	if err := p.Err(); err != nil {
		return fail(err)
	}
	return content, in, nil
}

// setField sets one metadata field from its form value, recording a problem
// for a value that does not parse.
func setField(in *document.UploadInput, p *crm.Problems, name, v string) {
	switch name {
	case "name":
		in.Name = v
	case "document_type":
		in.Type = document.Type(v)
	case "expiration_date":
		d, err := crm.ParseDate(strings.TrimSpace(v))
		if err != nil {
			p.Add(name, err.Error())
			return
		}
		in.ExpirationDate = &d
	case "requires_signature":
		switch strings.TrimSpace(v) {
		case "true":
			in.RequiresSignature = true
		case "false":
			in.RequiresSignature = false
		default:
			p.Add(name, "must be true or false")
		}
	case "tags":
		if strings.TrimSpace(v) != "" {
			in.Tags = append(in.Tags, strings.Split(v, ",")...)
		}
	}
}

// readField reads a metadata part: at most maxFieldBytes of UTF-8.
func readField(part *multipart.Part, name string) (string, error) {
	b, err := io.ReadAll(io.LimitReader(formReader{part}, maxFieldBytes+1))
	switch {
	case err != nil:
		var ce *crm.Error
		if errors.As(err, &ce) {
			return "", ce
		}
		return "", formError(err)
	case len(b) > maxFieldBytes:
		return "", invalid(name, "is longer than "+strconv.Itoa(maxFieldBytes)+" bytes")
	case !utf8.Valid(b):
		return "", invalid(name, "must be valid UTF-8")
	}
	return string(b), nil
}

// formReader reads a part of the form, reporting the body limit as 413.
type formReader struct{ r io.Reader }

func (f formReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		err = crm.Errorf(crm.CodePayloadTooLarge, "The request body exceeds the limit of %d bytes.", tooLarge.Limit)
	}
	return n, err
}

// formError describes a failure to parse the multipart body.
func formError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return crm.Errorf(crm.CodePayloadTooLarge, "The request body exceeds the limit of %d bytes.", tooLarge.Limit)
	}
	return crm.Wrap(err, crm.CodeInvalid, "The multipart/form-data body is malformed.")
}
