package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/components"
	"gatehouse/views/pages"
	"gatehouse/views/partials"
	"gatehouse/views/paths"
)

// Manage APIs › API Groups: the list, Create Group and the Instance
// choices that follow the region. Group Details and its actions are in
// groups_detail.go, groups_vpc.go and groups_domains.go.

const (
	groupsNav = "groups"
	// groupDefaultRegion is the region Create Group starts with.
	groupDefaultRegion = "cn-hangzhou"
	// groupKeywordMax bounds the name search: no group name is longer.
	groupKeywordMax = rules.GroupNameMax
)

// GroupsPage lists the account's API groups a page at a time, filtered by
// region and by a keyword of the name. The URL holds the whole state
// (region, q, after/before), so reloading, going back and sharing a link
// show the same page. A bad filter or page link is answered 400 with the
// reason beside the filter; the list still shows, without that filter, so
// the operator is never stuck.
func (h *Handler) GroupsPage(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	props := pages.GroupsProps{
		Region:    c.QueryParam("region"),
		Query:     c.QueryParam("q"),
		Regions:   regionOptions(),
		Errors:    components.Errors{},
		CanChange: p.User.Role.CanChange(),
	}
	status := http.StatusOK
	q := store.GroupQuery{Limit: store.DefaultGroupPageSize, After: c.QueryParam("after"), Before: c.QueryParam("before")}
	if props.Region != "" {
		if _, ok := rules.RegionByID(props.Region); ok {
			q.RegionID = props.Region
		} else {
			props.Errors.Add("region", fmt.Sprintf("The region %q does not exist; showing the groups of every region.", props.Region))
			status = http.StatusBadRequest
		}
	}
	if keyword, ok := nameSearch(props.Query, groupKeywordMax, "group", props.Errors); !ok {
		status = http.StatusBadRequest
	} else {
		q.Keyword = keyword
	}
	page, badLink, err := listPage(props.Errors, func(fromStart bool) (store.GroupPage, error) {
		if fromStart {
			q.After, q.Before = "", ""
		}
		return h.store.ListGroups(ctx, p.Account.ID, q)
	})
	if badLink {
		status = http.StatusBadRequest
	}
	if err != nil {
		return err
	}

	props.Total = page.Total
	for _, r := range page.Items {
		props.Rows = append(props.Rows, groupListRow(r))
	}
	// An empty page of a non-empty list (a filter, or a page link past the
	// end) is "No groups match", not "No API groups yet".
	props.Filtered = q.RegionID != "" || q.Keyword != "" || page.Total > 0
	pageURL := func(key, cursor string) string {
		v := url.Values{key: {cursor}}
		if q.RegionID != "" {
			v.Set("region", q.RegionID)
		}
		if q.Keyword != "" {
			v.Set("q", q.Keyword)
		}
		return paths.WithQuery(paths.Groups, v)
	}
	if page.Prev != "" {
		props.Prev = pageURL("before", page.Prev)
	}
	if page.Next != "" {
		props.Next = pageURL("after", page.Next)
	}
	return render(c, status, h.chrome(c, "API Groups", groupsNav), pages.GroupsPage(props))
}

func groupListRow(r store.GroupRow) pages.GroupListRow {
	row := pages.GroupListRow{
		ID:           r.ID,
		Name:         r.Name,
		RegionID:     r.RegionID,
		RegionName:   rules.RegionName(r.RegionID),
		InstanceID:   r.InstanceID,
		InstanceName: r.InstanceName,
		InstanceType: string(r.InstanceType),
		PublicDomain: r.PublicDomain(),
		Created:      r.CreatedAt,
	}
	if r.InstanceType == rules.InstanceShared {
		row.InstanceName = "" // "Shared instance (VPC) <region>": the badge and the region say it
	}
	if r.VpcDomainEnabled {
		row.VpcDomain = r.VpcDomain()
	}
	return row
}

// groupInstanceOptions are the instances a new group of the account may
// use in a region, each labelled with its type and VPC binding. An unknown
// region has none.
func (h *Handler) groupInstanceOptions(ctx context.Context, accountID, regionID string) ([]components.Option, error) {
	insts, err := h.regionInstances(ctx, accountID, regionID)
	if err != nil {
		return nil, err
	}
	out := make([]components.Option, len(insts))
	for i, r := range insts {
		out[i] = components.Option{Value: r.ID, Label: groupInstanceLabel(r)}
	}
	return out, nil
}

