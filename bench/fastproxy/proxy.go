package main

import (
	"log"
	"net"

	"github.com/valyala/fasthttp"
)

// hopHeaders are the hop-by-hop headers RFC 9110 section 7.6.1 says a proxy
// must not forward, the same list httputil.ReverseProxy removes.
var hopHeaders = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// proxy forwards every request to one upstream through a keep-alive pool.
// It does what bareproxy's Rewrite with SetXForwarded does, and no more.
type proxy struct {
	client *fasthttp.HostClient
}

func newProxy(c *fasthttp.HostClient) *proxy { return &proxy{client: c} }

// serve forwards ctx's request in place: fasthttp lets the server's request
// and response objects be handed to the client directly, which is where its
// saving over net/http comes from (no per-request copies of either).
func (p *proxy) serve(ctx *fasthttp.RequestCtx) {
	req, resp := &ctx.Request, &ctx.Response
	// Deleting Connection also clears the request's close flag, so the
	// client's wish to close is kept aside and honoured after the exchange.
	closeAfter := req.Header.ConnectionClose()
	for _, h := range hopHeaders {
		req.Header.Del(h)
	}
	setForwarded(ctx)
	if err := p.client.Do(req, resp); err != nil {
		log.Printf("fastproxy: %v", err)
		resp.Reset()
		resp.SetStatusCode(fasthttp.StatusBadGateway)
		return
	}
	for _, h := range hopHeaders {
		resp.Header.Del(h)
	}
	if closeAfter {
		ctx.SetConnectionClose()
	}
}

// setForwarded sets X-Forwarded-For (appending the client's address to any
// inbound value), X-Forwarded-Host and X-Forwarded-Proto, as
// httputil.ProxyRequest.SetXForwarded does, and drops an inbound Forwarded
// header, as ReverseProxy's Rewrite mode does.
func setForwarded(ctx *fasthttp.RequestCtx) {
	h := &ctx.Request.Header
	var buf [64]byte
	v := buf[:0]
	if prior := h.Peek("X-Forwarded-For"); len(prior) > 0 {
		v = append(append(v, prior...), ", "...)
	}
	if a, ok := ctx.RemoteAddr().(*net.TCPAddr); ok {
		v = a.AddrPort().Addr().Unmap().AppendTo(v)
	}
	h.SetBytesV("X-Forwarded-For", v)
	h.SetBytesV("X-Forwarded-Host", h.Host())
	h.Set("X-Forwarded-Proto", "http")
	h.Del("Forwarded")
}
