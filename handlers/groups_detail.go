package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/components"
	"gatehouse/views/pages"
	"gatehouse/views/partials"
	"gatehouse/views/paths"
)

// Group Details, and editing and deleting a group.

// GroupPage is Group Details: basic information, both second-level
// domains, the custom domains and the actions.
func (h *Handler) GroupPage(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	canChange := currentPrincipal(c).User.Role.CanChange()
	props := pages.GroupProps{
		ID:          d.ID,
		Name:        d.Name,
		Description: d.Description,
		RegionID:    d.RegionID,
		Instance:    groupInstanceInfo(d),
		Created:     d.CreatedAt,
		Modified:    d.ModifiedAt,
		Domains:     h.groupDomains(d, currentPrincipal(c).Account.ID, canChange),
		CanChange:   canChange,
	}
	if props.Reach, err = h.reachability(c.Request().Context(), currentPrincipal(c).Account.ID, d); err != nil {
		return err
	}
	for _, cd := range d.Domains {
		props.Custom = append(props.Custom, pages.GroupCustomDomain{
			Name:        cd.Name,
			NetworkType: string(cd.NetworkType),
			CNAMETarget: rules.CNAMETarget(d.Group, cd.NetworkType),
			HasCert:     cd.CertPEM != "",
			CertName:    cd.CertName,
			CertExpires: cd.CertExpires,
		})
	}
	return render(c, http.StatusOK, h.chrome(c, d.Name, groupsNav), pages.GroupPage(props))
}

// groupDetail reads the group named in the path: 404 when it is absent or
// another account's.
func (h *Handler) groupDetail(c echo.Context) (store.GroupDetail, error) {
	d, err := h.store.GetGroupDetail(c.Request().Context(), currentPrincipal(c).Account.ID, c.Param("id"))
	if err != nil {
		return store.GroupDetail{}, notFoundOr(err)
	}
	return d, nil
}

func groupInstanceInfo(d store.GroupDetail) pages.GroupInstanceInfo {
	in := d.Instance
	info := pages.GroupInstanceInfo{
		ID:         in.ID,
		Name:       in.Name,
		Type:       string(in.Type),
		Dedicated:  in.Dedicated(),
		Bound:      in.Bound(),
		VpcID:      in.VpcID,
		VSwitchID:  in.VSwitchID,
		EndpointIP: in.EndpointIP,
	}
	if d.Vpc != nil {
		info.VpcName = d.Vpc.Name
	}
	if d.VSwitch != nil {
		info.VSwitchInfo = fmt.Sprintf("%s · %s · %s", d.VSwitch.Name, d.VSwitch.ZoneID, d.VSwitch.CIDR)
	}
	return info
}

// groupDomains fills the Second-level domains card: the daily limit of the
// public domain, and for an enabled VPC domain where it resolves and who
// reaches it, as rules.Reach answers.
func (h *Handler) groupDomains(d store.GroupDetail, accountID string, canChange bool) partials.GroupDomains {
	out := partials.GroupDomains{
		GroupID:      d.ID,
		PublicDomain: d.PublicDomain(),
		PublicLimit:  rules.FormatDailyLimit(h.cfg.Limits.PublicDaily(d.RegionID)),
		RegionName:   rules.RegionName(d.RegionID),
		VpcEnabled:   d.VpcDomainEnabled,
		CanChange:    canChange,
	}
	if !d.VpcDomainEnabled {
		return out
	}
	v := vpcDomainReach(accountID, d.Group, d.Instance)
	out.VpcDomain, out.VpcAddress, out.VpcReach = d.VpcDomain(), v.Address, v.Who()
	if out.VpcAddress == "" {
		out.VpcAddress = "no address"
	}
	return out
}

// GroupEditPage shows the Edit dialog of a group's name and description.
func (h *Handler) GroupEditPage(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	props := pages.GroupEditProps{GroupID: d.ID, Name: d.Name, Description: d.Description}
	return h.renderGroupEdit(c, http.StatusOK, props, nil)
}

// GroupEdit saves a group's name and description.
func (h *Handler) GroupEdit(c echo.Context) error {
	id := c.Param("id")
	name, desc := c.FormValue("name"), c.FormValue("description")
	props := pages.GroupEditProps{GroupID: id, Name: name, Description: desc}
	g, err := h.store.ModifyGroup(c.Request().Context(), currentPrincipal(c).actor(), id, store.GroupChange{Name: &name, Description: &desc})
	if err != nil {
		if re, ok := rules.AsError(err); ok && re.Code == rules.CodeGroupNotFound {
			return notFoundOr(err)
		}
		errs, status, ok := formErrors(c, err)
		if !ok {
			return err
		}
		return h.renderGroupEdit(c, status, props, formFields(errs, "name", "description"))
	}
	h.flash(c, "success", fmt.Sprintf("API group %s saved.", g.Name))
	return redirect(c, paths.Group(g.ID))
}

func (h *Handler) renderGroupEdit(c echo.Context, status int, props pages.GroupEditProps, errs components.Errors) error {
	props.Errors, props.Modal = errs, isFragmentRequest(c)
	return render(c, status, h.chrome(c, "Edit API Group", groupsNav), pages.GroupEditPage(props))
}

// GroupDeletePage asks to confirm deleting a group.
func (h *Handler) GroupDeletePage(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	return h.renderConfirm(c, groupsNav, groupDeleteDialog(c, d))
}

func groupDeleteDialog(c echo.Context, d store.GroupDetail) pages.ConfirmProps {
	lines := []string{
		fmt.Sprintf("The group %s (%s) and its second-level domains stop serving calls at once. This cannot be undone.", d.Name, d.ID),
	}
	if n := len(d.Domains); n > 0 {
		lines = append(lines, fmt.Sprintf("Its %s unbound too; remove their CNAME records.", rules.Plural(n, "custom domain is", "custom domains are")))
	}
	return pages.ConfirmProps{
		Dialog: dialogOf(c, "group-delete-dialog", fmt.Sprintf("Delete API group %s?", d.Name), paths.Group(d.ID)),
		Lines:  lines,
		Action: paths.GroupAction(d.ID, "delete"),
		Submit: "Delete",
		Danger: true,
	}
}

// GroupDelete deletes a group and its custom domains.
func (h *Handler) GroupDelete(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	if err := h.store.DeleteGroup(c.Request().Context(), currentPrincipal(c).actor(), d.ID); err != nil {
		return h.confirmRefused(c, err, groupsNav, groupDeleteDialog(c, d))
	}
	h.flash(c, "success", fmt.Sprintf("API group %s deleted.", d.Name))
	return redirect(c, paths.Groups)
}
