package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
)

// importTypes are the media types of an import file, as the document
// and the problems list them.
var importTypes = []string{"text/csv", "application/json", "application/x-ndjson"}

// importFormats are the formats of the import media types.
var importFormats = map[string]bulk.Format{
	"text/csv":             bulk.FormatCSV,
	"application/json":     bulk.FormatJSON,
	"application/x-ndjson": bulk.FormatNDJSON,
}

// importExtensions are the formats of a form's file named without one of
// importTypes.
var importExtensions = map[string]bulk.Format{
	".csv":    bulk.FormatCSV,
	".json":   bulk.FormatJSON,
	".ndjson": bulk.FormatNDJSON,
	".jsonl":  bulk.FormatNDJSON,
}

// importModes are the values of the mode parameter.
var importModes = []bulk.ImportMode{bulk.ImportCreate, bulk.ImportUpsert}

// handleBulkImport serves POST /customers/bulk-import?mode=&dry_run=: the
// file is the body (text/csv, application/json, application/x-ndjson) or
// the part "file" of a multipart/form-data body, the form's only part. It
// streams into the job's stored input, never held whole; an unreadable
// file or an unknown CSV header is 400 and stores nothing. 202 with
// Location and the queued job.
//
// An Idempotency-Key is honoured as on every POST, but the request is
// identified by its path, query, format and the file's SHA-256 (a retried
// form has a new boundary), known only once the file is read. So the key
// is claimed inside the submission's transaction, just before its commit
// (bulk.ImportRequest.BeforeCommit), and the 202 stored with the job in
// that same transaction: a key already answered replays its response and
// rolls the new job back, another file under it is 422, and a client
// that lost its 202 gets it again however the request ended.
func (s *server) handleBulkImport(svc *bulk.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, "mode", "dry_run")
		mode := enum(q, "mode", importModes)
		if mode == "" {
			mode = bulk.ImportCreate
		}
		dryRun := q.flag("dry_run", false)
		if err := q.err(); err != nil {
			return err
		}
		key, err := idempotencyKey(r)
		if err != nil {
			return err
		}
		// A large file on a slow link may take longer than the server's
		// general read timeout (not every ResponseWriter supports this).
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadTimeout))
		file, err := openImport(r)
		if err != nil {
			return err
		}
		in := &importSubmission{s: s, svc: svc, r: r, key: key, file: file}
		req := bulk.ImportRequest{Mode: mode, Format: file.format, DryRun: dryRun}
		if file.form != nil || key != "" {
			req.BeforeCommit = in.beforeCommit
		}
		j, err := svc.SubmitImport(r.Context(), req, file.body)
		if err != nil {
			return in.failed(w, err)
		}
		w.Header().Set("Location", s.basePath+jobPath(j.ID))
		return writeJob(w, r, http.StatusAccepted, svc, s.basePath, j)
	})
}

// importFile is the file of an import request.
type importFile struct {
	format bulk.Format
	body   *importReader
	// form is the multipart body the file is a part of; nil when the file
	// is the body.
	form *multipart.Reader
}

// openImport finds the file of an import request and its format: from
// the Content-Type of the body, or of the form's part "file" (else from
// the part's file name). Another type is 415.
func openImport(r *http.Request) (*importFile, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (importFormats[mt] == "" && mt != "multipart/form-data") {
		return nil, crm.Errorf(crm.CodeUnsupportedMediaType, "Content-Type must be %s or multipart/form-data.", strings.Join(importTypes, ", "))
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, crm.Errorf(crm.CodeUnsupportedMediaType, "The charset must be utf-8.")
	}
	if f := importFormats[mt]; f != "" {
		return &importFile{format: f, body: &importReader{r: r.Body}}, nil
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, crm.Errorf(crm.CodeInvalid, "The multipart/form-data body has no boundary.")
	}
	part, err := mr.NextPart()
	switch {
	case err == io.EOF:
		return nil, invalid("file", "is required: send the file as the form part named file")
	case err != nil:
		return nil, formError(err)
	case part.FormName() != "file":
		return nil, unknownPart(part)
	}
	f, err := partFormat(part)
	if err != nil {
		return nil, err
	}
	return &importFile{format: f, body: &importReader{r: part}, form: mr}, nil
}

// partFormat is the format of the form's file: its Content-Type's, else
// its name's extension's.
func partFormat(part *multipart.Part) (bulk.Format, error) {
	if mt, _, err := mime.ParseMediaType(part.Header.Get("Content-Type")); err == nil && importFormats[mt] != "" {
		return importFormats[mt], nil
	}
	if f := importExtensions[strings.ToLower(path.Ext(part.FileName()))]; f != "" {
		return f, nil
	}
	return "", crm.Errorf(crm.CodeUnsupportedMediaType,
		"The file part's Content-Type must be %s, or its file name end in .csv, .json, .ndjson or .jsonl.", strings.Join(importTypes, ", "))
}

