package rules_test

import (
	"strings"
	"testing"

	"gatehouse/rules"
)

func TestUserInputValidate(t *testing.T) {
	tests := []struct {
		name string
		in   rules.UserInput
		want map[string]string
	}{
		{"well formed", rules.UserInput{Login: "alice", Password: "correct horse battery", Role: rules.RoleOperator}, nil},
		{"email login", rules.UserInput{Login: "alice.w@example.com", Password: "correct horse battery", Role: rules.RoleViewer}, nil},
		{"empty", rules.UserInput{}, map[string]string{"login": rules.CodeInvalidLogin, "password": rules.CodeInvalidPassword, "role": rules.CodeInvalidRole}},
		{"short login", rules.UserInput{Login: "al", Password: "correct horse battery", Role: rules.RoleAdmin}, map[string]string{"login": rules.CodeInvalidLogin}},
		{"login starts with a digit", rules.UserInput{Login: "1alice", Password: "correct horse battery", Role: rules.RoleAdmin}, map[string]string{"login": rules.CodeInvalidLogin}},
		{"login with a space", rules.UserInput{Login: "ali ce", Password: "correct horse battery", Role: rules.RoleAdmin}, map[string]string{"login": rules.CodeInvalidLogin}},
		{"short password", rules.UserInput{Login: "alice", Password: "elevenchars", Role: rules.RoleAdmin}, map[string]string{"password": rules.CodeInvalidPassword}},
		{"long password", rules.UserInput{Login: "alice", Password: strings.Repeat("p", 129), Role: rules.RoleAdmin}, map[string]string{"password": rules.CodeInvalidPassword}},
		{"password is the login", rules.UserInput{Login: "alice_wonderland", Password: "Alice_Wonderland", Role: rules.RoleAdmin}, map[string]string{"password": rules.CodeInvalidPassword}},
		{"unknown role", rules.UserInput{Login: "alice", Password: "correct horse battery", Role: "root"}, map[string]string{"role": rules.CodeInvalidRole}},
		{"role in upper case", rules.UserInput{Login: "alice", Password: "correct horse battery", Role: "ADMIN"}, map[string]string{"role": rules.CodeInvalidRole}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldCodes(t, tt.in.Validate()); !sameCodes(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckAccountName(t *testing.T) {
	for _, name := range []string{"acme", "acme-corp.cn", "Acme_2"} {
		wantCode(t, rules.CheckAccountName(name), "")
	}
	for _, name := range []string{"", "ab", "1acme", "acme corp", strings.Repeat("a", 65)} {
		err := rules.CheckAccountName(name)
		wantCode(t, err, rules.CodeInvalidAccountName)
		if re, _ := rules.AsError(err); re.Field != "account" {
			t.Errorf("%q: field %q", name, re.Field)
		}
	}
}

func TestRoles(t *testing.T) {
	tests := []struct {
		in                string
		role              rules.Role
		ok, change, admin bool
	}{
		{"admin", rules.RoleAdmin, true, true, true},
		{" Operator ", rules.RoleOperator, true, true, false},
		{"VIEWER", rules.RoleViewer, true, false, false},
		{"root", "", false, false, false},
	}
	for _, tt := range tests {
		r, ok := rules.ParseRole(tt.in)
		if r != tt.role || ok != tt.ok || r.CanChange() != tt.change || r.CanAdminister() != tt.admin {
			t.Errorf("ParseRole(%q) = %q, %v; change=%v admin=%v", tt.in, r, ok, r.CanChange(), r.CanAdminister())
		}
	}
	wantCode(t, rules.DuplicateLogin("alice"), rules.CodeDuplicateLogin)
}

func TestRoleValidate(t *testing.T) {
	for _, r := range []rules.Role{rules.RoleAdmin, rules.RoleOperator, rules.RoleViewer} {
		if errs := r.Validate(); len(errs) != 0 {
			t.Errorf("%s refused: %v", r, errs[0])
		}
	}
	for _, r := range []rules.Role{"", "Admin", " admin", "root"} {
		errs := r.Validate()
		if len(errs) != 1 || errs[0].Code != rules.CodeInvalidRole || errs[0].Field != rules.FieldRole {
			t.Errorf("%q: %v", r, errs)
		}
	}
}

// An account keeps at least one admin: its last admin cannot be demoted.
func TestCheckRoleChange(t *testing.T) {
	admin := rules.User{Login: "alice", Role: rules.RoleAdmin}
	viewer := rules.User{Login: "victor", Role: rules.RoleViewer}
	tests := []struct {
		name   string
		u      rules.User
		to     rules.Role
		admins int
		code   string
	}{
		{"last admin demoted to operator", admin, rules.RoleOperator, 1, rules.CodeLastAdmin},
		{"last admin demoted to viewer", admin, rules.RoleViewer, 1, rules.CodeLastAdmin},
		{"last admin stays admin", admin, rules.RoleAdmin, 1, ""},
		{"one of two admins demoted", admin, rules.RoleViewer, 2, ""},
		{"viewer promoted", viewer, rules.RoleAdmin, 1, ""},
		{"viewer made operator", viewer, rules.RoleOperator, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, rules.CheckRoleChange(tt.u, tt.to, tt.admins), tt.code)
		})
	}
}

// An account keeps at least one admin: its last admin cannot be removed.
func TestCheckRemoveUser(t *testing.T) {
	admin := rules.User{Login: "alice", Role: rules.RoleAdmin}
	operator := rules.User{Login: "oscar", Role: rules.RoleOperator}
	viewer := rules.User{Login: "victor", Role: rules.RoleViewer}
	tests := []struct {
		name   string
		u      rules.User
		admins int
		code   string
	}{
		{"last admin", admin, 1, rules.CodeLastAdmin},
		{"one of two admins", admin, 2, ""},
		{"an operator beside one admin", operator, 1, ""},
		{"a viewer beside one admin", viewer, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, rules.CheckRemoveUser(tt.u, tt.admins), tt.code)
		})
	}
}

