package testtool

import (
	"context"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/app"
	"github.com/lifeboat-sre/lifeboat/internal/config"
)

// StartApp runs the whole gateway in-process on c and stops it, within
// five seconds, when the test ends.
func StartApp(t testing.TB, c config.Config) *app.App {
	t.Helper()
	a, err := app.New(app.Options{Config: c, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := a.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return a
}
