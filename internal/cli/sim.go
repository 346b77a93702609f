package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// runSim serves one simulator until interrupted: the stand-ins for
// OpenViking and LightRAG used by demos, drills and tests.
func runSim(ctx context.Context, env Env, args []string) error {
	const use = "usage: lifeboat sim openviking|lightrag [--listen ADDR] [--control ADDR] [--api-key KEY]"
	if asksHelp(args) {
		fmt.Fprintln(env.Stdout, use)
		return nil
	}
	if len(args) == 0 || (args[0] != "openviking" && args[0] != "lightrag") {
		fmt.Fprintln(env.Stderr, use)
		return errUsage
	}
	kind := args[0]
	fs := flagSet(env, "sim "+kind)
	defaults := map[string]string{"openviking": "127.0.0.1:1933", "lightrag": "127.0.0.1:9621"}
	listen := fs.String("listen", defaults[kind], "listen address")
	control := fs.String("control", "", "optional second address serving only /_sim/*, reachable while the sim is 'down'")
	apiKey := fs.String("api-key", "", "require this API key (default: no auth)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	var svc sim.Service = sim.NewOpenViking(sim.OpenVikingOptions{APIKey: *apiKey})
	if kind == "lightrag" {
		svc = sim.NewLightRAG(sim.LightRAGOptions{APIKey: *apiKey})
	}
	srv := sim.NewServer(svc)
	if err := srv.Start(*listen); err != nil {
		return err
	}
	if *control != "" {
		if err := srv.StartControl(*control); err != nil {
			_ = srv.Stop(context.Background())
			return err
		}
		fmt.Fprintf(env.Stderr, "%s simulator control on %s\n", kind, srv.ControlURL())
	}
	fmt.Fprintf(env.Stderr, "%s simulator listening on %s\n", kind, srv.URL())
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Stop(stopCtx)
}
