package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"gatehouse/store"
)

// NewAPI builds the OpenAPI endpoint served on --api-addr.
func NewAPI(cfg Config, st *store.Store) http.Handler {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Use(middleware.RequestID())
	e.Use(requestLogger(cfg.Logger))
	e.Use(middleware.Recover())
	e.GET("/healthz", healthz)
	e.Any("/*", func(c echo.Context) error {
		return c.JSON(http.StatusNotFound, map[string]string{
			"RequestId": c.Response().Header().Get(echo.HeaderXRequestID),
			"HostId":    c.Request().Host,
			"Code":      "InvalidAction.NotFound",
			"Message":   "The OpenAPI endpoint is not available yet.",
			"Recommend": "",
		})
	})
	return e
}
