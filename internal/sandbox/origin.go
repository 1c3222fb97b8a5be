package sandbox

import (
	"net"
	"net/http"
	"strings"
)

// sameOriginOnly refuses, with 403, a request that was not made by the page
// itself. The sandbox's JSON API acts as any persona without a password, and
// `LISTEN=0.0.0.0:…` opens it to the network, so:
//
//   - the Host must be the page's own: an IP address, "localhost" or the host
//     named in the listen address, on the port the page listens on — a name
//     anyone could point at this machine (DNS rebinding) is refused;
//   - a browser's Origin header, when sent, must be exactly http://<Host>, so
//     another site's page (a cross-site form or fetch) cannot drive the bot;
//   - a browser's Sec-Fetch-Site, when sent, must not say cross-site.
//
// Tools that send no Origin (curl) pass when the Host is right.
func sameOriginOnly(listen net.Addr, listenHost string, next http.Handler) http.Handler {
	_, port, _ := net.SplitHostPort(listen.String())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if why := foreignRequest(r, port, listenHost); why != "" {
			http.Error(w, "refused: "+why, http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// foreignRequest says why r did not come from the page served on port, or "".
func foreignRequest(r *http.Request, port, listenHost string) string {
	host, hostPort, err := net.SplitHostPort(r.Host)
	if err != nil || hostPort != port || !ownHostname(host, listenHost) {
		return "the Host is not this page's address"
	}
	if origin := r.Header.Get("Origin"); origin != "" && origin != "http://"+r.Host {
		return "the request comes from another site"
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return "the request comes from another site"
	}
	return ""
}

// ownHostname reports whether host names this machine without asking DNS: an IP
// literal, localhost, or the host the sandbox was told to listen on.
func ownHostname(host, listenHost string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || net.ParseIP(strings.Trim(host, "[]")) != nil {
		return true
	}
	return listenHost != "" && strings.EqualFold(host, listenHost)
}
