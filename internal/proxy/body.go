package proxy

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// bufPool holds buffers for response bodies teed into the cache.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// copyPool holds the fixed buffers used to stream response bodies. Each
// response in flight holds one, so they are kept small: OpenViking's
// answers are a few KiB, and larger bodies just take more reads.
var copyPool = sync.Pool{New: func() any { b := make([]byte, 8<<10); return &b }}

// reqBody is a client's request body, buffered when it may be sent twice
// or is part of a cache key. Buffered bodies are not pooled: the transport
// may go on reading a request body after it has returned the response, so
// only the garbage collector knows when the bytes are free.
type reqBody struct {
	data       []byte        // the whole body when buffered
	stream     io.ReadCloser // the unbuffered body, usable once
	length     int64
	replayable bool
}

// readBody buffers r's body up to limit when want is true. A body with no
// bytes is trivially replayable; a larger body streams and is usable once.
func readBody(r *http.Request, want bool, limit int64) (reqBody, error) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return reqBody{replayable: true}, nil
	}
	if !want || r.ContentLength > limit {
		return reqBody{stream: r.Body, length: r.ContentLength}, nil
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return reqBody{}, fmt.Errorf("%w: %v", ErrBodyRead, err)
	}
	if n > limit {
		// Too big to keep: send what was read, then the rest, once.
		return reqBody{stream: readCloser{io.MultiReader(&buf, r.Body), r.Body}, length: r.ContentLength}, nil
	}
	return reqBody{data: buf.Bytes(), length: n, replayable: true}, nil
}

// next returns a body for one attempt and its length.
func (b *reqBody) next() (io.ReadCloser, int64) {
	if b.replayable {
		if len(b.data) == 0 {
			return http.NoBody, 0
		}
		return io.NopCloser(bytes.NewReader(b.data)), int64(len(b.data))
	}
	s := b.stream
	b.stream = nil
	return s, b.length
}

// spent reports whether the body can no longer be sent.
func (b *reqBody) spent() bool { return !b.replayable && b.stream == nil }

type readCloser struct {
	io.Reader
	io.Closer
}
