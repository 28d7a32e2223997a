package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/views/pages"
)

// HomePage is the overview.
func (h *Handler) HomePage(c echo.Context) error {
	return render(c, http.StatusOK, h.chrome(c, "Overview", ""), pages.HomePage(pages.HomeProps{}))
}
