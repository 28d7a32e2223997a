package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/components"
	"gatehouse/views/pages"
	"gatehouse/views/paths"
)

// An API's page and its actions: Deploy (to a stage, with a description),
// Abolish (from one stage) and Delete.

// APIPage shows an API: its definition, per stage what it serves, and the
// Debug panel.
func (h *Handler) APIPage(c echo.Context) error {
	d, err := h.apiDetail(c)
	if err != nil {
		return err
	}
	props := h.apiProps(c, d)
	if props.CanChange {
		if props.Debug, err = h.apiDebugDefaults(c.Request().Context(), d); err != nil {
			return err
		}
	}
	return render(c, http.StatusOK, h.chrome(c, d.Name, apisNav), pages.APIPage(props))
}

// apiProps is an API's page but its Debug panel.
func (h *Handler) apiProps(c echo.Context, d store.APIDetail) pages.APIProps {
	return pages.APIProps{
		ID:          d.ID,
		Name:        d.Name,
		Description: d.Description,
		GroupID:     d.GroupID,
		GroupName:   d.Group.Name,
		RegionID:    d.Group.RegionID,
		Revision:    d.Revision,
		Created:     d.CreatedAt,
		Modified:    d.ModifiedAt,
		Definition:  apiDefinitionView(d.APIDefinition),
		Stages:      apiStageViews(d),
		CanChange:   currentPrincipal(c).User.Role.CanChange(),
		Delete: components.Action{ID: "api-delete", Href: paths.APIAction(d.ID, "delete"), Label: "Delete", Class: "btn danger",
			Refusal: apiDeleteDialog(c, d).Refusal},
	}
}

// apiDetail reads the API named in the path: 404 when it is absent or
// another account's.
func (h *Handler) apiDetail(c echo.Context) (store.APIDetail, error) {
	d, err := h.store.GetAPI(c.Request().Context(), currentPrincipal(c).Account.ID, c.Param("id"))
	if err != nil {
		return store.APIDetail{}, notFoundOr(err)
	}
	return d, nil
}

func apiDefinitionView(d rules.APIDefinition) pages.APIDefinitionView {
	v := pages.APIDefinitionView{
		Method:          d.Method,
		Path:            d.Path,
		Protocols:       strings.ReplaceAll(d.Protocols.String(), ",", " and "),
		DisableInternet: d.DisableInternet,
		AuthType:        d.AuthType,
		Mock:            d.Backend == rules.BackendMock,
		MockHeaders:     d.MockHeaders,
		MockBody:        d.MockBody,
		ServiceAddress:  d.ServiceAddress,
		ServicePath:     d.ServicePath,
		ServiceMethod:   d.ServiceMethod,
		ServiceTimeout:  rules.FormatThousands(d.ServiceTimeout) + " ms",
	}
	if v.Mock {
		v.MockStatus = fmt.Sprintf("%d %s", d.MockStatus, http.StatusText(d.MockStatus))
	}
	if d.ServiceMethod == rules.MethodAny {
		v.ServiceMethod = "ANY (the caller's method)"
	}
	return v
}

// apiStageViews says, for every stage, what the API serves there and how
// it differs from the current definition.
func apiStageViews(d store.APIDetail) []pages.APIStageView {
	var out []pages.APIStageView
	for _, st := range rules.Stages() {
		v := pages.APIStageView{Stage: string(st), Title: st.Title()}
		if dep, ok := d.Deployment(st); ok {
			v.Deployed, v.Revision, v.DeployedAt, v.DeployedBy = true, dep.Revision, dep.DeployedAt, dep.DeployedBy
			v.Via, v.Description = string(dep.DeployedVia), dep.Description
			v.Method, v.Path = dep.Definition.Method, dep.Definition.Path
			v.Changes = rules.JoinWords(rules.DefinitionChanges(dep.Definition, d.APIDefinition))
		}
		out = append(out, v)
	}
	return out
}

// APIDeployPage shows the Deploy dialog; ?stage= chooses the stage.
func (h *Handler) APIDeployPage(c echo.Context) error {
	d, err := h.apiDetail(c)
	if err != nil {
		return err
	}
	props := pages.APIDeployProps{Stage: c.QueryParam("stage")}
	errs := components.Errors{}
	status := http.StatusOK
	if props.Stage != "" {
		if st, err := rules.ParseStage(props.Stage); err != nil {
			errs.Add(rules.FieldStage, refusalOf(err).Message)
			status = http.StatusBadRequest
		} else {
			props.Stage = string(st)
		}
	}
	return h.renderAPIDeploy(c, status, d, props, errs)
}

// APIDeploy deploys the API's current definition to the chosen stage.
func (h *Handler) APIDeploy(c echo.Context) error {
	d, err := h.apiDetail(c)
	if err != nil {
		return err
	}
	props := pages.APIDeployProps{Stage: c.FormValue("stage"), Description: c.FormValue("description")}
	dep, err := h.store.DeployAPI(c.Request().Context(), currentPrincipal(c).actor(), d.ID, rules.Stage(props.Stage), props.Description)
	if err != nil {
		errs, status, ok := formErrors(c, err)
		if !ok {
			return err
		}
		if status == http.StatusNotFound { // deleted meanwhile
			return notFoundOr(err)
		}
		return h.renderAPIDeploy(c, status, d, props, formFields(errs, rules.FieldStage, rules.FieldDescription))
	}
	h.flash(c, "success", fmt.Sprintf("API %s revision %d deployed to %s.", d.Name, dep.Revision, dep.Stage))
	return redirect(c, paths.API(d.ID))
}

