package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
)

// encodeBuffers recycles response buffers: every response is encoded whole
// before its header is written (so an encoding failure can still become a
// clean 500), and reusing the buffer saves an allocation and a copy per
// request on the hot GET path.
var encodeBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps one huge response from pinning its memory in the pool.
const maxPooledBuffer = 64 << 10

// jsonContentType is shared by every JSON response: assigning it skips
// Header.Set's canonicalisation and allocation, and nothing modifies header
// values in place.
var jsonContentType = []string{"application/json"}

// encode writes v as a JSON response with status. A value that cannot be
// encoded is an internal error (logged, generic 500).
func encode(w http.ResponseWriter, r *http.Request, status int, v any) {
	buf := encodeBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			buf.Reset()
			encodeBuffers.Put(buf)
		}
	}()
	if err := json.NewEncoder(buf).Encode(v); err != nil { // Encode ends the body with a newline
		writeError(w, r, fmt.Errorf("encode %T: %w", v, err))
		return
	}
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