// endOfForm checks that nothing follows the file in the form.
func endOfForm(mr *multipart.Reader) error {
	part, err := mr.NextPart()
	switch {
	case err == io.EOF:
		return nil
	case err != nil:
		return formError(err)
	case part.FormName() == "file":
		return invalid("file", "is given more than once")
	}
	return unknownPart(part)
}

// unknownPart is the problem of a form part other than the file.
func unknownPart(part *multipart.Part) error {
	name := part.FormName()
	if name == "" || !utf8.ValidString(name) || len(name) > 64 {
		name = "form"
	}
	return invalid(name, msgUnknown+": the form takes the file alone, as the part named file")
}

// importReader reads an import's file and notes when the body ran past
// its limit: the import may report that read as malformed input, and it
// is 413 all the same.
type importReader struct {
	r        io.Reader
	tooLarge error
}

func (b *importReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	var tooLarge *http.MaxBytesError
	if err != nil && errors.As(err, &tooLarge) {
		b.tooLarge = crm.Errorf(crm.CodePayloadTooLarge, "The request body exceeds the limit of %d bytes.", tooLarge.Limit)
		err = b.tooLarge
	}
	return n, err
}

// importSubmission is one bulk import request on its way to its job.
type importSubmission struct {
	s    *server
	svc  *bulk.Service
	r    *http.Request
	key  string // the Idempotency-Key; "" for none
	file *importFile
	// claim is the key's record while this request holds it.
	claim *crm.IdempotencyRecord
	// earlier is the record of an earlier request with the key, whose
	// response answers this one.
	earlier *crm.IdempotencyRecord
}

// errReplayed rolls back a submission whose Idempotency-Key answers with
// an earlier response.
var errReplayed = errors.New("httpapi: the Idempotency-Key replays an earlier import")

// beforeCommit runs in the submission's transaction once the file is read
// and stored: the form must end with it, and the Idempotency-Key (if any)
// is claimed with the request's hash and answered with the job's 202, all
// through ctx and so in that transaction (a store.Store Backend joins
// it). An error rolls the job back.
func (in *importSubmission) beforeCommit(ctx context.Context, j *bulk.Job, bodySHA256 []byte) error {
	if in.file.form != nil {
		if err := endOfForm(in.file.form); err != nil {
			return err
		}
	}
	if in.key == "" {
		return nil
	}
	s, r := in.s, in.r
	c, _ := callerFrom(r.Context())
	now := s.now()
	rec := &crm.IdempotencyRecord{Scope: c.id, Key: in.key, RequestHash: requestHash(r, append([]byte(in.file.format+"\x00"), bodySHA256...)),
		ClaimID: crm.NewID(), CreatedAt: now}
	prev, err := s.backend.ClaimIdempotencyKey(ctx, rec, now)
	switch {
	case err != nil:
		return err
	case prev != nil && prev.RequestHash != rec.RequestHash:
		return crm.Errorf(crm.CodeIdempotencyMismatch, "This Idempotency-Key was used with a different request; use a new key for a new request.")
	case prev != nil && !prev.Done:
		return crm.Errorf(crm.CodeConflict, "A request with this Idempotency-Key is still being processed; retry later.")
	case prev != nil:
		in.earlier = prev
		return errReplayed
	}
	in.claim = rec
	view, err := viewJob(ctx, in.svc, s.basePath, j)
	if err != nil {
		return err
	}
	var body bytes.Buffer
	if err := json.NewEncoder(&body).Encode(view); err != nil { // as encode writes it
		return err
	}
	header, err := json.Marshal(map[string]string{"Content-Type": jsonContentType[0], "Location": s.basePath + jobPath(j.ID)})
	if err != nil {
		return err
	}
	rec.Done, rec.Status, rec.Header, rec.Body = true, http.StatusAccepted, header, body.Bytes()
	return s.backend.FinishIdempotencyKey(ctx, rec)
}

// failed answers a submission that did not commit: the earlier response
// of its Idempotency-Key, or the problem (413 whenever the body ran past
// its limit). A key it claimed is released, in case the Backend kept the
// claim outside the rolled-back transaction.
func (in *importSubmission) failed(w http.ResponseWriter, err error) error {
	if in.claim != nil {
		in.s.releaseKey(in.r, in.claim)
	}
	switch {
	case in.earlier != nil && errors.Is(err, errReplayed):
		replay(w, in.r, in.earlier)
		return nil
	case in.file.body.tooLarge != nil:
		return in.file.body.tooLarge
	}
	return err
}
