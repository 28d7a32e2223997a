package web

import (
	"github.com/labstack/echo/v4"

	"gatehouse/handlers"
	"gatehouse/static"
	"gatehouse/views/paths"
)

// routes is the console's route table: every route is listed here. Pages
// that confirm or collect input (dialogs) answer GET with the form and POST
// with the change, so each works without JavaScript too.
func routes(e *echo.Echo, h *handlers.Handler, csrf echo.MiddlewareFunc) {
	e.GET(paths.Healthz, healthz)
	e.GET(static.Prefix+"*", staticHandler())

	pub := e.Group("", csrf)
	pub.GET(paths.Login, h.LoginPage)
	pub.POST(paths.Login, h.LoginSubmit)
	pub.POST(paths.Logout, h.Logout)

	app := e.Group("", csrf, h.RequireLogin)
	change := app.Group("", h.RequireChange) // operators and admins
	admin := app.Group("", h.RequireAdmin)

	app.GET(paths.Home, h.HomePage)

	// Manage APIs › API Groups
	app.GET(paths.Groups, h.GroupsPage)
	change.GET(paths.GroupNew, h.GroupNewPage)
	app.GET(paths.GroupNew+"/instances", h.GroupInstanceOptions)
	change.POST(paths.Groups, h.GroupCreate)
	app.GET(paths.Groups+"/:id", h.GroupPage)
	change.GET(paths.Groups+"/:id/edit", h.GroupEditPage)
	change.POST(paths.Groups+"/:id/edit", h.GroupEdit)
	change.GET(paths.Groups+"/:id/vpc-domain/enable", h.GroupEnableVpcDomainPage)
	change.POST(paths.Groups+"/:id/vpc-domain/enable", h.GroupEnableVpcDomain)
	change.GET(paths.Groups+"/:id/vpc-domain/disable", h.GroupDisableVpcDomainPage)
	change.POST(paths.Groups+"/:id/vpc-domain/disable", h.GroupDisableVpcDomain)
	change.GET(paths.Groups+"/:id/move", h.GroupMovePage)
	change.POST(paths.Groups+"/:id/move", h.GroupMove)
	change.GET(paths.Groups+"/:id/domains/new", h.GroupBindDomainPage)
	change.POST(paths.Groups+"/:id/domains/new", h.GroupBindDomain)
	change.GET(paths.Groups+"/:id/domains/:name/unbind", h.GroupUnbindDomainPage)
	change.POST(paths.Groups+"/:id/domains/:name/unbind", h.GroupUnbindDomain)
	change.GET(paths.Groups+"/:id/delete", h.GroupDeletePage)
	change.POST(paths.Groups+"/:id/delete", h.GroupDelete)

	// Manage APIs › APIs
	app.GET(paths.APIs, h.APIsPage)
	change.GET(paths.APINew, h.APINewPage)
	change.POST(paths.APIs, h.APICreate)
	app.GET(paths.APIs+"/:id", h.APIPage)
	change.GET(paths.APIs+"/:id/edit", h.APIEditPage)
	change.POST(paths.APIs+"/:id/edit", h.APIEdit)
	change.GET(paths.APIs+"/:id/deploy", h.APIDeployPage)
	change.POST(paths.APIs+"/:id/deploy", h.APIDeploy)
	change.GET(paths.APIs+"/:id/stages/:stage/abolish", h.APIAbolishPage)
	change.POST(paths.APIs+"/:id/stages/:stage/abolish", h.APIAbolish)
	change.GET(paths.APIs+"/:id/delete", h.APIDeletePage)
	change.POST(paths.APIs+"/:id/delete", h.APIDelete)
	change.POST(paths.APIs+"/:id/debug", h.APIDebug) // a real call: not for viewers (handlers/apis_debug.go)

	// Instances and Clusters › Dedicated Instances
	app.GET(paths.Instances, h.InstancesPage)
	change.GET(paths.InstanceNew, h.InstanceNewPage)
	app.GET(paths.InstanceNew+"/zones", h.InstanceZoneOptions)
	change.POST(paths.Instances, h.InstanceCreate)
	app.GET(paths.Instances+"/:id", h.InstancePage)
	change.GET(paths.Instances+"/:id/bind", h.InstanceBindPage)
	app.GET(paths.Instances+"/:id/bind/vswitches", h.InstanceVSwitchOptions)
	change.POST(paths.Instances+"/:id/bind", h.InstanceBind)
	change.GET(paths.Instances+"/:id/unbind", h.InstanceUnbindPage)
	change.POST(paths.Instances+"/:id/unbind", h.InstanceUnbind)
	change.GET(paths.Instances+"/:id/delete", h.InstanceDeletePage)
	change.POST(paths.Instances+"/:id/delete", h.InstanceDelete)

	// Network › VPCs
	app.GET(paths.Vpcs, h.VpcsPage)
	change.GET(paths.VpcNew, h.VpcNewPage)
	change.POST(paths.Vpcs, h.VpcCreate)
	app.GET(paths.Vpcs+"/:id", h.VpcPage)
	change.GET(paths.Vpcs+"/:id/vswitches/new", h.VSwitchNewPage)
	change.POST(paths.Vpcs+"/:id/vswitches/new", h.VSwitchCreate)
	change.GET(paths.Vpcs+"/:id/vswitches/:vsw/delete", h.VSwitchDeletePage)
	change.POST(paths.Vpcs+"/:id/vswitches/:vsw/delete", h.VSwitchDelete)
	change.GET(paths.Vpcs+"/:id/delete", h.VpcDeletePage)
	change.POST(paths.Vpcs+"/:id/delete", h.VpcDelete)

	// Access check and operation log
	app.GET(paths.Access, h.AccessPage)
	app.GET(paths.OpLog, h.OpLogPage)
	app.GET(paths.Calls, h.CallsPage)

	// Security: access keys and users (admins)
	admin.GET(paths.AccessKeys, h.AccessKeysPage)
	admin.POST(paths.AccessKeys, h.AccessKeyCreate)
	admin.POST(paths.AccessKeys+"/:id/enable", h.AccessKeyEnable)
	admin.POST(paths.AccessKeys+"/:id/disable", h.AccessKeyDisable)
	admin.GET(paths.AccessKeys+"/:id/delete", h.AccessKeyDeletePage)
	admin.POST(paths.AccessKeys+"/:id/delete", h.AccessKeyDelete)
	admin.GET(paths.Users, h.UsersPage)
	admin.POST(paths.Users, h.UserCreate)
	admin.POST(paths.Users+"/:login/role", h.UserSetRole)
	admin.GET(paths.Users+"/:login/password", h.UserResetPasswordPage)
	admin.POST(paths.Users+"/:login/password", h.UserResetPassword)
	admin.GET(paths.Users+"/:login/remove", h.UserRemovePage)
	admin.POST(paths.Users+"/:login/remove", h.UserRemove)

	// The user's own password (any role)
	app.GET(paths.Password, h.PasswordPage)
	app.POST(paths.Password, h.PasswordChange)
}
