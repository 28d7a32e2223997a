package web

import (
	"github.com/labstack/echo/v4"

	"gatehouse/handlers"
	"gatehouse/static"
	"gatehouse/views/paths"
)

// routes is the console's route table: every route is listed here.
func routes(e *echo.Echo, h *handlers.Handler) {
	e.GET(paths.Healthz, healthz)
	e.GET(static.Prefix+"*", staticHandler())

	e.GET(paths.Home, h.HomePage)
}
