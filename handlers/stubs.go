package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// notBuilt answers routes whose page is not written yet.
func notBuilt(c echo.Context) error {
	return echo.NewHTTPError(http.StatusNotImplemented, "This page is not built yet.")
}
