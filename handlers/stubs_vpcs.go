package handlers

import "github.com/labstack/echo/v4"

// Pages of this area that are not written yet; each answers 501 until its
// handler replaces it here.

func (h *Handler) VSwitchCreate(c echo.Context) error     { return notBuilt(c) }
func (h *Handler) VSwitchDelete(c echo.Context) error     { return notBuilt(c) }
func (h *Handler) VSwitchDeletePage(c echo.Context) error { return notBuilt(c) }
func (h *Handler) VSwitchNewPage(c echo.Context) error    { return notBuilt(c) }
func (h *Handler) VpcCreate(c echo.Context) error         { return notBuilt(c) }
func (h *Handler) VpcDelete(c echo.Context) error         { return notBuilt(c) }
func (h *Handler) VpcDeletePage(c echo.Context) error     { return notBuilt(c) }
func (h *Handler) VpcNewPage(c echo.Context) error        { return notBuilt(c) }
func (h *Handler) VpcPage(c echo.Context) error           { return notBuilt(c) }
func (h *Handler) VpcsPage(c echo.Context) error          { return notBuilt(c) }
