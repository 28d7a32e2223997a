package rules

import (
	"slices"
	"time"
)

// The operation log: the actions it records, by the names the console's
// Action filter offers, and the filter itself.

// Actions of the operation log. A change that commits is recorded under
// its action with the outcome OutcomeOK; a refused one under the same
// action (or, through the OpenAPI endpoint, the Alibaba action asked for)
// with the refusal's code as the outcome.
const (
	ActionCreateApiGroup             = "CreateApiGroup"
	ActionModifyApiGroup             = "ModifyApiGroup"
	ActionDeleteApiGroup             = "DeleteApiGroup"
	ActionEnableVpcDomain            = "EnableVpcDomain"
	ActionDisableVpcDomain           = "DisableVpcDomain"
	ActionModifyIntranetDomainPolicy = "ModifyIntranetDomainPolicy"
	ActionMoveGroup                  = "MoveGroup"
	ActionBindDomain                 = "BindDomain"
	ActionUnbindDomain               = "UnbindDomain"
	ActionSetDomainCertificate       = "SetDomainCertificate"
	ActionDeleteDomainCertificate    = "DeleteDomainCertificate"
	ActionCreateApi                  = "CreateApi"
	ActionModifyApi                  = "ModifyApi"
	ActionDeleteApi                  = "DeleteApi"
	ActionDeployApi                  = "DeployApi"
	ActionAbolishApi                 = "AbolishApi"
	ActionCreateInstance             = "CreateInstance"
	ActionDeleteInstance             = "DeleteInstance"
	ActionModifyInstance             = "ModifyInstanceAttribute"
	ActionBindVpc                    = "BindVpc"
	ActionChangeVpc                  = "ChangeVpc"
	ActionUnbindVpc                  = "UnbindVpc"
	ActionModifyInstanceVpcAttribute = "ModifyInstanceVpcAttributeForConsole"
	ActionCreateVpc                  = "CreateVpc"
	ActionDeleteVpc                  = "DeleteVpc"
	ActionCreateVSwitch              = "CreateVSwitch"
	ActionDeleteVSwitch              = "DeleteVSwitch"
	ActionCreateAccessKey            = "CreateAccessKey"
	ActionEnableAccessKey            = "EnableAccessKey"
	ActionDisableAccessKey           = "DisableAccessKey"
	ActionDeleteAccessKey            = "DeleteAccessKey"
	ActionCreateAccount              = "CreateAccount"
	ActionCreateUser                 = "CreateUser"
	ActionSetUserRole                = "SetUserRole"
	ActionResetUserPassword          = "ResetUserPassword"
	ActionDeleteUser                 = "DeleteUser"
	ActionChangePassword             = "ChangePassword"
	ActionLogin                      = "Login"
	ActionLoginFailed                = "LoginFailed"
	ActionLoginThrottled             = "LoginThrottled"
	ActionLogout                     = "Logout"
	ActionGenerateGroups             = "GenerateGroups"
)

// OutcomeOK is the outcome of a change that committed; any other outcome
// is the code of a refusal.
const OutcomeOK = "ok"

// ActionSection is a heading of the Action filter and its actions.
type ActionSection struct {
	Label   string
	Actions []string
}

var opLogActions = []ActionSection{
	{"API groups", []string{ActionCreateApiGroup, ActionModifyApiGroup, ActionDeleteApiGroup, ActionEnableVpcDomain,
		ActionDisableVpcDomain, ActionModifyIntranetDomainPolicy, ActionMoveGroup, ActionBindDomain, ActionUnbindDomain,
		ActionSetDomainCertificate, ActionDeleteDomainCertificate}},
	{"APIs", []string{ActionCreateApi, ActionModifyApi, ActionDeleteApi, ActionDeployApi, ActionAbolishApi}},
	{"Instances", []string{ActionCreateInstance, ActionModifyInstance, ActionDeleteInstance, ActionBindVpc, ActionChangeVpc, ActionUnbindVpc,
		ActionModifyInstanceVpcAttribute}},
	{"VPCs", []string{ActionCreateVpc, ActionDeleteVpc, ActionCreateVSwitch, ActionDeleteVSwitch}},
	{"Accounts, users and AccessKeys", []string{ActionCreateAccessKey, ActionEnableAccessKey, ActionDisableAccessKey, ActionDeleteAccessKey,
		ActionCreateAccount, ActionCreateUser, ActionSetUserRole, ActionResetUserPassword, ActionDeleteUser, ActionChangePassword}},
	{"Sessions", []string{ActionLogin, ActionLoginFailed, ActionLoginThrottled, ActionLogout}},
	{"Bulk data", []string{ActionGenerateGroups}},
}

