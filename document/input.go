package document

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/valid"
)

// Field limits.
const (
	maxName = 200
	// MaxTags and MaxTagLength bound a document's tags.
	MaxTags      = 20
	MaxTagLength = 50
)

// UploadInput is the metadata sent with a new file.
type UploadInput struct {
	Name              string
	Type              Type
	ExpirationDate    *crm.Date
	RequiresSignature bool
	Tags              []string
}

// MetadataInput holds the writable metadata of a stored document. Its JSON
// form is the document a PATCH merge patch applies to.
type MetadataInput struct {
	Name              string          `json:"name"`
	Type              Type            `json:"document_type"`
	ExpirationDate    *crm.Date       `json:"expiration_date"`
	RequiresSignature bool            `json:"requires_signature"`
	SignatureStatus   SignatureStatus `json:"signature_status"`
	Tags              []string        `json:"tags"`
}

// MetadataOf returns the writable metadata of d.
func MetadataOf(d *Document) MetadataInput {
	in := MetadataInput{Name: d.Name, Type: d.Type, RequiresSignature: d.RequiresSignature,
		SignatureStatus: d.SignatureStatus, Tags: slices.Clone(d.Tags)}
	if d.ExpirationDate != nil {
		e := *d.ExpirationDate
		in.ExpirationDate = &e
	}
	return in
}

// Precheck reports the problems of the fields of in that are set, ignoring
// missing required ones: a caller that streams a multipart request calls it
// with the metadata received before the file, to refuse bad metadata before
// it stores anything.
func (in UploadInput) Precheck() error {
	var p crm.Problems
	if in.Name != "" {
		valid.Text(&p, "name", in.Name, 1, maxName)
	}
	if in.Type != "" && !slices.Contains(Types, in.Type) {
		p.Add("document_type", valid.EnumMessage(false, Types))
	}
	expiration(&p, in.ExpirationDate)
	normalizeTags(&p, in.Tags)
	return p.Err()
}

// normalizeUpload validates a complete upload's metadata.
func normalizeUpload(in UploadInput) (UploadInput, error) {
	var p crm.Problems
	in.Name = valid.Text(&p, "name", in.Name, 1, maxName)
	if !slices.Contains(Types, in.Type) {
		p.Add("document_type", valid.EnumMessage(in.Type == "", Types))
	}
	expiration(&p, in.ExpirationDate)
	in.Tags = normalizeTags(&p, in.Tags)
	return in, p.Err()
}

// normalizeMetadata validates metadata as a PATCH leaves it. A document
// that requires no signature is not_required, and one that does is not.
func normalizeMetadata(in MetadataInput) (MetadataInput, error) {
	var p crm.Problems
	in.Name = valid.Text(&p, "name", in.Name, 1, maxName)
	if !slices.Contains(Types, in.Type) {
		p.Add("document_type", valid.EnumMessage(in.Type == "", Types))
	}
	expiration(&p, in.ExpirationDate)
	switch {
	case !slices.Contains(SignatureStatuses, in.SignatureStatus):
		p.Add("signature_status", valid.EnumMessage(in.SignatureStatus == "", SignatureStatuses))
	case !in.RequiresSignature && in.SignatureStatus != SignatureNotRequired:
		p.Add("signature_status", "must be not_required when requires_signature is false")
	case in.RequiresSignature && in.SignatureStatus == SignatureNotRequired:
		p.Add("signature_status", "must be pending, signed or declined when requires_signature is true")
	}
	in.Tags = normalizeTags(&p, in.Tags)
	return in, p.Err()
}

// expiration checks an expiration date, when there is one.
func expiration(p *crm.Problems, d *crm.Date) {
	if d != nil {
		valid.Date(p, "expiration_date", *d)
	}
}

// normalizeTags trims the tags, drops repeats (keeping the first) and
// checks their number and length. It never returns nil, so an untagged
// document lists [] rather than null.
func normalizeTags(p *crm.Problems, tags []string) []string {
	out := make([]string, 0, len(tags))
	for i, t := range tags {
		t = strings.TrimSpace(t)
		field := fmt.Sprintf("tags[%d]", i)
		switch n := utf8.RuneCountInString(t); {
		case n == 0:
			p.Add(field, "must not be empty")
			continue
		case n > MaxTagLength:
			p.Addf(field, "must be at most %d characters", MaxTagLength)
			continue
		case !valid.Printable(p, field, t, false):
			continue
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) > MaxTags {
		p.Addf("tags", "must hold at most %d tags", MaxTags)
	}
	return out
}
