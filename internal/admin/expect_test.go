package admin

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A client announcing an admin body over the limit with Expect:
// 100-continue is refused before it sends the body: the first answer is
// the refusal, never "100 Continue" followed by a reset.
func TestOversizedBodyIsRefusedBeforeContinue(t *testing.T) {
	srv, _, _ := newAPI(t, "")
	for name, hdr := range map[string]string{
		"too large":  "Content-Type: application/json\r\nContent-Length: 1048576\r\n",
		"wrong type": "Content-Type: text/plain\r\nContent-Length: 10\r\n",
	} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(10 * time.Second)) // a bound for the test only
		_, err = conn.Write([]byte("POST /admin/route HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n" + hdr + "\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		conn.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("%s: first answer %d, want 400 before the body", name, resp.StatusCode)
		}
	}
}
