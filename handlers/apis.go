package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/components"
	"gatehouse/views/pages"
	"gatehouse/views/paths"
)

// Manage APIs › APIs: the account's APIs, and the group choices of their
// filter and of Create API. An API's page, its form and its stage actions
// are in apis_detail.go and apis_form.go.

const (
	apisNav = "apis"
	// groupChoiceMax is how many groups a form lists as a choice; an
	// account with more types the group's id instead.
	groupChoiceMax = 200
	// groupAPIsShown is how many APIs Group Details lists.
	groupAPIsShown = 20
)

// APIsPage lists the account's APIs a page at a time, newest first,
// filtered by group, by a stage they are deployed to and by a keyword of
// the name. As on API Groups, the URL holds the whole state, and a bad
// filter or page link is answered 400 with the reason, the list showing
// without it.
func (h *Handler) APIsPage(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	props := pages.APIsProps{
		Group:     strings.TrimSpace(c.QueryParam("group")),
		Stage:     c.QueryParam("stage"),
		Query:     c.QueryParam("q"),
		Stages:    stageOptions(),
		Errors:    components.Errors{},
		CanChange: p.User.Role.CanChange(),
	}
	status := http.StatusOK
	q := store.APIQuery{Limit: store.DefaultAPIPageSize, After: c.QueryParam("after"), Before: c.QueryParam("before")}
	groups, many, err := h.groupChoices(ctx, p)
	if err != nil {
		return err
	}
	if !many {
		props.Groups = groups
	}
	if props.Group != "" {
		g, err := h.store.GetGroup(ctx, p.Account.ID, props.Group)
		if re, ok := rules.AsError(err); ok && re.Kind == rules.KindNotFound {
			props.Errors.Add("group", fmt.Sprintf("Your account has no API group %q; showing the APIs of every group.", props.Group))
			status = http.StatusBadRequest
		} else if err != nil {
			return err
		} else {
			q.GroupID, props.GroupName = g.ID, g.Name
		}
	}
	if props.Stage != "" {
		if st, err := rules.ParseStage(props.Stage); err != nil {
			props.Errors.Add("stage", fmt.Sprintf("The stage %q does not exist; showing APIs deployed or not.", props.Stage))
			status = http.StatusBadRequest
		} else {
			q.Stage, props.Stage = st, string(st)
		}
	}
	if keyword, ok := nameSearch(props.Query, rules.GroupNameMax, "API", props.Errors); !ok {
		status = http.StatusBadRequest
	} else {
		q.Name = keyword
	}
	page, badLink, err := listPage(props.Errors, func(fromStart bool) (store.APIPage, error) {
		if fromStart {
			q.After, q.Before = "", ""
		}
		return h.store.ListAPIs(ctx, p.Account.ID, q)
	})
	if badLink {
		status = http.StatusBadRequest
	}
	if err != nil {
		return err
	}
	props.Total = page.Total
	props.Rows = apiListRows(page.Items)
	props.Filtered = q.GroupID != "" || q.Stage != "" || q.Name != "" || page.Total > 0
	pageURL := func(key, cursor string) string {
		v := url.Values{key: {cursor}}
		if q.GroupID != "" {
			v.Set("group", q.GroupID)
		}
		if q.Stage != "" {
			v.Set("stage", string(q.Stage))
		}
		if q.Name != "" {
			v.Set("q", q.Name)
		}
		return paths.WithQuery(paths.APIs, v)
	}
	if page.Prev != "" {
		props.Prev = pageURL("before", page.Prev)
	}
	if page.Next != "" {
		props.Next = pageURL("after", page.Next)
	}
	return render(c, status, h.chrome(c, "APIs", apisNav), pages.APIsPage(props))
}

// apiListRows are the rows of an API table.
func apiListRows(items []store.APIRow) []pages.APIListRow {
	out := make([]pages.APIListRow, len(items))
	for i, r := range items {
		row := pages.APIListRow{
			ID:          r.ID,
			Name:        r.Name,
			Description: r.Description,
			GroupID:     r.GroupID,
			GroupName:   r.GroupName,
			RegionID:    r.RegionID,
			Method:      r.Method,
			Path:        r.Path,
			Backend:     backendLabel(r.Backend),
			Revision:    r.Revision,
			Created:     r.CreatedAt,
		}
		for _, s := range r.Stages {
			row.Stages = append(row.Stages, pages.APIStageBadge{Stage: string(s.Stage), Revision: s.Revision, Older: s.Revision < r.Revision})
		}
		out[i] = row
	}
	return out
}

// backendLabel names a backend type as the console does.
func backendLabel(b rules.BackendType) string {
	if b == rules.BackendMock {
		return "Mock"
	}
	return string(b)
}

// stageOptions are the stages, production first.
func stageOptions() []components.Option {
	var out []components.Option
	for _, s := range rules.Stages() {
		out = append(out, components.Option{Value: string(s), Label: string(s) + " (" + s.Title() + ")"})
	}
	return out
}

// groupChoices are the account's groups as choices ("orders_api ·
// cn-hangzhou"), by name; many is true (and there are none) when the
// account has more than a form lists.
func (h *Handler) groupChoices(ctx context.Context, p principal) (opts []components.Option, many bool, err error) {
	groups, many, err := h.store.GroupChoices(ctx, p.Account.ID, p.Session.AccountVersion, groupChoiceMax)
	if err != nil || many {
		return nil, many, err
	}
	opts = make([]components.Option, len(groups))
	for i, g := range groups {
		opts[i] = components.Option{Value: g.ID, Label: g.Name + " · " + g.RegionID}
	}
	return opts, false, nil
}

// groupAPIs fills the APIs section of Group Details: the group's newest
// APIs and how many it holds.
func groupAPIs(groupID string, page store.APIPage, canChange bool) pages.GroupAPIs {
	return pages.GroupAPIs{GroupID: groupID, Rows: apiListRows(page.Items), Total: page.Total, CanChange: canChange}
}
