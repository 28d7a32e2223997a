package handlers

import "github.com/labstack/echo/v4"

// Pages of this area that are not written yet; each answers 501 until its
// handler replaces it here.

func (h *Handler) AccessKeyCreate(c echo.Context) error  { return notBuilt(c) }
func (h *Handler) AccessKeyDelete(c echo.Context) error  { return notBuilt(c) }
func (h *Handler) AccessKeyDisable(c echo.Context) error { return notBuilt(c) }
func (h *Handler) AccessKeyEnable(c echo.Context) error  { return notBuilt(c) }
func (h *Handler) AccessKeysPage(c echo.Context) error   { return notBuilt(c) }
func (h *Handler) UserCreate(c echo.Context) error       { return notBuilt(c) }
func (h *Handler) UserSetRole(c echo.Context) error      { return notBuilt(c) }
func (h *Handler) UsersPage(c echo.Context) error        { return notBuilt(c) }
