package handlers

import "github.com/labstack/echo/v4"

// Pages of this area that are not written yet; each answers 501 until its
// handler replaces it here.

func (h *Handler) InstanceBind(c echo.Context) error           { return notBuilt(c) }
func (h *Handler) InstanceBindPage(c echo.Context) error       { return notBuilt(c) }
func (h *Handler) InstanceCreate(c echo.Context) error         { return notBuilt(c) }
func (h *Handler) InstanceDelete(c echo.Context) error         { return notBuilt(c) }
func (h *Handler) InstanceDeletePage(c echo.Context) error     { return notBuilt(c) }
func (h *Handler) InstanceNewPage(c echo.Context) error        { return notBuilt(c) }
func (h *Handler) InstancePage(c echo.Context) error           { return notBuilt(c) }
func (h *Handler) InstanceUnbind(c echo.Context) error         { return notBuilt(c) }
func (h *Handler) InstanceUnbindPage(c echo.Context) error     { return notBuilt(c) }
func (h *Handler) InstanceVSwitchOptions(c echo.Context) error { return notBuilt(c) }
func (h *Handler) InstanceZoneOptions(c echo.Context) error    { return notBuilt(c) }
func (h *Handler) InstancesPage(c echo.Context) error          { return notBuilt(c) }
