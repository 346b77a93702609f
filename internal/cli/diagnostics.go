package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// runDiagnostics is the plan's collect_diagnostics: it saves the gateway's
// bundle of status, redacted configuration, recent events, incidents and
// metric history. The archive is written under a temporary name and
// renamed once complete, so FILE is never a truncated archive.
func runDiagnostics(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "diagnostics")
	r := remoteFlags(fs, env, false)
	out := fs.String("out", "", "the archive to write, such as lifeboat-diagnostics.tar.gz (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(env.Stderr, "usage: lifeboat diagnostics --out FILE.tar.gz [--addr URL] [--token T]")
		return errUsage
	}
	size, err := download(ctx, r, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%d bytes)\n", *out, size)
	return nil
}

func download(ctx context.Context, r *remote, out string) (int64, error) {
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".partial-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	if err := r.client().Diagnostics(ctx, f); err != nil {
		f.Close()
		return 0, apiError(err)
	}
	info, err := f.Stat()
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		return 0, err
	}
	return info.Size(), os.Rename(f.Name(), out)
}
