package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/views/layout"
	"gatehouse/views/pages"
)

// HomePage is the overview.
func (h *Handler) HomePage(c echo.Context) error {
	return render(c, http.StatusOK, layout.Chrome{Title: "Overview"}, pages.HomePage(pages.HomeProps{}))
}
