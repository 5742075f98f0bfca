package httpapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ispstack/crm"
)

// etag is the strong entity tag of a resource version: "<version>".
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// setETag sets the ETag header of a response for version.
func setETag(w http.ResponseWriter, version int64) { w.Header()["Etag"] = []string{etag(version)} } // "Etag" is the canonical form of ETag

// precondition is a parsed If-Match header.
type precondition struct {
	present  bool
	any      bool    // "*": any current version
	versions []int64 // the strong tags listed
}

// parseIfMatch reads If-Match (every header line, comma-separated tags).
// Weak tags never match in If-Match (RFC 9110 §13.1.1) and a malformed
// header cannot be satisfied: both are 412.
func parseIfMatch(r *http.Request) (precondition, error) {
	lines := r.Header.Values("If-Match")
	if len(lines) == 0 {
		return precondition{}, nil
	}
	p := precondition{present: true}
	for _, line := range lines {
		for _, tag := range strings.Split(line, ",") {
			tag = strings.TrimSpace(tag)
			switch {
			case tag == "*":
				p.any = true
			case len(tag) >= 3 && tag[0] == '"' && tag[len(tag)-1] == '"':
				v, err := strconv.ParseInt(tag[1:len(tag)-1], 10, 64)
				if err != nil || v < 1 {
					return p, errStale()
				}
				p.versions = append(p.versions, v)
			default:
				return p, crm.Errorf(crm.CodePreconditionFailed, "If-Match must list strong ETags as returned by this API (\"3\") or be *.")
			}
		}
	}
	return p, nil
}

// writePrecondition reads the If-Match of a PUT or PATCH, which takes no
// query parameters.
func writePrecondition(r *http.Request) (precondition, error) {
	pre, err := parseIfMatch(r)
	if err == nil {
		err = parseQuery(r).err()
	}
	return pre, err
}

// matches reports whether the current version satisfies the precondition.
func (p precondition) matches(current int64) bool {
	return !p.present || p.any || slices.Contains(p.versions, current)
}

// ifVersion is the version to pass to a service method that checks it
// inside its transaction: 0 (no check) without If-Match or for "*"; the
// listed version when there is exactly one; otherwise the current version
// (from current) when the list holds it, else 412.
func (p precondition) ifVersion(current func() (int64, error)) (int64, error) {
	switch {
	case !p.present || p.any:
		return 0, nil
	case len(p.versions) == 1:
		return p.versions[0], nil
	}
	v, err := current()
	if err != nil {
		return 0, err
	}
	if !p.matches(v) {
		return 0, errStale()
	}
	return v, nil
}

// errStale is the 412 of an If-Match that names no current version.
func errStale() error {
	return crm.Errorf(crm.CodePreconditionFailed, "The resource has changed since the ETag in If-Match was read; fetch it again.")
}
