package notify

import (
	"bytes"
	"encoding/hex"
	"errors"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// headerWidth is the length RFC 5322 recommends for a header line; longer
// ones are folded at a space.
const headerWidth = 78

// compose writes m as an RFC 5322 message in 7-bit ASCII: the subject as
// RFC 2047 encoded words when it is not ASCII, the body as UTF-8 plain
// text in quoted-printable, and a Message-ID made of m.ID and the
// sender's domain, the same at every try.
func (s *SMTP) compose(m Message, to *mail.Address) ([]byte, error) {
	if m.ID == "" {
		return nil, permanent(errors.New("notify: smtp: the message has no ID"))
	}
	var b bytes.Buffer
	writeHeader(&b, "From", s.from.String())
	writeHeader(&b, "To", to.String())
	writeHeader(&b, "Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	writeHeader(&b, "Date", time.Now().Format(time.RFC1123Z))
	writeHeader(&b, "Message-ID", "<"+messageIDLeft(m.ID)+"@"+s.domain+">")
	writeHeader(&b, "MIME-Version", "1.0")
	writeHeader(&b, "Content-Type", "text/plain; charset=utf-8")
	writeHeader(&b, "Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(m.Body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeHeader writes one header field, folded before a space wherever the
// line would pass headerWidth (a word longer than that stays whole).
func writeHeader(b *bytes.Buffer, name, value string) {
	// start is where a fold may first be: the space after "Name:".
	line, start := name+": "+value, len(name)+1
	for len(line) > headerWidth {
		i := strings.LastIndexByte(line[start:headerWidth], ' ')
		if i >= 0 {
			i += start
		} else if i = strings.IndexByte(line[headerWidth:], ' '); i >= 0 {
			i += headerWidth
		} else {
			break
		}
		b.WriteString(line[:i])
		b.WriteString("\r\n")
		line, start = line[i:], 1
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}

// messageIDLeft is id when it may stand left of the @ of a Message-ID (a
// dot-atom), else its hex encoding.
func messageIDLeft(id string) string {
	for part := range strings.SplitSeq(id, ".") {
		if part == "" || strings.IndexFunc(part, notAtext) >= 0 {
			return hex.EncodeToString([]byte(id))
		}
	}
	return id
}

// notAtext reports whether r is outside RFC 5322's atext.
func notAtext(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return false
	}
	return !strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)
}