// OpLogActions lists every action the operation log records, in sections,
// as the Action filter offers them.
func OpLogActions() []ActionSection {
	out := make([]ActionSection, len(opLogActions))
	for i, s := range opLogActions {
		out[i] = ActionSection{Label: s.Label, Actions: slices.Clone(s.Actions)}
	}
	return out
}

// KnownOpLogAction reports whether the operation log records action.
func KnownOpLogAction(action string) bool {
	for _, s := range opLogActions {
		if slices.Contains(s.Actions, action) {
			return true
		}
	}
	return false
}

// Outcomes the operation log is filtered by.
const (
	OutcomeFilterAll     = ""
	OutcomeFilterOK      = "ok"
	OutcomeFilterRefused = "refused"
)

// OpLogFilter is what the operation log is filtered by: an action of
// OpLogActions, an outcome, a target and a time range [Since, Until).
type OpLogFilter struct {
	Action  string
	Outcome string
	Target  string
	Since   time.Time // zero: from the first entry
	Until   time.Time // zero: to the newest
}

// Field names of the operation log's filter.
const (
	FieldAction  = "action"
	FieldOutcome = "outcome"
	FieldTarget  = "target"
	FieldSince   = "since"
	FieldUntil   = "until"
)

// OpLogTimeLayout is how the filter's times are written (an HTML
// datetime-local input's value), read as UTC.
const OpLogTimeLayout = "2006-01-02T15:04"

// ParseOpLogFilter reads the filter from its form values (strings as
// typed): every value that cannot be used is refused with its field, so
// that the filter is shown back with all of its errors and never silently
// widened.
func ParseOpLogFilter(action, outcome, target, since, until string) (OpLogFilter, []*Error) {
	f := OpLogFilter{Action: action, Outcome: outcome, Target: target}
	var errs []*Error
	if action != "" && !KnownOpLogAction(action) {
		errs = append(errs, invalid(FieldAction, CodeInvalidID, "The operation log records no action %q. Choose one of the list.", Shorten(action)))
		f.Action = ""
	}
	switch outcome {
	case OutcomeFilterAll, OutcomeFilterOK, OutcomeFilterRefused:
	default:
		errs = append(errs, invalid(FieldOutcome, CodeInvalidID, "The outcome is Succeeded, Refused or Any; %q is none of them.", Shorten(outcome)))
		f.Outcome = ""
	}
	if len(target) > 253 {
		errs = append(errs, invalid(FieldTarget, CodeInvalidID, "A target is at most 253 characters long; this one has %d.", len(target)))
		f.Target = ""
	}
	var e *Error
	if f.Since, e = parseOpLogTime(FieldSince, "From", since); e != nil {
		errs = append(errs, e)
	}
	if f.Until, e = parseOpLogTime(FieldUntil, "To", until); e != nil {
		errs = append(errs, e)
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		errs = append(errs, invalid(FieldUntil, CodeInvalidID, "The end of the time range (%s) is not after its start (%s).",
			f.Until.Format(OpLogTimeLayout), f.Since.Format(OpLogTimeLayout)))
		f.Since, f.Until = time.Time{}, time.Time{}
	}
	return f, errs
}

func parseOpLogTime(field, label, s string) (time.Time, *Error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(OpLogTimeLayout, s, time.UTC)
	if err != nil {
		// A browser without a datetime-local input sends what was typed;
		// seconds are accepted too.
		if t, err = time.ParseInLocation(OpLogTimeLayout+":05", s, time.UTC); err != nil {
			return time.Time{}, invalid(field, CodeInvalidID, "%s: %q is not a time; write it as 2026-01-31T13:45 (UTC).", label, Shorten(s))
		}
	}
	if y := t.Year(); y < 2000 || y > 2200 {
		return time.Time{}, invalid(field, CodeInvalidID, "%s: the operation log holds times between 2000 and 2200; %d is not one of its years.", label, y)
	}
	return t, nil
}

// Empty reports whether the filter lets every entry through.
func (f OpLogFilter) Empty() bool {
	return f.Action == "" && f.Outcome == "" && f.Target == "" && f.Since.IsZero() && f.Until.IsZero()
}
