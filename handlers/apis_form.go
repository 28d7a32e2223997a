package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/views/components"
	"gatehouse/views/pages"
	"gatehouse/views/paths"
)

// Create API and Edit API: one form, read into a definition here and
// judged by rules.APIDefinition.Validate (through the store).

// apiFormFields are the form's fields that show their own errors; any
// other refusal shows above the form.
var apiFormFields = []string{rules.FieldGroup, rules.FieldName, rules.FieldDescription, rules.FieldMethod, rules.FieldPath,
	rules.FieldProtocols, rules.FieldBackend, rules.FieldMockStatus, rules.FieldMockHeaders, rules.FieldMockBody,
	rules.FieldServiceAddress, rules.FieldServicePath, rules.FieldServiceMethod, rules.FieldServiceTimeout}

// APINewPage shows Create API; ?group= chooses the group (from Group
// Details or a filtered list).
func (h *Handler) APINewPage(c echo.Context) error {
	v := pages.APIFormValues{
		Group:      strings.TrimSpace(c.QueryParam("group")),
		Method:     rules.MethodGet,
		Protocols:  []string{"HTTP", "HTTPS"},
		Backend:    string(rules.BackendMock),
		MockStatus: strconv.Itoa(rules.DefaultMockStatus),
		MockBody:   "{}",
		// An HTTP backend's usual settings, ready when the type changes.
		ServicePath:    "/",
		ServiceTimeout: "10000",
	}
	return h.renderAPIForm(c, http.StatusOK, pages.APIFormProps{Values: v}, nil)
}

// APICreate creates an API from Create API and opens its page.
func (h *Handler) APICreate(c echo.Context) error {
	v := apiFormValues(c)
	props := pages.APIFormProps{Values: v}
	errs := components.Errors{}
	if v.Group == "" {
		errs.Add(rules.FieldGroup, "Choose the group the API belongs to.")
	}
	def, errs := definitionOf(v, rules.APIDefinition{}, errs)
	if len(errs) > 0 {
		noteInvalid(c, rules.CodeInvalidID, errs)
		return h.renderAPIForm(c, http.StatusUnprocessableEntity, props, errs)
	}
	api, err := h.store.CreateAPI(c.Request().Context(), currentPrincipal(c).actor(), v.Group, def)
	if err != nil {
		errs, status, ok := formErrors(c, err)
		if !ok {
			return err
		}
		return h.renderAPIForm(c, status, props, formFields(errs, apiFormFields...))
	}
	h.flash(c, "success", fmt.Sprintf("API %s created. Deploy it to a stage to serve calls.", api.Name))
	return redirect(c, paths.API(api.ID))
}

// APIEditPage shows Edit API with the API's current definition.
func (h *Handler) APIEditPage(c echo.Context) error {
	d, err := h.apiDetail(c)
	if err != nil {
		return err
	}
	props := pages.APIFormProps{Edit: true, APIID: d.ID, APIName: d.Name, GroupName: d.Group.Name, Values: apiFormValuesOf(d.GroupID, d.APIDefinition)}
	return h.renderAPIForm(c, http.StatusOK, props, nil)
}

// APIEdit saves an API's definition: what the form does not show
// (authentication, visibility, result type and sample) stays as it is.
// No stage changes until the API is deployed again.
func (h *Handler) APIEdit(c echo.Context) error {
	d, err := h.apiDetail(c)
	if err != nil {
		return err
	}
	v := apiFormValues(c)
	v.Group = d.GroupID
	props := pages.APIFormProps{Edit: true, APIID: d.ID, APIName: d.Name, GroupName: d.Group.Name, Values: v}
	def, errs := definitionOf(v, d.APIDefinition, components.Errors{})
	if len(errs) > 0 {
		noteInvalid(c, rules.CodeInvalidID, errs)
		return h.renderAPIForm(c, http.StatusUnprocessableEntity, props, errs)
	}
	api, err := h.store.ModifyAPI(c.Request().Context(), currentPrincipal(c).actor(), d.ID, def)
	if err != nil {
		errs, status, ok := formErrors(c, err)
		if !ok {
			return err
		}
		if status == http.StatusNotFound { // deleted meanwhile
			return notFoundOr(err)
		}
		return h.renderAPIForm(c, status, props, formFields(errs, apiFormFields...))
	}
	if api.Revision == d.Revision {
		h.flash(c, "info", fmt.Sprintf("API %s: nothing changed.", api.Name))
	} else {
		h.flash(c, "success", fmt.Sprintf("API %s saved as revision %d. No stage serves it until you deploy it.", api.Name, api.Revision))
	}
	return redirect(c, paths.API(api.ID))
}

// renderAPIForm shows Create API or Edit API with its choices.
func (h *Handler) renderAPIForm(c echo.Context, status int, props pages.APIFormProps, errs components.Errors) error {
	ctx := c.Request().Context()
	p := currentPrincipal(c)
	props.Errors = errs
	props.Methods = methodOptions(false)
	props.BackendVerbs = methodOptions(true)
	props.MockStatuses = mockStatusOptions()
	title := "Create API"
	if props.Edit {
		title = "Edit API"
		props.Cancel = paths.API(props.APIID)
	} else {
		// A refused Create API changed nothing: the version its request
		// read still holds.
		groups, many, err := h.groupChoices(ctx, p)
		if err != nil {
			return err
		}
		if !many {
			props.Groups = groups
		}
		props.Cancel = paths.APIs
		if props.Values.Group != "" {
			// A group of the account: name it and come back to it on Cancel.
			if g, err := h.store.GetGroup(ctx, p.Account.ID, props.Values.Group); err == nil {
				props.GroupName, props.Cancel = g.Name, paths.Group(g.ID)
			}
		}
	}
	return render(c, status, h.chrome(c, title, apisNav), pages.APIFormPage(props))
}

