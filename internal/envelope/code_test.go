package envelope

import (
	"net/http"
	"testing"
)

// TestTableMatchesReference pins OpenViking's code <-> status table as the
// reference gives it, read both ways.
func TestTableMatchesReference(t *testing.T) {
	reference := map[string]int{
		"INVALID_ARGUMENT": 400, "UNAUTHENTICATED": 401, "PERMISSION_DENIED": 403,
		"NOT_FOUND": 404, "SESSION_EXPIRED": 410, "FAILED_PRECONDITION": 412,
		"RESOURCE_EXHAUSTED": 429, "INTERNAL": 500, "UNAVAILABLE": 503, "DEADLINE_EXCEEDED": 504,
	}
	for code, status := range reference {
		if got := Status(code); got != status {
			t.Errorf("Status(%s) = %d, want %d", code, got, status)
		}
		if got := Code(status); got != code {
			t.Errorf("Code(%d) = %s, want %s", status, got, code)
		}
	}
}

func TestLifeboatCodes(t *testing.T) {
	if Status(Cancelled) != StatusClientClosed || Code(StatusClientClosed) != Cancelled {
		t.Errorf("CANCELLED: status %d, code of 499 %s", Status(Cancelled), Code(StatusClientClosed))
	}
	if Status(Unimplemented) != http.StatusNotImplemented || Code(http.StatusNotImplemented) != Unimplemented {
		t.Errorf("UNIMPLEMENTED: status %d, code of 501 %s", Status(Unimplemented), Code(http.StatusNotImplemented))
	}
}

func TestUnknownCodesAndStatuses(t *testing.T) {
	if got := Status("NO_SUCH_CODE"); got != http.StatusInternalServerError {
		t.Errorf("unknown code: %d, want 500", got)
	}
	for status, want := range map[int]string{
		http.StatusTeapot: InvalidArgument, http.StatusConflict: InvalidArgument,
		http.StatusBadGateway: Internal, 599: Internal,
	} {
		if got := Code(status); got != want {
			t.Errorf("Code(%d) = %s, want %s", status, got, want)
		}
	}
}