func TestPasswordChangeValidate(t *testing.T) {
	const good = "correct horse battery"
	tests := []struct {
		name string
		in   rules.PasswordChange
		want map[string]string
	}{
		{"well formed", rules.PasswordChange{Login: "alice", Current: "old password 1", New: good}, nil},
		{"no current password", rules.PasswordChange{Login: "alice", New: good}, map[string]string{"current_password": rules.CodeInvalidPassword}},
		{"no new password", rules.PasswordChange{Login: "alice", Current: "old password 1"}, map[string]string{"password": rules.CodeInvalidPassword}},
		{"new password too short", rules.PasswordChange{Login: "alice", Current: "old password 1", New: "short"}, map[string]string{"password": rules.CodeInvalidPassword}},
		{"new password is the login", rules.PasswordChange{Login: "alice_wonderland", Current: "old password 1", New: "ALICE_WONDERLAND"}, map[string]string{"password": rules.CodeInvalidPassword}},
		{"new password is the current one", rules.PasswordChange{Login: "alice", Current: good, New: good}, map[string]string{"password": rules.CodeInvalidPassword}},
		{"nothing given", rules.PasswordChange{Login: "alice"}, map[string]string{"current_password": rules.CodeInvalidPassword, "password": rules.CodeInvalidPassword}},
		{"typed the same twice", rules.PasswordChange{Login: "alice", Current: "old password 1", New: good, Repeat: good, Repeats: true}, nil},
		{"typed differently", rules.PasswordChange{Login: "alice", Current: "old password 1", New: good, Repeat: good + "!", Repeats: true}, map[string]string{"password_repeat": rules.CodeInvalidPassword}},
		{"not repeated where not asked", rules.PasswordChange{Login: "alice", Current: "old password 1", New: good}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldCodes(t, tt.in.Validate()); !sameCodes(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	if re := rules.WrongPassword(); re.Code != rules.CodeWrongPassword || re.Field != "current_password" {
		t.Errorf("WrongPassword: %+v", re)
	}
}

func TestNewPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		p := rules.NewPassword()
		if err := rules.CheckPassword(p, "admin"); err != nil || len(p) != 20 {
			t.Fatalf("NewPassword() = %q: %v", p, err)
		}
		if seen[p] {
			t.Fatalf("NewPassword repeated %q", p)
		}
		seen[p] = true
	}
}
