package rules_test

import (
	"errors"
	"fmt"
	"testing"

	"gatehouse/rules"
)

func TestErrorsMatchByCode(t *testing.T) {
	err := fmt.Errorf("store: bind instance: %w", rules.CheckBindVpc(dedUnbound, vpcOther, vswOth, acctA))
	if !errors.Is(err, &rules.Error{Code: rules.CodeVpcNotFound}) || errors.Is(err, &rules.Error{Code: rules.CodeInstanceNotFound}) {
		t.Fatalf("errors.Is does not match on the code: %v", err)
	}
	if !rules.HasCode(err, rules.CodeVpcNotFound) || rules.HasCode(errors.New("x"), rules.CodeVpcNotFound) {
		t.Fatal("HasCode")
	}
}

// The not-found constructors answer alike for absent and foreign rows, and
// mark the field of the form.
func TestNotFoundConstructors(t *testing.T) {
	tests := []struct {
		err   *rules.Error
		code  string
		field string
	}{
		{rules.GroupNotFound("g"), rules.CodeGroupNotFound, "group"},
		{rules.InstanceNotFound("i"), rules.CodeInstanceNotFound, "instance"},
		{rules.VpcNotFound("v"), rules.CodeVpcNotFound, "vpc"},
		{rules.VSwitchNotFound("s"), rules.CodeVSwitchNotFound, "vswitch"},
		{rules.DomainNotFound("api.example.com"), rules.CodeDomainNotFound, "domain"},
	}
	for _, tt := range tests {
		wantCode(t, tt.err, tt.code)
		if tt.err.Kind != rules.KindNotFound || tt.err.Field != tt.field {
			t.Errorf("%s: kind %v field %q", tt.code, tt.err.Kind, tt.err.Field)
		}
	}
	wantCode(t, rules.Forbidden("deleting groups"), "Forbidden")
}

// Exported checks that pass return a nil error, not a nil *Error inside a
// non-nil interface.
func TestPassingChecksReturnNil(t *testing.T) {
	for name, err := range map[string]error{
		"CheckDomainName":  rules.CheckDomainName("api.example.com"),
		"CheckAccountName": rules.CheckAccountName("acme"),
		"CheckLogin":       rules.CheckLogin("alice"),
		"CheckPassword":    rules.CheckPassword("correct horse battery", "alice"),
	} {
		if err != nil {
			t.Errorf("%s: %#v", name, err)
		}
	}
	wantCode(t, rules.CheckLogin("1x"), rules.CodeInvalidLogin)
	wantCode(t, rules.CheckPassword("short", ""), rules.CodeInvalidPassword)
}
