package web

import (
	"github.com/labstack/echo/v4"

	"gatehouse/handlers"
	"gatehouse/rules"
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
	// A POST that changes something is audited: refused (by a rule, its
	// input or the user's role), it is a line of the operation log under
	// its action, about its target (":param" a path parameter, "@user"
	// the user's own login, else a form field).
	audited := func(role echo.MiddlewareFunc) func(path string, hf echo.HandlerFunc, action, target string) {
		return func(path string, hf echo.HandlerFunc, action, target string) {
			app.POST(path, hf, h.Audit(action, target), role)
		}
	}
	anyRole := func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	changePOST, adminPOST, ownPOST := audited(h.RequireChange), audited(h.RequireAdmin), audited(anyRole)

	app.GET(paths.Home, h.HomePage)

	// Manage APIs › API Groups
	app.GET(paths.Groups, h.GroupsPage)
	change.GET(paths.GroupNew, h.GroupNewPage)
	app.GET(paths.GroupNew+"/instances", h.GroupInstanceOptions)
	changePOST(paths.Groups, h.GroupCreate, rules.ActionCreateApiGroup, "name")
	app.GET(paths.Groups+"/:id", h.GroupPage)
	change.GET(paths.Groups+"/:id/edit", h.GroupEditPage)
	changePOST(paths.Groups+"/:id/edit", h.GroupEdit, rules.ActionModifyApiGroup, ":id")
	change.GET(paths.Groups+"/:id/vpc-domain/enable", h.GroupEnableVpcDomainPage)
	changePOST(paths.Groups+"/:id/vpc-domain/enable", h.GroupEnableVpcDomain, rules.ActionEnableVpcDomain, ":id")
	change.GET(paths.Groups+"/:id/vpc-domain/disable", h.GroupDisableVpcDomainPage)
	changePOST(paths.Groups+"/:id/vpc-domain/disable", h.GroupDisableVpcDomain, rules.ActionDisableVpcDomain, ":id")
	change.GET(paths.Groups+"/:id/move", h.GroupMovePage)
	changePOST(paths.Groups+"/:id/move", h.GroupMove, rules.ActionMoveGroup, ":id")
	change.GET(paths.Groups+"/:id/domains/new", h.GroupBindDomainPage)
	changePOST(paths.Groups+"/:id/domains/new", h.GroupBindDomain, rules.ActionBindDomain, "domain")
	change.GET(paths.Groups+"/:id/domains/:name/unbind", h.GroupUnbindDomainPage)
	changePOST(paths.Groups+"/:id/domains/:name/unbind", h.GroupUnbindDomain, rules.ActionUnbindDomain, ":name")
	change.GET(paths.Groups+"/:id/domains/:name/certificate/upload", h.GroupDomainCertificatePage)
	changePOST(paths.Groups+"/:id/domains/:name/certificate/upload", h.GroupDomainCertificateUpload, rules.ActionSetDomainCertificate, ":name")
	change.GET(paths.Groups+"/:id/domains/:name/certificate/delete", h.GroupDomainCertificateDeletePage)
	changePOST(paths.Groups+"/:id/domains/:name/certificate/delete", h.GroupDomainCertificateDelete, rules.ActionDeleteDomainCertificate, ":name")
	change.GET(paths.Groups+"/:id/delete", h.GroupDeletePage)
	changePOST(paths.Groups+"/:id/delete", h.GroupDelete, rules.ActionDeleteApiGroup, ":id")

	// Manage APIs › APIs
	app.GET(paths.APIs, h.APIsPage)
	change.GET(paths.APINew, h.APINewPage)
	changePOST(paths.APIs, h.APICreate, rules.ActionCreateApi, "name")
	app.GET(paths.APIs+"/:id", h.APIPage)
	change.GET(paths.APIs+"/:id/edit", h.APIEditPage)
	changePOST(paths.APIs+"/:id/edit", h.APIEdit, rules.ActionModifyApi, ":id")
	change.GET(paths.APIs+"/:id/deploy", h.APIDeployPage)
	changePOST(paths.APIs+"/:id/deploy", h.APIDeploy, rules.ActionDeployApi, ":id")
	change.GET(paths.APIs+"/:id/stages/:stage/abolish", h.APIAbolishPage)
	changePOST(paths.APIs+"/:id/stages/:stage/abolish", h.APIAbolish, rules.ActionAbolishApi, ":id")
	change.GET(paths.APIs+"/:id/delete", h.APIDeletePage)
	changePOST(paths.APIs+"/:id/delete", h.APIDelete, rules.ActionDeleteApi, ":id")
	change.POST(paths.APIs+"/:id/debug", h.APIDebug) // a real call, but no change of configuration: not audited, not for viewers (handlers/apis_debug.go)

	// Instances and Clusters › Dedicated Instances
	app.GET(paths.Instances, h.InstancesPage)
	change.GET(paths.InstanceNew, h.InstanceNewPage)
	app.GET(paths.InstanceNew+"/zones", h.InstanceZoneOptions)
	changePOST(paths.Instances, h.InstanceCreate, rules.ActionCreateInstance, "name")
	app.GET(paths.Instances+"/:id", h.InstancePage)
	app.GET(paths.SharedInstances, h.SharedInstancesPage)
	change.GET(paths.Instances+"/:id/edit", h.InstanceEditPage)
	changePOST(paths.Instances+"/:id/edit", h.InstanceEdit, rules.ActionModifyInstance, ":id")
	change.GET(paths.Instances+"/:id/bind", h.InstanceBindPage)
	app.GET(paths.Instances+"/:id/bind/vswitches", h.InstanceVSwitchOptions)
	changePOST(paths.Instances+"/:id/bind", h.InstanceBind, rules.ActionBindVpc, ":id")
	change.GET(paths.Instances+"/:id/unbind", h.InstanceUnbindPage)
	changePOST(paths.Instances+"/:id/unbind", h.InstanceUnbind, rules.ActionUnbindVpc, ":id")
	change.GET(paths.Instances+"/:id/delete", h.InstanceDeletePage)
	changePOST(paths.Instances+"/:id/delete", h.InstanceDelete, rules.ActionDeleteInstance, ":id")

	// Network › VPCs
	app.GET(paths.Vpcs, h.VpcsPage)
	change.GET(paths.VpcNew, h.VpcNewPage)
	changePOST(paths.Vpcs, h.VpcCreate, rules.ActionCreateVpc, "name")
	app.GET(paths.Vpcs+"/:id", h.VpcPage)
	change.GET(paths.Vpcs+"/:id/vswitches/new", h.VSwitchNewPage)
	changePOST(paths.Vpcs+"/:id/vswitches/new", h.VSwitchCreate, rules.ActionCreateVSwitch, "name")
	change.GET(paths.Vpcs+"/:id/vswitches/:vsw/delete", h.VSwitchDeletePage)
	changePOST(paths.Vpcs+"/:id/vswitches/:vsw/delete", h.VSwitchDelete, rules.ActionDeleteVSwitch, ":vsw")
	change.GET(paths.Vpcs+"/:id/delete", h.VpcDeletePage)
	changePOST(paths.Vpcs+"/:id/delete", h.VpcDelete, rules.ActionDeleteVpc, ":id")

	// Access check and operation log
	app.GET(paths.Access, h.AccessPage)
	app.GET(paths.OpLog, h.OpLogPage)
	app.GET(paths.Calls, h.CallsPage)

	// Security: access keys and users (admins)
	admin.GET(paths.AccessKeys, h.AccessKeysPage)
	admin.GET(paths.AccessKeyNew, h.AccessKeyNewPage)
	adminPOST(paths.AccessKeys, h.AccessKeyCreate, rules.ActionCreateAccessKey, "user")
	adminPOST(paths.AccessKeys+"/:id/enable", h.AccessKeyEnable, rules.ActionEnableAccessKey, ":id")
	adminPOST(paths.AccessKeys+"/:id/disable", h.AccessKeyDisable, rules.ActionDisableAccessKey, ":id")
	admin.GET(paths.AccessKeys+"/:id/delete", h.AccessKeyDeletePage)
	adminPOST(paths.AccessKeys+"/:id/delete", h.AccessKeyDelete, rules.ActionDeleteAccessKey, ":id")
	admin.GET(paths.Users, h.UsersPage)
	adminPOST(paths.Users, h.UserCreate, rules.ActionCreateUser, "login")
	adminPOST(paths.Users+"/:login/role", h.UserSetRole, rules.ActionSetUserRole, ":login")
	admin.GET(paths.Users+"/:login/password", h.UserResetPasswordPage)
	adminPOST(paths.Users+"/:login/password", h.UserResetPassword, rules.ActionResetUserPassword, ":login")
	admin.GET(paths.Users+"/:login/remove", h.UserRemovePage)
	adminPOST(paths.Users+"/:login/remove", h.UserRemove, rules.ActionDeleteUser, ":login")

	// The user's own password (any role)
	app.GET(paths.Password, h.PasswordPage)
	ownPOST(paths.Password, h.PasswordChange, rules.ActionChangePassword, "@user")
}
