package handlers

import "github.com/labstack/echo/v4"

// Pages of this area that are not written yet; each answers 501 until its
// handler replaces it here.

func (h *Handler) AccessPage(c echo.Context) error { return notBuilt(c) }
