package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/components"
	"gatehouse/views/pages"
	"gatehouse/views/paths"
)

// The VPC second-level domain of a group (R2, R3, R4, R5) and moving a
// group to another instance (R8).

// GroupEnableVpcDomainPage is the message that asks to confirm enabling the
// VPC second-level domain, saying who will reach it.
func (h *Handler) GroupEnableVpcDomainPage(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	return h.renderGroupConfirm(c, http.StatusOK, h.groupEnableDialog(c, d))
}

func (h *Handler) groupEnableDialog(c echo.Context, d store.GroupDetail) pages.GroupConfirmProps {
	// Who will reach the domain once it is enabled, as the rules answer.
	g := d.Group
	g.VpcDomainEnabled = true
	v := h.vpcDomainReach(currentPrincipal(c).Account.ID, g, d.Instance)
	effect := v.Reason()
	if v.Audience != rules.AudienceNobody {
		effect = fmt.Sprintf("Once enabled, the domain name resolves to %s and is reachable %s.", v.Address, v.Who())
	}
	return pages.GroupConfirmProps{
		DialogID: "group-vpc-enable-dialog",
		Title:    "Enable VPC Second-level Domain",
		Lines: []string{
			fmt.Sprintf("Enable the VPC second-level domain of the API group %s?", d.Name),
			"API Gateway automatically assigns a second-level domain name for VPC to this API group. This domain name can be used to call APIs in the API group, " +
				"over HTTP and HTTPS, as many times a day as you want.",
			effect,
		},
		Action: paths.GroupAction(d.ID, "vpc-domain/enable"),
		Cancel: paths.Group(d.ID),
		Submit: "Confirm",
		Modal:  isFragmentRequest(c),
	}
}

// GroupEnableVpcDomain enables the VPC second-level domain. A refusal (R5:
// the dedicated instance is not bound to a VPC) is shown in the dialog's
// message with a link to the instance, where it can be bound.
func (h *Handler) GroupEnableVpcDomain(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	g, err := h.store.EnableVpcDomain(c.Request().Context(), currentPrincipal(c).actor(), d.ID)
	if err != nil {
		props := h.groupEnableDialog(c, d)
		if rules.HasCode(err, rules.CodeInstanceNotBoundToVpc) {
			props.HelpHref = paths.Instance(d.Instance.ID)
			props.HelpLabel = "Go to the dedicated instance " + d.Instance.ID + " to bind it to a VPC (Bind to VPC)"
		}
		return h.groupRefused(c, err, props)
	}
	h.flash(c, "success", fmt.Sprintf("The VPC second-level domain %s of API group %s is enabled.", g.VpcDomain(), g.Name))
	return redirect(c, paths.Group(g.ID))
}

// GroupDisableVpcDomainPage asks to confirm disabling the VPC second-level
// domain.
func (h *Handler) GroupDisableVpcDomainPage(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	return h.renderGroupConfirm(c, http.StatusOK, groupDisableDialog(c, d))
}

func groupDisableDialog(c echo.Context, d store.GroupDetail) pages.GroupConfirmProps {
	return pages.GroupConfirmProps{
		DialogID: "group-vpc-disable-dialog",
		Title:    "Disable VPC Second-level Domain",
		Lines: []string{
			fmt.Sprintf("Disable the VPC second-level domain %s of the API group %s?", d.VpcDomain(), d.Name),
			"Callers in VPCs can no longer reach the group through it. The public second-level domain keeps working.",
		},
		Action: paths.GroupAction(d.ID, "vpc-domain/disable"),
		Cancel: paths.Group(d.ID),
		Submit: "Disable",
		Danger: true,
		Modal:  isFragmentRequest(c),
	}
}

// GroupDisableVpcDomain disables the VPC second-level domain; refused
// while INTRANET custom domains point at it.
func (h *Handler) GroupDisableVpcDomain(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	g, err := h.store.DisableVpcDomain(c.Request().Context(), currentPrincipal(c).actor(), d.ID)
	if err != nil {
		return h.groupRefused(c, err, groupDisableDialog(c, d))
	}
	h.flash(c, "success", fmt.Sprintf("The VPC second-level domain of API group %s is disabled.", g.Name))
	return redirect(c, paths.Group(g.ID))
}

// groupRefused re-renders a confirmation dialog with the store's refusal in
// its message, or returns err when it is no refusal.
func (h *Handler) groupRefused(c echo.Context, err error, props pages.GroupConfirmProps) error {
	errs, status, ok := formErrors(err)
	if !ok {
		return err
	}
	if rules.HasCode(err, rules.CodeGroupNotFound) { // deleted meanwhile
		return notFoundOr(err)
	}
	props.Errors = formFields(errs)
	return h.renderGroupConfirm(c, status, props)
}

func (h *Handler) renderGroupConfirm(c echo.Context, status int, props pages.GroupConfirmProps) error {
	return render(c, status, h.chrome(c, props.Title, groupsNav), pages.GroupConfirmPage(props))
}

// GroupMovePage is Modify Instance for API Group Deployment: a choice of
// Destination Instance in the group's region and a box acknowledging the
// risk.
func (h *Handler) GroupMovePage(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	return h.renderGroupMove(c, http.StatusOK, d, pages.GroupMoveProps{}, nil)
}

// GroupMove moves the group (R8). Refusals show beside the Destination
// Instance; an unticked risk box is refused before anything is tried.
func (h *Handler) GroupMove(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	form := pages.GroupMoveProps{Instance: c.FormValue("instance"), Acknowledged: c.FormValue("acknowledge") != ""}
	errs := components.Errors{}
	if form.Instance == "" {
		errs["instance"] = "Choose the destination instance."
	}
	if !form.Acknowledged {
		errs["acknowledge"] = "Tick the box to confirm that you understand the risk of the migration."
	}
	if len(errs) > 0 {
		return h.renderGroupMove(c, http.StatusUnprocessableEntity, d, form, errs)
	}
	g, err := h.store.MoveGroup(c.Request().Context(), currentPrincipal(c).actor(), d.ID, form.Instance)
	if err != nil {
		if rules.HasCode(err, rules.CodeGroupNotFound) {
			return notFoundOr(err)
		}
		errs, status, ok := formErrors(err)
		if !ok {
			return err
		}
		return h.renderGroupMove(c, status, d, form, formFields(errs, "instance", "acknowledge"))
	}
	h.flash(c, "success", fmt.Sprintf("API group %s now runs on the instance %s.", g.Name, g.InstanceID))
	return redirect(c, paths.Group(g.ID))
}

func (h *Handler) renderGroupMove(c echo.Context, status int, d store.GroupDetail, props pages.GroupMoveProps, errs components.Errors) error {
	opts, err := h.groupInstanceOptions(c.Request().Context(), currentPrincipal(c).Account.ID, d.RegionID, d.InstanceID, d.VpcDomainEnabled)
	if err != nil {
		return err
	}
	props.GroupID, props.GroupName = d.ID, d.Name
	props.RegionName = rules.RegionName(d.RegionID)
	props.Current = groupInstanceLabel(d.Instance)
	props.VpcEnabled = d.VpcDomainEnabled
	props.Instances, props.Errors, props.Modal = opts, errs, isFragmentRequest(c)
	return render(c, status, h.chrome(c, "Modify Instance for API Group Deployment", groupsNav), pages.GroupMovePage(props))
}
