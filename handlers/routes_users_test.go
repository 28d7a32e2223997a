package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gatehouse/handlers"
	"gatehouse/rules"
	"gatehouse/web/webtest"
)

// Users: an admin adds users, changes roles, resets passwords and removes
// users of the account; every user changes their own password.
//
// The first tenant keeps exactly one admin, so that its last-admin
// refusals hold while tests run in parallel: a test that needs a second
// admin makes an account of its own (rt.newAccount).
var userRoutes = map[string]routeTest{
	"GET /users":                  testUsersPage,
	"POST /users":                 testUserCreate,
	"POST /users/:login/role":     testUserSetRole,
	"GET /users/:login/password":  testUserResetPasswordPage,
	"POST /users/:login/password": testUserResetPassword,
	"GET /users/:login/remove":    testUserRemovePage,
	"POST /users/:login/remove":   testUserRemove,
	"GET /password":               testPasswordPage,
	"POST /password":              testPasswordChange,
}

// userPassword is the password of the users the tests add.
const userPassword = "a-long-password-9"

// newUser adds a user to the first tenant's account, with userPassword.
func (rt *routeT) newUser(t *testing.T, role rules.Role) string {
	t.Helper()
	login := rt.name("user")
	if _, err := rt.Store.AddUser(context.Background(), rt.a.Account.Name, login, role, userPassword); err != nil {
		t.Fatal(err)
	}
	return login
}

// newAccount makes an account of its own with two admins (the first is
// returned first) and an operator, all with userPassword.
func (rt *routeT) newAccount(t *testing.T) (admin, otherAdmin, operator string) {
	t.Helper()
	name := rt.name("acct")
	admin, otherAdmin, operator = name+"-admin", name+"-chief", name+"-op"
	for _, u := range []struct {
		login string
		role  rules.Role
	}{{admin, rules.RoleAdmin}, {otherAdmin, rules.RoleAdmin}, {operator, rules.RoleOperator}} {
		if _, err := rt.Store.AddUser(context.Background(), name, u.login, u.role, userPassword); err != nil {
			t.Fatal(err)
		}
	}
	return admin, otherAdmin, operator
}

// login is a browser of its own logged in as login, its answers recorded.
func (rt *routeT) login(t *testing.T, login, password string) *webtest.Client {
	t.Helper()
	cl := rt.Login(t, login, password)
	cl.Log = rt.log
	return cl
}

// expectLoggedOut checks that a browser's session has ended: a page sends
// it to the login page.
func expectLoggedOut(t *testing.T, cl *webtest.Client, who string) {
	t.Helper()
	if p := cl.Get(t, "/groups"); p.Status != http.StatusFound || !strings.HasPrefix(p.Header.Get("Location"), "/login") {
		t.Errorf("the session of %s goes on: GET /groups → %d", who, p.Status)
	}
}

// expectLoggedIn checks that a browser's session goes on.
func expectLoggedIn(t *testing.T, cl *webtest.Client, who string) {
	t.Helper()
	if p := cl.Get(t, "/groups"); p.Status != http.StatusOK {
		t.Errorf("the session of %s has ended: GET /groups → %d", who, p.Status)
	}
}

// expectPassword checks which password logs login in: want does, and
// not does not (when given).
func (rt *routeT) expectPassword(t *testing.T, login, want, not string) {
	t.Helper()
	if not != "" {
		if p := rt.anonymous(t).Post(t, "/login", url.Values{"login": {login}, "password": {not}}); p.Status != http.StatusUnauthorized {
			t.Errorf("%s still logs in with the old password: status %d", login, p.Status)
		}
	}
	rt.anonymous(t).Post(t, "/login", url.Values{"login": {login}, "password": {want}}).ExpectRedirect(webtest.NoJS, "/")
}

func testUsersPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.admin), "/users", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.Shows("Users", rt.a.Admin, rt.a.Operator, rt.a.Viewer).ShowsNot(rt.b.Admin).ExpectButton("Add user").ExpectButton("Change role")
		if p.Value("#role-"+rt.a.Viewer+"-role") != "viewer" {
			t.Errorf("%s: the viewer's role shows as %q", p, p.Value("#role-"+rt.a.Viewer+"-role"))
		}
	})
	expectForbidden(t, rt.as(t, rt.operator).Get(t, "/users"), adminOnly)
}

