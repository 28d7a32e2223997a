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
