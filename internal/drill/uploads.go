package drill

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/load"
)

// checkUploads reads every resource the load uploaded and added back from
// the primary (content/read of its URI) and adds those it cannot find to
// the data-loss figure: an upload acknowledged during an outage must
// reach the primary as surely as a message.
func checkUploads(ctx context.Context, hc *http.Client, primary string, h http.Header, ups []load.Upload, c lossCheck) lossCheck {
	if len(ups) == 0 || !c.measured {
		return c
	}
	missing := 0
	for _, u := range ups {
		var text string
		q := "/api/v1/content/read?uri=" + url.QueryEscape(u.URI)
		found, err := readResult(ctx, hc, strings.TrimRight(primary, "/")+q, h, &text)
		if err != nil || !found || !strings.Contains(text, u.Content) {
			missing++
		}
	}
	c.lost += missing
	c.total += len(ups)
	c.note += fmt.Sprintf("; %d of %d uploaded resources found on the primary", len(ups)-missing, len(ups))
	return c
}