func testUserCreate(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		login := rt.name("newcomer")
		after := rt.expectChange(t, rt.as(t, rt.admin), mode, "/users",
			url.Values{"login": {login}, "password": {"a-long-password-9"}, "role": {"operator"}}, "/users", "User "+login+" added as operator.")
		after.Shows(login)
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		admin := rt.as(t, rt.admin)
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			p := admin.PostAs(t, mode, "/users", url.Values{"login": {rt.a.Operator}, "password": {"a-long-password-9"}, "role": {"viewer"}}).
				Expect(http.StatusConflict).ExpectFieldError("login", `The login name "`+rt.a.Operator+`" is already taken. Choose another one.`)
			if mode == webtest.Fragment {
				p.ExpectFragment()
			}
			admin.PostAs(t, mode, "/users", url.Values{"login": {rt.name("short")}, "password": {"short"}, "role": {"viewer"}}).
				Expect(http.StatusUnprocessableEntity).ExpectFieldError("password", "12")
			admin.PostAs(t, mode, "/users", url.Values{"login": {rt.name("king")}, "password": {"a-long-password-9"}, "role": {"king"}}).
				Expect(http.StatusUnprocessableEntity).ExpectFieldError("#user-role", "Choose a role: admin, operator or viewer.")
		}
		expectForbidden(t, rt.as(t, rt.operator).Post(t, "/users", url.Values{"login": {"sneaky"}, "password": {"a-long-password-9"}, "role": {"admin"}}), adminOnly)
	})
}

func testUserSetRole(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		login := rt.newUser(t, rules.RoleViewer)
		theirs := rt.login(t, login, userPassword)
		theirs.Get(t, "/groups/new").Expect(http.StatusForbidden)
		rt.expectChange(t, rt.as(t, rt.admin), mode, "/users/"+login+"/role", url.Values{"role": {"operator"}}, "/users",
			login+" is now operator. Their open sessions have the new role from their next request.")
		// Their open session has the new role at once.
		theirs.Get(t, "/groups/new").Expect(http.StatusOK).Shows(login + " · account " + rt.a.Account.Name + " · role operator")
	})
	// An admin who demotes themselves (another admin stays) loses the
	// Users page at once: the change leads to the overview.
	t.Run("themselves", func(t *testing.T) {
		t.Parallel()
		admin, _, _ := rt.newAccount(t)
		me := rt.login(t, admin, userPassword)
		after := rt.expectChange(t, me, webtest.NoJS, "/users/"+admin+"/role", url.Values{"role": {"operator"}}, "/",
			"You are now operator: users and AccessKeys are managed by the account's admins.")
		after.Shows(admin + " · ")
		expectForbidden(t, me.Get(t, "/users"), adminOnly)
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		admin := rt.as(t, rt.admin)
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			// The account's last admin stays admin; the refusal shows beside
			// that user's role.
			admin.PostAs(t, mode, "/users/"+rt.a.Admin+"/role", url.Values{"role": {"viewer"}}).Expect(http.StatusConflict).
				ExpectFieldError("#role-"+rt.a.Admin+"-role", `The user "`+rt.a.Admin+`" is the account's last admin; make another user admin first.`)
		}
		admin.Post(t, "/users/"+rt.b.Operator+"/role", url.Values{"role": {"viewer"}}).Expect(http.StatusNotFound)
		admin.Post(t, "/users/"+rt.a.Viewer+"/role", url.Values{"role": {"king"}}).Expect(http.StatusUnprocessableEntity)
		expectForbidden(t, rt.as(t, rt.operator).Post(t, "/users/"+rt.a.Viewer+"/role", url.Values{"role": {"admin"}}), adminOnly)
	})
}

func testUserResetPasswordPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.admin), "/users/"+rt.a.Operator+"/password", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Reset password").ExpectButton("Reset password").
			Shows("Give "+rt.a.Operator+" (operator) a new password?", "Leave it empty and Gatehouse makes a random one, shown once.",
				"Their open sessions end at once: they log in again with the new password. Their AccessKeys keep working.").
			ExpectNoFieldError("password")
	})
	// Another account's user, and one that does not exist, are the same 404.
	for _, login := range []string{rt.b.Operator, "nobody-here"} {
		rt.as(t, rt.admin).Get(t, "/users/"+login+"/password").Expect(http.StatusNotFound).Shows(`The user "` + login + `" does not exist.`)
	}
	expectForbidden(t, rt.as(t, rt.operator).Get(t, "/users/"+rt.a.Viewer+"/password"), adminOnly)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/users/"+rt.a.Viewer+"/password"), adminOnly)
}

func testUserResetPassword(t *testing.T, rt *routeT) {
	// A password the admin types: the change's flash, the user's sessions
	// end, the old password stops working.
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		login := rt.newUser(t, rules.RoleOperator)
		theirs := rt.login(t, login, userPassword)
		typed := "typed-by-the-admin-" + mode.String()
		rt.expectChange(t, rt.as(t, rt.admin), mode, "/users/"+login+"/password", url.Values{"password": {typed}},
			"/users", login+" has the password you typed; their open sessions have ended.")
		expectLoggedOut(t, theirs, login)
		rt.expectPassword(t, login, typed, userPassword)
	})
	// None typed: Gatehouse makes one and shows it in the answer itself,
	// once (no redirect, nothing in a cookie).
	for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
		t.Run("made by Gatehouse, "+mode.String(), func(t *testing.T) {
			t.Parallel()
			login := rt.newUser(t, rules.RoleViewer)
			theirs := rt.login(t, login, userPassword)
			p := rt.as(t, rt.admin).PostAs(t, mode, "/users/"+login+"/password", nil).Expect(http.StatusOK)
			p.ExpectDialog(mode, "New password").ExpectAlert("New password for " + login + ". Give it to them now: it is shown only this once.")
			issued := p.Text("#password-issued-value")
			if len(issued) < 12 {
				t.Fatalf("%s: the password shown is %q", p, issued)
			}
			if b := p.SubmitButtons(); len(b) > 0 {
				t.Errorf("%s: the answer offers %q; it only shows the password", p, b)
			}
			for _, c := range p.Header.Values("Set-Cookie") {
				if strings.Contains(c, issued) {
					t.Errorf("%s: the new password travels in a cookie", p)
				}
			}
			expectLoggedOut(t, theirs, login)
			rt.expectPassword(t, login, issued, userPassword)
		})
	}
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		login := rt.newUser(t, rules.RoleViewer)
		theirs := rt.login(t, login, userPassword)
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			p := rt.as(t, rt.admin).PostAs(t, mode, "/users/"+login+"/password", url.Values{"password": {"short"}}).Expect(http.StatusUnprocessableEntity)
			p.ExpectDialog(mode, "Reset password").ExpectFieldError("password", "at least 12").ExpectButton("Reset password")
		}
		// Nothing changed: the user's session and password stand.
		expectLoggedIn(t, theirs, login)
		rt.expectPassword(t, login, userPassword, "")
		rt.as(t, rt.admin).Post(t, "/users/"+rt.b.Operator+"/password", nil).Expect(http.StatusNotFound)
		expectForbidden(t, rt.as(t, rt.operator).Post(t, "/users/"+login+"/password", url.Values{"password": {"sneaky-long-password"}}), adminOnly)
		expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/users/"+login+"/password", nil), adminOnly)
		expectLoggedIn(t, theirs, login)
	})
}