func (h *Handler) renderAPIDeploy(c echo.Context, status int, d store.APIDetail, props pages.APIDeployProps, errs components.Errors) error {
	props.APIID, props.Name, props.Revision = d.ID, d.Name, d.Revision
	props.Stages, props.Serving, props.Errors, props.Modal = stageOptions(), apiStageViews(d), errs, isFragmentRequest(c)
	return render(c, status, h.chrome(c, "Deploy API", apisNav), pages.APIDeployPage(props))
}

// apiStage reads the stage named in the path: 404 for a stage that does
// not exist, as for any unknown path.
func apiStage(c echo.Context) (rules.Stage, error) {
	st, err := rules.ParseStage(c.Param("stage"))
	if err != nil || string(st) != c.Param("stage") {
		return "", echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("There is no stage %q: the stages are RELEASE, PRE and TEST.", c.Param("stage")))
	}
	return st, nil
}

// APIAbolishPage asks to confirm abolishing the API from a stage; a stage
// it is not deployed to has nothing to abolish, which the dialog says
// instead of offering Abolish.
func (h *Handler) APIAbolishPage(c echo.Context) error {
	d, err := h.apiDetail(c)
	if err != nil {
		return err
	}
	st, err := apiStage(c)
	if err != nil {
		return err
	}
	return h.renderConfirm(c, apisNav, apiAbolishDialog(c, d, st))
}

func apiAbolishDialog(c echo.Context, d store.APIDetail, st rules.Stage) pages.ConfirmProps {
	props := pages.ConfirmProps{
		Dialog: dialogOf(c, "api-abolish-dialog", fmt.Sprintf("Abolish %s from %s?", d.Name, st), paths.API(d.ID)),
		Action: paths.APIStageAction(d.ID, string(st), "abolish"),
		Submit: "Abolish",
		Danger: true,
	}
	dep, ok := d.Deployment(st)
	if !ok {
		props.Lines = []string{fmt.Sprintf("The %s stage (%s) serves nothing of %s.", st, st.Title(), d.Name)}
		props.Refusal = refusalOf(rules.NotDeployed(d.API, st), components.Link{Href: paths.APIDeployTo(d.ID, string(st)), Label: "Deploy it to " + string(st)})
		return props
	}
	props.Lines = []string{
		fmt.Sprintf("The %s stage (%s) stops serving %s (%s %s, revision %d) at once: its calls get 404 from the gateway.",
			st, st.Title(), d.Name, dep.Definition.Method, dep.Definition.Path, dep.Revision),
		"The API itself and its other stages stay as they are; you can deploy it to this stage again later.",
	}
	return props
}

// APIAbolish takes the API off a stage.
func (h *Handler) APIAbolish(c echo.Context) error {
	d, err := h.apiDetail(c)
	if err != nil {
		return err
	}
	st, err := apiStage(c)
	if err != nil {
		return err
	}
	abolished, err := h.store.AbolishAPI(c.Request().Context(), currentPrincipal(c).actor(), d.ID, st)
	if err != nil {
		return h.confirmRefused(c, err, apisNav, apiAbolishDialog(c, d, st))
	}
	if abolished {
		h.flash(c, "success", fmt.Sprintf("API %s abolished from %s.", d.Name, st))
	} else {
		h.flash(c, "info", fmt.Sprintf("API %s was not deployed to %s: nothing changed.", d.Name, st))
	}
	return redirect(c, paths.API(d.ID))
}

// APIDeletePage asks to confirm deleting the API; while it is deployed the
// rules refuse, and the dialog says so with a way to abolish each stage.
func (h *Handler) APIDeletePage(c echo.Context) error {
	d, err := h.apiDetail(c)
	if err != nil {
		return err
	}
	return h.renderConfirm(c, apisNav, apiDeleteDialog(c, d))
}

func apiDeleteDialog(c echo.Context, d store.APIDetail) pages.ConfirmProps {
	props := pages.ConfirmProps{
		Dialog: dialogOf(c, "api-delete-dialog", fmt.Sprintf("Delete API %s?", d.Name), paths.API(d.ID)),
		Lines: []string{fmt.Sprintf("The API %s (%s %s) of the group %s is deleted with its definition. This cannot be undone.",
			d.Name, d.Method, d.Path, d.Group.Name)},
		Action: paths.APIAction(d.ID, "delete"),
		Submit: "Delete",
		Danger: true,
	}
	var stages []rules.Stage
	var wayOut []components.Link
	for _, dep := range d.Deployments {
		stages = append(stages, dep.Stage)
		wayOut = append(wayOut, components.Link{Href: paths.APIStageAction(d.ID, string(dep.Stage), "abolish"), Label: "Abolish it from " + string(dep.Stage)})
	}
	props.Refusal = refusalOf(rules.CheckDeleteAPI(d.API, stages), wayOut...)
	return props
}

// APIDelete deletes the API and goes back to its group.
func (h *Handler) APIDelete(c echo.Context) error {
	d, err := h.apiDetail(c)
	if err != nil {
		return err
	}
	if err := h.store.DeleteAPI(c.Request().Context(), currentPrincipal(c).actor(), d.ID); err != nil {
		return h.confirmRefused(c, err, apisNav, apiDeleteDialog(c, d))
	}
	h.flash(c, "success", fmt.Sprintf("API %s deleted.", d.Name))
	return redirect(c, paths.Group(d.GroupID))
}
