// Package handlers serves the console's pages and actions: each reads the
// request, asks rules, calls the store and renders views. One file per
// resource.
package handlers

import (
	"log/slog"

	"gatehouse/store"
)

// Handler carries what every console handler needs.
type Handler struct {
	store *store.Store
	log   *slog.Logger
}

// New returns the console's handlers over a store.
func New(st *store.Store, log *slog.Logger) *Handler {
	return &Handler{store: st, log: log}
}