func testUserRemovePage(t *testing.T, rt *routeT) {
	login := rt.newUser(t, rules.RoleOperator)
	if _, _, err := rt.Store.CreateAccessKey(context.Background(), rt.actor(), login); err != nil {
		t.Fatal(err)
	}
	rt.expectGetModes(t, rt.as(t, rt.admin), "/users/"+login+"/remove", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Remove user").ExpectButton("Remove").
			Shows("Remove the user "+login+" (operator) from the account?",
				"Their open sessions end at once and their AccessKey is deleted: clients signing with it are refused.").
			ShowsNot("This is you")
	})
	// The last admin: the dialog refuses before any Remove (more in
	// TestRefusedDialogs).
	rt.as(t, rt.admin).Get(t, "/users/"+rt.a.Admin+"/remove").Expect(http.StatusConflict).
		ExpectAlert("is the account's last admin and cannot be removed").ExpectNoButton("Remove")
	// An admin removing themselves is told they are logged out.
	admin, _, _ := rt.newAccount(t)
	rt.login(t, admin, userPassword).Get(t, "/users/"+admin+"/remove").Expect(http.StatusOK).
		ExpectButton("Remove").Shows("This is you: you are logged out when you confirm.")
	rt.as(t, rt.admin).Get(t, "/users/"+rt.b.Operator+"/remove").Expect(http.StatusNotFound).Shows(`The user "` + rt.b.Operator + `" does not exist.`)
	expectForbidden(t, rt.as(t, rt.operator).Get(t, "/users/"+login+"/remove"), adminOnly)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/users/"+login+"/remove"), adminOnly)
}

func testUserRemove(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		login := rt.newUser(t, rules.RoleOperator)
		theirs := rt.login(t, login, userPassword)
		key, _, err := rt.Store.CreateAccessKey(context.Background(), rt.actor(), login)
		if err != nil {
			t.Fatal(err)
		}
		after := rt.expectChange(t, rt.as(t, rt.admin), mode, "/users/"+login+"/remove", nil, "/users", "User "+login+" removed; their sessions have ended.")
		if after.Has("#user-" + login) {
			t.Errorf("the removed user %s is still listed", login)
		}
		expectLoggedOut(t, theirs, login)
		if keys := rt.as(t, rt.admin).Get(t, "/accesskeys").Expect(http.StatusOK); strings.Contains(keys.Text("table"), key.ID) {
			t.Errorf("the removed user's AccessKey %s is left", key.ID)
		}
	})
	t.Run("themselves", func(t *testing.T) {
		t.Parallel()
		admin, other, _ := rt.newAccount(t)
		me := rt.login(t, admin, userPassword)
		p := me.Post(t, "/users/"+admin+"/remove", nil).ExpectRedirect(webtest.NoJS, "/login")
		me.Follow(t, p).Expect(http.StatusOK).ExpectFullPage()
		expectLoggedOut(t, me, admin)
		// The other admin sees them gone.
		rt.login(t, other, userPassword).Get(t, "/users").Expect(http.StatusOK).ShowsNot(admin)
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			p := rt.as(t, rt.admin).PostAs(t, mode, "/users/"+rt.a.Admin+"/remove", nil).Expect(http.StatusConflict)
			p.ExpectDialog(mode, "Remove user").ExpectAlert(`The user "` + rt.a.Admin + `" is the account's last admin and cannot be removed; make another user admin first.`).
				ExpectNoButton("Remove")
		}
		expectLoggedIn(t, rt.as(t, rt.admin), rt.a.Admin)
		login := rt.newUser(t, rules.RoleViewer)
		rt.as(t, rt.admin).Post(t, "/users/"+rt.b.Viewer+"/remove", nil).Expect(http.StatusNotFound)
		expectForbidden(t, rt.as(t, rt.operator).Post(t, "/users/"+login+"/remove", nil), adminOnly)
		expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/users/"+login+"/remove", nil), adminOnly)
		rt.as(t, rt.admin).Get(t, "/users").Expect(http.StatusOK).Shows(login)
	})
}

func testPasswordPage(t *testing.T, rt *routeT) {
	// Every role, the viewer included: it changes nothing of the account.
	rt.expectGetModes(t, rt.as(t, rt.viewer), "/password", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		if p.Heading() != "Change password" {
			t.Errorf("%s: heading %q", p, p.Heading())
		}
		p.Shows("You are " + rt.a.Viewer + ". Your other sessions end when the password changes; this one stays.").ExpectButton("Change password")
		for _, field := range []string{"current_password", "password", "password_repeat"} {
			p.ExpectNoFieldError(field)
		}
	})
	p := rt.anonymous(t).Get(t, "/password")
	if p.Status != http.StatusFound || !strings.HasPrefix(p.Header.Get("Location"), "/login") {
		t.Errorf("anonymous: %d to %q, want the login page", p.Status, p.Header.Get("Location"))
	}
}