// regionInstances are the instances a group of the account may use in a
// region: the region's shared instances, then the account's dedicated ones.
// An unknown region has none.
func (h *Handler) regionInstances(ctx context.Context, accountID, regionID string) ([]rules.Instance, error) {
	if _, ok := rules.RegionByID(regionID); !ok {
		return nil, nil
	}
	return h.store.RegionInstances(ctx, accountID, regionID)
}

// groupInstanceLabel names an instance in a choice: its id, then its name
// and, for a dedicated one, whether it is bound to a VPC:
// "apigateway-cn-hangzhou-… (my-inst, dedicated, bound to vpc-…)".
func groupInstanceLabel(in rules.Instance) string {
	if !in.Dedicated() {
		return in.ID + " (shared instance)"
	}
	binding := "not bound to a VPC"
	if in.Bound() {
		binding = "bound to " + in.VpcID
	}
	if in.Name == "" {
		return fmt.Sprintf("%s (dedicated, %s)", in.ID, binding)
	}
	return fmt.Sprintf("%s (%s, dedicated, %s)", in.ID, in.Name, binding)
}

// GroupNewPage shows the Create Group dialog. Its query may carry the
// values typed so far: without JavaScript, changing the region reloads the
// dialog through it.
func (h *Handler) GroupNewPage(c echo.Context) error {
	return h.groupNewDialog(c, c.QueryParam)
}

// groupNewDialog shows Create Group with the values get reads: the query
// of a link to it, or the posted form of its "Show instances of this
// region" button (components.RefreshButton, without JavaScript).
func (h *Handler) groupNewDialog(c echo.Context, get func(string) string) error {
	props := pages.GroupNewProps{
		Name:        get("name"),
		Description: get("description"),
		Region:      get("region"),
		Instance:    get("instance"),
	}
	errs := components.Errors{}
	if props.Region == "" {
		props.Region = groupDefaultRegion
	} else if _, ok := rules.RegionByID(props.Region); !ok {
		errs.Add("region", fmt.Sprintf("The region %q does not exist. Choose a region.", props.Region))
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusBadRequest
	}
	return h.renderGroupNew(c, status, props, errs)
}

// GroupCreate creates a group from the Create Group dialog (or shows it
// again with the region chosen: components.RefreshButton).
func (h *Handler) GroupCreate(c echo.Context) error {
	if c.FormValue(components.RefreshField) != "" {
		return h.groupNewDialog(c, c.FormValue)
	}
	in := rules.GroupInput{
		Name:        c.FormValue("name"),
		Description: c.FormValue("description"),
		RegionID:    c.FormValue("region"),
		InstanceID:  c.FormValue("instance"),
	}
	props := pages.GroupNewProps{Name: in.Name, Description: in.Description, Region: in.RegionID, Instance: in.InstanceID}
	g, err := h.store.CreateGroup(c.Request().Context(), currentPrincipal(c).actor(), in)
	if err != nil {
		errs, status, ok := formErrors(c, err)
		if !ok {
			return err
		}
		return h.renderGroupNew(c, status, props, formFields(errs, "name", "description", "region", "instance"))
	}
	h.flash(c, "success", fmt.Sprintf("API group %s created.", g.Name))
	return redirect(c, paths.Group(g.ID))
}

func (h *Handler) renderGroupNew(c echo.Context, status int, props pages.GroupNewProps, errs components.Errors) error {
	opts, err := h.groupInstanceOptions(c.Request().Context(), currentPrincipal(c).Account.ID, props.Region)
	if err != nil {
		return err
	}
	props.Regions, props.Instances, props.Errors, props.Modal = regionOptions(), opts, errs, isFragmentRequest(c)
	return render(c, status, h.chrome(c, "Create Group", groupsNav), pages.GroupNewPage(props))
}

// GroupInstanceOptions answers the Instance field of Create Group for the
// region in the query; htmx swaps it in when the region changes. A browser
// that asks for it as a page is sent to the dialog with that region.
func (h *Handler) GroupInstanceOptions(c echo.Context) error {
	region := c.QueryParam("region")
	if !isFragmentRequest(c) {
		return c.Redirect(http.StatusSeeOther, paths.WithQuery(paths.GroupNew, url.Values{"region": {region}}))
	}
	errs := components.Errors{}
	status := http.StatusOK
	if _, ok := rules.RegionByID(region); !ok {
		errs.Add("instance", fmt.Sprintf("The region %q does not exist. Choose a region first.", region))
		status = http.StatusBadRequest
	}
	opts, err := h.groupInstanceOptions(c.Request().Context(), currentPrincipal(c).Account.ID, region)
	if err != nil {
		return err
	}
	return writeComponent(c, status, partials.GroupInstanceField("group-new", "Instance", "", opts, errs))
}
