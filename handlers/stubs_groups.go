package handlers

import "github.com/labstack/echo/v4"

// Pages of this area that are not written yet; each answers 501 until its
// handler replaces it here.

func (h *Handler) GroupBindDomain(c echo.Context) error           { return notBuilt(c) }
func (h *Handler) GroupBindDomainPage(c echo.Context) error       { return notBuilt(c) }
func (h *Handler) GroupCreate(c echo.Context) error               { return notBuilt(c) }
func (h *Handler) GroupDelete(c echo.Context) error               { return notBuilt(c) }
func (h *Handler) GroupDeletePage(c echo.Context) error           { return notBuilt(c) }
func (h *Handler) GroupDisableVpcDomain(c echo.Context) error     { return notBuilt(c) }
func (h *Handler) GroupDisableVpcDomainPage(c echo.Context) error { return notBuilt(c) }
func (h *Handler) GroupEdit(c echo.Context) error                 { return notBuilt(c) }
func (h *Handler) GroupEditPage(c echo.Context) error             { return notBuilt(c) }
func (h *Handler) GroupEnableVpcDomain(c echo.Context) error      { return notBuilt(c) }
func (h *Handler) GroupEnableVpcDomainPage(c echo.Context) error  { return notBuilt(c) }
func (h *Handler) GroupInstanceOptions(c echo.Context) error      { return notBuilt(c) }
func (h *Handler) GroupMove(c echo.Context) error                 { return notBuilt(c) }
func (h *Handler) GroupMovePage(c echo.Context) error             { return notBuilt(c) }
func (h *Handler) GroupNewPage(c echo.Context) error              { return notBuilt(c) }
func (h *Handler) GroupPage(c echo.Context) error                 { return notBuilt(c) }
func (h *Handler) GroupUnbindDomain(c echo.Context) error         { return notBuilt(c) }
func (h *Handler) GroupUnbindDomainPage(c echo.Context) error     { return notBuilt(c) }
func (h *Handler) GroupsPage(c echo.Context) error                { return notBuilt(c) }
