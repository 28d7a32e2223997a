package handlers

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

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
// domains, the custom domains, the APIs, the traffic and the actions. What
// it shows from the database is one snapshot (store.GroupView): one state
// of the group, its instance, its domains, its APIs and the account's VPCs,
// never a mix of two. The traffic is the gateway's of the moment.
func (h *Handler) GroupPage(c echo.Context) error {
	page, err := h.groupPageParts(c)
	if err != nil {
		return err
	}
	traffic, err := h.groupTraffic(c.Request().Context(), page.group, currentPrincipal(c).Session.TrafficVersion)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, h.chrome(c, page.group.Name, groupsNav), pages.GroupPage(page.head, traffic, page.tail))
}

// groupPageParts is Group Details but its traffic, rendered: kept by
// account, version, group and whether the viewer may change things
// (groups_page_cache.go), else rendered from the account's rows.
func (h *Handler) groupPageParts(c echo.Context) (groupPage, error) {
	p := currentPrincipal(c)
	key := groupPageKey{groupID: c.Param("id"), canChange: p.User.Role.CanChange()}
	if page, ok := h.groupPages.Get(p.Account.ID, p.Session.AccountVersion, key); ok {
		return page, nil
	}
	v, err := h.store.GroupView(c.Request().Context(), p.Account.ID, c.Param("id"), groupAPIsShown)
	if err != nil {
		return groupPage{}, notFoundOr(err)
	}
	props := h.groupProps(v, p.Account.ID, key.canChange)
	// Rendered without the request's context values (the CSRF token
	// above all): the parts are the same for every viewer of the key.
	var head, tail strings.Builder
	if err := pages.GroupPageHead(props).Render(context.Background(), &head); err != nil {
		return groupPage{}, err
	}
	if err := pages.GroupPageTail(props).Render(context.Background(), &tail); err != nil {
		return groupPage{}, err
	}
	page := groupPage{group: v.Group, head: head.String(), tail: tail.String()}
	// Kept under the version the rows were read at.
	h.groupPages.Put(p.Account.ID, v.Version, key, page, 256+len(page.head)+len(page.tail))
	return page, nil
}

// groupProps is what Group Details shows of the account's rows v: all but
// the traffic.
func (h *Handler) groupProps(v store.GroupView, accountID string, canChange bool) pages.GroupProps {
	d := v.GroupDetail
	props := pages.GroupProps{
		ID:          d.ID,
		Name:        d.Name,
		Description: d.Description,
		RegionID:    d.RegionID,
		Instance:    groupInstanceInfo(d),
		Created:     d.CreatedAt,
		Modified:    d.ModifiedAt,
		Domains:     h.groupDomains(d, accountID, canChange),
		Reach:       h.reachability(accountID, d, v.Vpcs),
		APIs:        groupAPIs(d.ID, v.APIs, canChange),
		CanChange:   canChange,
	}
	if canChange {
		props.Actions = groupActions(accountID, v, props.APIs)
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
	return props
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

// groupActions are the buttons at the top of Group Details, each asked of
// the rules first: Modify Instance is refused when the rules refuse every
// destination, Delete while the group holds APIs.
func groupActions(accountID string, v store.GroupView, apis pages.GroupAPIs) []components.Action {
	d := v.GroupDetail
	opts, refused := groupMoveDestinations(accountID, d, v.Instances)
	move := components.Action{ID: "group-move", Href: paths.GroupAction(d.ID, "move"), Label: "Modify Instance for API Group Deployment", Class: "btn"}
	if len(opts) > 0 && len(refused) == len(opts) {
		// Every destination is refused: the first one's refusal says why.
		r := refused[0].Refusal
		move.Refusal = &r
	}
	// store.GroupView asked store.CheckDeleteGroup when the APIs section
	// does not show every API of the group; when it does, the rules decide
	// from it, as CheckDeleteGroup would (its first names by name),
	// without reading them again.
	deleteCheck := v.DeleteCheck
	if apis.Total <= len(apis.Rows) {
		names := make([]string, len(apis.Rows))
		for i, r := range apis.Rows {
			names[i] = r.Name
		}
		slices.Sort(names)
		deleteCheck = rules.CheckDeleteGroup(d.Group, apis.Total, names)
	}
	del := refusalOf(deleteCheck, groupAPIsLink(d.ID))
	return []components.Action{
		move,
		{ID: "group-edit", Href: paths.GroupAction(d.ID, "edit"), Label: "Edit", Class: "btn"},
		{ID: "group-delete", Href: paths.GroupAction(d.ID, "delete"), Label: "Delete", Class: "btn danger", Refusal: del},
	}
}

// groupDeleteRefusal is the rules' refusal to delete a group that holds
// APIs (store.CheckDeleteGroup, as the deletion asks), with the way to
// them; nil when allowed.
func (h *Handler) groupDeleteRefusal(ctx context.Context, d store.GroupDetail) (*components.Refusal, error) {
	err := h.store.CheckDeleteGroup(ctx, d.Group)
	if _, isRule := rules.AsError(err); err != nil && !isRule {
		return nil, err
	}
	return refusalOf(err, groupAPIsLink(d.ID)), nil
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
		out.Enable = components.Action{ID: "group-vpc-enable", Href: paths.GroupAction(d.ID, "vpc-domain/enable"),
			Label: "Enable VPC Second-level Domain", Class: "btn primary", Refusal: groupEnableRefusal(d)}
		return out
	}
	out.Disable = components.Action{ID: "group-vpc-disable", Href: paths.GroupAction(d.ID, "vpc-domain/disable"),
		Label: "Disable", Class: "btn small danger", Refusal: groupDisableRefusal(d)}
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
	props, err := h.groupDeleteDialog(c, d)
	if err != nil {
		return err
	}
	return h.renderConfirm(c, groupsNav, props)
}

// groupDeleteDialog describes the Delete dialog. The rules answer first:
// not while the group holds APIs, with the way to them.
func (h *Handler) groupDeleteDialog(c echo.Context, d store.GroupDetail) (pages.ConfirmProps, error) {
	props := groupDeleteProps(c, d)
	refusal, err := h.groupDeleteRefusal(c.Request().Context(), d)
	props.Refusal = refusal
	return props, err
}

// groupAPIsLink leads to the APIs section of Group Details: the way out of
// a refusal to delete a group that holds APIs.
func groupAPIsLink(groupID string) components.Link {
	return components.Link{Href: paths.Group(groupID) + "#group-apis", Label: "The group's APIs"}
}

func groupDeleteProps(c echo.Context, d store.GroupDetail) pages.ConfirmProps {
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
		props, perr := h.groupDeleteDialog(c, d)
		if perr != nil {
			return perr
		}
		return h.confirmRefused(c, err, groupsNav, props)
	}
	h.flash(c, "success", fmt.Sprintf("API group %s deleted.", d.Name))
	return redirect(c, paths.Groups)
}
