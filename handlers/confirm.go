package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/views/components"
	"gatehouse/views/pages"
)

// Confirmation dialogs: every dialog that asks to confirm an action asks
// the rules first (refusalOf) and shows their refusal instead of Confirm;
// one pair of helpers renders them and re-renders them with a refusal of
// the submitted action.

// refusalOf is a rule's refusal as a dialog or a page shows it: the
// rule's own message and the ways out; nil when the rules allow.
func refusalOf(err error, wayOut ...components.Link) *components.Refusal {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if re, ok := rules.AsError(err); ok {
		msg = re.Message
	}
	return &components.Refusal{Message: msg, WayOut: wayOut}
}

// briefly gives a refusal its reason in a few words, for a table row's
// button; nil stays nil.
func briefly(r *components.Refusal, format string, args ...any) *components.Refusal {
	if r != nil {
		r.Short = fmt.Sprintf(format, args...)
	}
	return r
}

// renderConfirm renders a confirmation dialog: 200, or 409 when the rules
// refuse its action as things stand.
func (h *Handler) renderConfirm(c echo.Context, nav string, props pages.ConfirmProps) error {
	status := http.StatusOK
	if props.Refusal != nil {
		status = http.StatusConflict
	}
	return render(c, status, h.chrome(c, props.Dialog.Title, nav), pages.ConfirmPage(props))
}

// confirmRefused answers a confirmed action that the store refused: the
// dialog again, at the refusal's status. props are read from the state as
// it is now, so they usually carry the rules' refusal with its blockers; a
// refusal they do not foresee (the state changed again) is shown as the
// dialog's refusal too, and bad input of a dialog's fields beside them.
// What went meanwhile is the 404 page; an error that is no refusal is
// returned.
func (h *Handler) confirmRefused(c echo.Context, err error, nav string, props pages.ConfirmProps) error {
	errs, status, ok := formErrors(c, err)
	if !ok {
		return err
	}
	if re, isRule := rules.AsError(err); isRule && re.Kind == rules.KindNotFound {
		return notFoundOr(err)
	}
	if props.Refusal == nil {
		if re, isRule := rules.AsError(err); isRule && re.Kind == rules.KindConflict {
			props.Refusal = refusalOf(err)
		} else {
			props.Errors = formFields(errs)
		}
	}
	return render(c, status, h.chrome(c, props.Dialog.Title, nav), pages.ConfirmPage(props))
}

// dialogOf describes a confirmation dialog's box: a modal for htmx, a page
// without JavaScript, whose Cancel leads to cancel.
func dialogOf(c echo.Context, id, title, cancel string) components.Dialog {
	return components.Dialog{ID: id, Title: title, Modal: isFragmentRequest(c), Cancel: cancel}
}
