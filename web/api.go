package web

import (
	"net/http"

	"gatehouse/handlers/openapi"
	"gatehouse/store"
)

// NewAPI builds the OpenAPI endpoint served on --api-addr: Alibaba Cloud's
// RPC style on "/" (package handlers/openapi, which logs each request
// itself), and /healthz for scripts waiting for the server. Plain net/http:
// the endpoint has a throughput budget, and needs no sessions, CSRF or
// templates.
func NewAPI(cfg Config, st *store.Store) http.Handler {
	api := openapi.New(st, cfg.Logger, openapi.Options{Limits: cfg.Handlers.Limits})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.Handle("/", api)
	return recoverer(cfg, mux)
}

// recoverer turns a panic into Alibaba Cloud's InternalError answer instead
// of a dropped connection, and logs it.
func recoverer(cfg Config, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				cfg.Logger.Error("panic", "server", "openapi", "err", v, "path", r.URL.Path)
				w.Header().Set("Content-Type", "application/json;charset=utf-8")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`{"RequestId":"","HostId":"","Code":"InternalError","Message":"The request processing has failed due to some unknown error.","Recommend":""}` + "\n"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