// apiFormValues reads the API form as posted.
func apiFormValues(c echo.Context) pages.APIFormValues {
	v := pages.APIFormValues{
		Group:           strings.TrimSpace(c.FormValue("group")),
		Name:            strings.TrimSpace(c.FormValue("name")),
		Description:     c.FormValue("description"),
		Method:          c.FormValue("method"),
		Path:            strings.TrimSpace(c.FormValue("path")),
		Backend:         c.FormValue("backend"),
		MockStatus:      c.FormValue("mock_status"),
		MockBody:        c.FormValue("mock_body"),
		MockHeaders:     c.FormValue("mock_headers"),
		ServiceAddress:  strings.TrimSpace(c.FormValue("service_address")),
		ServicePath:     strings.TrimSpace(c.FormValue("service_path")),
		ServiceMethod:   c.FormValue("service_method"),
		ServiceTimeout:  strings.TrimSpace(c.FormValue("service_timeout")),
		DisableInternet: c.FormValue("disable_internet") != "",
	}
	if form, err := c.FormParams(); err == nil {
		v.Protocols = form["protocols"]
	}
	return v
}

// apiFormValuesOf fills the form from a definition.
func apiFormValuesOf(groupID string, d rules.APIDefinition) pages.APIFormValues {
	v := pages.APIFormValues{
		Group:           groupID,
		Name:            d.Name,
		Description:     d.Description,
		Method:          d.Method,
		Path:            d.Path,
		Protocols:       strings.Split(d.Protocols.String(), ","),
		Backend:         string(d.Backend),
		MockStatus:      strconv.Itoa(rules.DefaultMockStatus),
		MockBody:        d.MockBody,
		MockHeaders:     rules.FormatHeaderLines(d.MockHeaders),
		ServiceAddress:  d.ServiceAddress,
		ServicePath:     d.ServicePath,
		ServiceMethod:   d.ServiceMethod,
		ServiceTimeout:  strconv.Itoa(d.ServiceTimeout),
		DisableInternet: d.DisableInternet,
	}
	if d.Backend == rules.BackendMock {
		v.MockStatus = strconv.Itoa(d.MockStatus)
		v.ServicePath, v.ServiceTimeout = "/", "10000" // ready if the type changes
	}
	return v
}

// definitionOf reads the form over base (what the form does not show
// stays): the definition to save or, when errs (errors found already) or
// the fields that are not even of the right kind (a timeout that is no
// number) refuse it, those errors together with every other field's, as
// rules.APIDefinition.Validate finds them, so the operator sees them all
// at once.
func definitionOf(v pages.APIFormValues, base rules.APIDefinition, errs components.Errors) (rules.APIDefinition, components.Errors) {
	d := base
	d.Name, d.Description, d.Method, d.Path = v.Name, v.Description, v.Method, v.Path
	d.Protocols, _ = rules.ParseProtocols(strings.Join(v.Protocols, ","))
	d.Backend, d.DisableInternet = rules.BackendType(v.Backend), v.DisableInternet
	switch d.Backend {
	case rules.BackendMock:
		d.MockBody = v.MockBody
		var err error
		if d.MockStatus, err = strconv.Atoi(v.MockStatus); err != nil {
			errs.Add(rules.FieldMockStatus, "Choose the status code of the Mock answer.")
		}
		if hs, err := rules.ParseHeaderLines(v.MockHeaders); err != nil {
			errs.Add(rules.FieldMockHeaders, refusalOf(err).Message)
		} else {
			d.MockHeaders = hs
		}
	case rules.BackendHTTP:
		d.ServiceAddress, d.ServicePath, d.ServiceMethod = v.ServiceAddress, v.ServicePath, v.ServiceMethod
		var err error
		if d.ServiceTimeout, err = strconv.Atoi(v.ServiceTimeout); err != nil {
			errs.Add(rules.FieldServiceTimeout, fmt.Sprintf("Enter the backend timeout in milliseconds: a whole number from %d to %s.",
				rules.ServiceTimeoutMin, rules.FormatThousands(rules.ServiceTimeoutMax)))
		}
	}
	if len(errs) == 0 {
		return d, errs
	}
	unread := map[string]bool{} // the fields whose text could not be read: their own error says it
	for field := range errs {
		unread[field] = true
	}
	for _, e := range d.WithDefaults().Validate() {
		if !unread[e.Field] {
			errs.Add(e.Field, e.Message) // every error of a field, as the other forms list them
		}
	}
	return d, formFields(errs, apiFormFields...)
}

// methodOptions are the methods of an API's request, or of its backend
// (where ANY sends the caller's method).
func methodOptions(backend bool) []components.Option {
	var out []components.Option
	for _, m := range rules.APIMethods() {
		label := m
		if m == rules.MethodAny && backend {
			label = "ANY (the caller's method)"
		} else if m == rules.MethodAny {
			label = "ANY (every method)"
		}
		out = append(out, components.Option{Value: m, Label: label})
	}
	return out
}

// mockStatusOptions are the status codes a Mock answer may have, with
// their reason phrases.
func mockStatusOptions() []components.Option {
	var out []components.Option
	for _, code := range rules.MockStatusCodes() {
		label := strconv.Itoa(code)
		if text := http.StatusText(code); text != "" {
			label += " " + text
		}
		out = append(out, components.Option{Value: strconv.Itoa(code), Label: label})
	}
	return out
}
