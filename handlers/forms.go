package handlers

import (
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/components"
)

// formErrors turns a store refusal into what a form shows: each field error
// of an InputError beside its field, a rule's refusal beside the field it
// names or, naming none, above the form. It also picks the status: 422 for
// bad input, 404 for an id that names nothing of this account (another
// tenant's included), 409 for a rule's refusal of the current state, 403
// for a role's. ok is false when err is no refusal at all: a server error
// the caller returns.
//
// A refused change is also noted for Audit, which records it in the
// operation log.
func formErrors(c echo.Context, err error) (errs components.Errors, status int, ok bool) {
	errs, status, ok = fieldErrorsOf(err)
	if ok {
		noteRefusal(c, err)
	}
	return errs, status, ok
}

// fieldErrorsOf is formErrors without the note: for a dialog showing what
// the rules would answer, before anything is submitted.
func fieldErrorsOf(err error) (errs components.Errors, status int, ok bool) {
	var in *store.InputError
	if errors.As(err, &in) {
		errs = components.Errors{}
		for _, fe := range in.Errs {
			errs.Add(fe.Field, fe.Message) // every error of a field, in order
		}
		if len(in.Errs) == 0 {
			return errs, http.StatusUnprocessableEntity, true
		}
		return errs, statusOf(in.Errs[0]), true // as the OpenAPI endpoint answers
	}
	re, isRule := rules.AsError(err)
	if !isRule {
		return nil, 0, false
	}
	return components.Errors{re.Field: {re.Message}}, statusOf(re), true
}

// statusOf is the HTTP status of a rules refusal.
func statusOf(re *rules.Error) int {
	switch re.Kind {
	case rules.KindNotFound:
		return http.StatusNotFound
	case rules.KindConflict:
		return http.StatusConflict
	case rules.KindForbidden:
		return http.StatusForbidden
	default:
		return http.StatusUnprocessableEntity
	}
}

// notFoundOr turns a "not found" refusal of a resource named in the path
// into a 404 page, the same whether the resource is absent or another
// account's; other errors pass through.
func notFoundOr(err error) error {
	if re, ok := rules.AsError(err); ok && re.Kind == rules.KindNotFound {
		return echo.NewHTTPError(http.StatusNotFound, re.Message).SetInternal(re)
	}
	return err
}

// anyMessage is the first message of a form's errors, for a form with a
// single input.
func anyMessage(errs components.Errors) string {
	if m := errs.Get(""); m != "" {
		return m
	}
	for _, m := range errs {
		return strings.Join(m, " ")
	}
	return ""
}

// formFields keeps the errors of the fields a form has beside them and
// gathers every other message (a rule's refusal about the whole change, or
// about a field this form does not show) above the form, so nothing a
// refusal says goes unseen.
func formFields(errs components.Errors, fields ...string) components.Errors {
	out := components.Errors{}
	var other []string
	for k, v := range errs {
		if slices.Contains(fields, k) {
			out[k] = v
		} else {
			other = append(other, v...)
		}
	}
	sort.Strings(other)
	for _, m := range other {
		out.Add("", m)
	}
	return out
}

// regionOptions lists the region catalogue for a select.
func regionOptions() []components.Option {
	var out []components.Option
	for _, r := range rules.Regions() {
		out = append(out, components.Option{Value: r.ID, Label: rules.RegionLabel(r.ID)})
	}
	return out
}

// zoneOptions lists a region's zones for a select; none for an unknown
// region.
func zoneOptions(regionID string) []components.Option {
	r, ok := rules.RegionByID(regionID)
	if !ok {
		return nil
	}
	out := make([]components.Option, len(r.Zones))
	for i, z := range r.Zones {
		out[i] = components.Option{Value: z, Label: z}
	}
	return out
}
