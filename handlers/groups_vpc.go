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
	return h.renderConfirm(c, groupsNav, h.groupEnableDialog(c, d))
}

func (h *Handler) groupEnableDialog(c echo.Context, d store.GroupDetail) pages.ConfirmProps {
	props := pages.ConfirmProps{
		Dialog: dialogOf(c, "group-vpc-enable-dialog", "Enable VPC Second-level Domain", paths.Group(d.ID)),
		Lines: []string{
			fmt.Sprintf("Enable the VPC second-level domain of the API group %s?", d.Name),
			"API Gateway automatically assigns a second-level domain name for VPC to this API group. This domain name can be used to call APIs in the API group, " +
				"over HTTP and HTTPS, as many times a day as you want.",
		},
		Action: paths.GroupAction(d.ID, "vpc-domain/enable"),
		Submit: "Confirm",
	}
	if props.Refusal = groupEnableRefusal(d); props.Refusal != nil {
		return props
	}
	// Who will reach the domain once it is enabled, as the rules answer.
	g := d.Group
	g.VpcDomainEnabled = true
	v := vpcDomainReach(currentPrincipal(c).Account.ID, g, d.Instance)
	props.Lines = append(props.Lines, fmt.Sprintf("Once enabled, the domain name resolves to %s and is reachable %s.", v.Address, v.Who()))
	return props
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
		return h.confirmRefused(c, err, groupsNav, h.groupEnableDialog(c, d))
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
	return h.renderConfirm(c, groupsNav, groupDisableDialog(c, d))
}

func groupDisableDialog(c echo.Context, d store.GroupDetail) pages.ConfirmProps {
	props := pages.ConfirmProps{
		Dialog: dialogOf(c, "group-vpc-disable-dialog", "Disable VPC Second-level Domain", paths.Group(d.ID)),
		Lines: []string{
			fmt.Sprintf("Disable the VPC second-level domain %s of the API group %s?", d.VpcDomain(), d.Name),
			"Callers in VPCs can no longer reach the group through it. The public second-level domain keeps working.",
		},
		Action: paths.GroupAction(d.ID, "vpc-domain/disable"),
		Submit: "Disable",
		Danger: true,
	}
	props.Refusal = groupDisableRefusal(d)
	return props
}

// groupEnableRefusal is R5's refusal to enable the VPC domain on an unbound
// dedicated instance; the way out is to bind the instance, in its Bind to
// VPC dialog, coming back to the group. nil when allowed.
func groupEnableRefusal(d store.GroupDetail) *components.Refusal {
	return refusalOf(rules.CheckEnableVpcDomain(d.Group, d.Instance), components.Link{Href: paths.InstanceBindFromGroup(d.Instance.ID, d.ID),
		Label: "Bind to VPC: bind the dedicated instance " + d.Instance.Name + " (" + d.Instance.ID + ")"})
}

// groupDisableRefusal refuses disabling the VPC domain while INTRANET
// custom domains point at it; each of them is a way out (unbind it).
func groupDisableRefusal(d store.GroupDetail) *components.Refusal {
	var wayOut []components.Link
	for _, cd := range d.Domains {
		if cd.NetworkType == rules.NetworkIntranet {
			wayOut = append(wayOut, components.Link{Href: paths.GroupAction(d.ID, "domains/"+cd.Name+"/unbind"), Label: "Unbind the INTRANET domain " + cd.Name})
		}
	}
	return refusalOf(rules.CheckDisableVpcDomain(d.Group, d.Domains), wayOut...)
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
		return h.confirmRefused(c, err, groupsNav, groupDisableDialog(c, d))
	}
	h.flash(c, "success", fmt.Sprintf("The VPC second-level domain of API group %s is disabled.", g.Name))
	return redirect(c, paths.Group(g.ID))
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
		errs.Add("instance", "Choose the destination instance.")
	}
	if !form.Acknowledged {
		errs.Add("acknowledge", "Tick the box to confirm that you understand the risk of the migration.")
	}
	if len(errs) > 0 {
		noteInvalid(c, rules.CodeInvalidID, errs)
		return h.renderGroupMove(c, http.StatusUnprocessableEntity, d, form, errs)
	}
	g, err := h.store.MoveGroup(c.Request().Context(), currentPrincipal(c).actor(), d.ID, form.Instance)
	if err != nil {
		if rules.HasCode(err, rules.CodeGroupNotFound) {
			return notFoundOr(err)
		}
		errs, status, ok := formErrors(c, err)
		if !ok {
			return err
		}
		return h.renderGroupMove(c, status, d, form, formFields(errs, "instance", "acknowledge"))
	}
	h.flash(c, "success", fmt.Sprintf("API group %s now runs on the instance %s.", g.Name, g.InstanceID))
	return redirect(c, paths.Group(g.ID))
}

func (h *Handler) renderGroupMove(c echo.Context, status int, d store.GroupDetail, props pages.GroupMoveProps, errs components.Errors) error {
	accountID := currentPrincipal(c).Account.ID
	candidates, err := h.regionInstances(c.Request().Context(), accountID, d.RegionID)
	if err != nil {
		return err
	}
	opts, refused := groupMoveDestinations(accountID, d, candidates)
	props.Refused = refused
	props.GroupID, props.GroupName = d.ID, d.Name
	props.RegionName = rules.RegionName(d.RegionID)
	props.Current = groupInstanceLabel(d.Instance)
	props.VpcEnabled = d.VpcDomainEnabled
	props.Instances, props.Errors, props.Modal = opts, errs, isFragmentRequest(c)
	if len(refused) == len(opts) && status == http.StatusOK {
		status = http.StatusConflict // no destination the rules allow: nothing to confirm
	}
	return render(c, status, h.chrome(c, "Modify Instance for API Group Deployment", groupsNav), pages.GroupMovePage(props))
}

// groupMoveDestinations are the instances a group may be moved to (the
// region's shared instances and the account's dedicated ones, its own
// instance left out), each asked of rules.CheckMoveGroup: a destination
// the rules refuse is offered disabled, and its refusal says why with the
// way out.
func groupMoveDestinations(accountID string, d store.GroupDetail, candidates []rules.Instance) ([]components.Option, []pages.RefusedChoice) {
	intranet := 0
	for _, cd := range d.Domains {
		if cd.NetworkType == rules.NetworkIntranet {
			intranet++
		}
	}
	var opts []components.Option
	var refused []pages.RefusedChoice
	for _, to := range candidates {
		if to.ID == d.InstanceID {
			continue
		}
		opt := components.Option{Value: to.ID, Label: groupInstanceLabel(to)}
		if err := rules.CheckMoveGroup(d.Group, d.Instance, to, accountID, intranet); err != nil {
			var wayOut []components.Link
			if to.Dedicated() && !to.Bound() {
				wayOut = append(wayOut, components.Link{Href: paths.InstanceBindFromGroup(to.ID, d.ID), Label: "Bind the dedicated instance " + to.ID + " to a VPC (Bind to VPC)"})
			}
			opt.Label += " — refused"
			opt.Disabled = true
			refused = append(refused, pages.RefusedChoice{Value: to.ID, Refusal: *refusalOf(err, wayOut...)})
		}
		opts = append(opts, opt)
	}
	return opts, refused
}