func testPasswordChange(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		login := rt.newUser(t, rules.RoleViewer)
		here, elsewhere := rt.login(t, login, userPassword), rt.login(t, login, userPassword)
		changed := "changed-by-" + mode.String()
		rt.expectChange(t, here, mode, "/password", url.Values{"current_password": {userPassword}, "password": {changed}, "password_repeat": {changed}},
			"/", "Your password is changed. Your other sessions have ended; this one goes on.")
		expectLoggedIn(t, here, login)
		expectLoggedOut(t, elsewhere, login+" in another browser")
		rt.expectPassword(t, login, changed, userPassword)
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		login := rt.newUser(t, rules.RoleOperator)
		here, elsewhere := rt.login(t, login, userPassword), rt.login(t, login, userPassword)
		refusals := []struct {
			current, password, repeat string
			field, message            string
		}{
			{"not-the-password", "a-new-long-password", "a-new-long-password", "current_password", "The current password is wrong."},
			{"", "a-new-long-password", "a-new-long-password", "current_password", "Enter your current password."},
			{userPassword, "a-new-long-password", "another-long-password", "password_repeat", "The two new passwords differ; type the same one twice."},
			{userPassword, "short", "short", "password", "at least 12"},
			{userPassword, userPassword, userPassword, "password", "The new password is the current one; choose another."},
		}
		for _, r := range refusals {
			for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
				p := here.PostAs(t, mode, "/password", url.Values{"current_password": {r.current}, "password": {r.password}, "password_repeat": {r.repeat}}).
					Expect(http.StatusUnprocessableEntity).ExpectFieldError(r.field, r.message)
				if mode == webtest.Fragment {
					p.ExpectFragment()
				} else {
					p.ExpectFullPage()
				}
				// A password typed is never sent back.
				for _, field := range []string{"current_password", "password", "password_repeat"} {
					if v := p.Value(field); v != "" {
						t.Errorf("%s: the field %s comes back filled", p, field)
					}
				}
			}
		}
		// Nothing changed: both sessions go on, the password stands.
		expectLoggedIn(t, here, login)
		expectLoggedIn(t, elsewhere, login+" in another browser")
		rt.expectPassword(t, login, userPassword, "")
	})
	// Wrong current passwords count towards the login throttle: a session
	// left open is no way to guess the password. A console of its own, for
	// its clock and throttle.
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		own, err := webtest.OpenOn(rt.Store, func(c *handlers.Config) { c.LoginFailures = 3 })
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(own.Close)
		login := rt.newUser(t, rules.RoleViewer)
		cl := own.Login(t, login, userPassword)
		cl.Log = rt.log
		wrong := url.Values{"current_password": {"not-the-password"}, "password": {"a-new-long-password"}, "password_repeat": {"a-new-long-password"}}
		for range 3 {
			cl.Post(t, "/password", wrong).Expect(http.StatusUnprocessableEntity)
		}
		right := url.Values{"current_password": {userPassword}, "password": {"a-new-long-password"}, "password_repeat": {"a-new-long-password"}}
		cl.PostAs(t, webtest.Fragment, "/password", right).Expect(http.StatusTooManyRequests).ExpectFragment().
			ExpectAlert("Too many wrong passwords. Try again in 60 seconds.")
		// Logging in as them is locked too, from anywhere.
		own.Anonymous(t).Post(t, "/login", url.Values{"login": {login}, "password": {userPassword}}).Expect(http.StatusTooManyRequests)
		own.Clock.Advance(time.Minute)
		cl.Post(t, "/password", right).ExpectRedirect(webtest.NoJS, "/")
	})
	// Without the form's token, nothing happens.
	rt.as(t, rt.viewer).PostRaw(t, "/password", url.Values{"current_password": {rt.a.Password}}, nil).
		Expect(http.StatusForbidden).Shows("CSRF")
}
