package handlers

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/components"
	"gatehouse/views/pages"
)

// AccessPage answers "can this caller reach this name, at which address,
// and why" (R11). The query string holds the question, so the answer can be
// shared as a link; htmx refreshes the answer as the choices change.
func (h *Handler) AccessPage(c echo.Context) error {
	ctx := c.Request().Context()
	p := currentPrincipal(c)
	vpcs, err := h.store.ListVpcs(ctx, p.Account.ID, "")
	if err != nil {
		return err
	}
	props := pages.AccessProps{
		Caller:   c.QueryParam("caller"),
		Domain:   rules.TrimField(c.QueryParam("domain")),
		Protocol: strings.ToUpper(c.QueryParam("protocol")),
		Errors:   components.Errors{},
	}
	if props.Protocol == "" {
		props.Protocol = "HTTP"
	}
	props.Callers = callerOptions(vpcs)
	if props.Domains, err = h.domainSuggestions(ctx, p.Account.ID); err != nil {
		return err
	}
	status := http.StatusOK
	// A link may prefill the domain alone ("Open in Access check"): the
	// question is asked once a caller is chosen.
	if props.Caller != "" {
		caller, cerr := parseCaller(props.Caller, vpcs)
		if cerr != "" {
			props.Errors.Add("caller", cerr)
		}
		if props.Domain == "" {
			props.Errors.Add("domain", "Enter or choose a domain name.")
		} else if len(props.Domain) > 253 {
			props.Errors.Add("domain", "A domain name is at most 253 characters.")
		}
		if _, ok := rules.ParseProtocol(props.Protocol); !ok {
			props.Errors.Add("protocol", "Choose HTTP or HTTPS.")
		}
		if len(props.Errors) > 0 {
			status = http.StatusUnprocessableEntity
		} else {
			target, err := h.store.ResolveTarget(ctx, props.Domain)
			if err != nil {
				return err
			}
			caller.AccountID = p.Account.ID
			d := rules.Decide(caller, target, props.Protocol, h.cfg.Limits)
			props.Decision = &d
		}
	}
	return render(c, status, h.chrome(c, "Access check", "access"), pages.AccessPage(props))
}

// callerOptions offers each VPC of the account as a caller, each as the VPC
// a hybrid network is joined to, and the Internet.
func callerOptions(vpcs []store.VpcWithVSwitches) []pages.CallerGroup {
	inVpc := make([]components.Option, 0, len(vpcs))
	hybrid := make([]components.Option, 0, len(vpcs))
	for _, v := range vpcs {
		label := v.ID + " (" + v.Name + ", " + v.RegionID + ")"
		inVpc = append(inVpc, components.Option{Value: "vpc:" + v.ID, Label: label})
		hybrid = append(hybrid, components.Option{Value: "hybrid:" + v.ID, Label: "On-premises network via CEN / IPsec VPN joined to VPC " + label})
	}
	return []pages.CallerGroup{
		{Label: "A VPC of this account", Options: inVpc},
		{Label: "A hybrid network", Options: hybrid},
		{Label: "Outside any VPC", Options: []components.Option{{Value: "internet", Label: "Internet"}}},
	}
}

// parseCaller reads "vpc:<id>", "hybrid:<id>" or "internet"; the VPC must
// be one of the account's.
func parseCaller(s string, vpcs []store.VpcWithVSwitches) (rules.Caller, string) {
	if s == string(rules.CallerInternet) {
		return rules.Caller{Kind: rules.CallerInternet}, ""
	}
	kind, id, ok := strings.Cut(s, ":")
	k, known := rules.ParseCallerKind(kind)
	if !ok || !known || k == rules.CallerInternet {
		return rules.Caller{}, "Choose a caller: one of your VPCs, a hybrid network joined to one, or the Internet."
	}
	for _, v := range vpcs {
		if v.ID == id {
			vpc := v.VPC
			return rules.Caller{Kind: k, Vpc: &vpc}, ""
		}
	}
	return rules.Caller{}, "The VPC " + id + " does not exist in this account."
}

// domainSuggestions are names to pick from: the newest groups' public and
// VPC domains. A name typed in (a custom domain, say) is checked all the same.
func (h *Handler) domainSuggestions(ctx context.Context, accountID string) ([]string, error) {
	page, err := h.store.ListGroups(ctx, accountID, store.GroupQuery{Limit: 20})
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, 3*len(page.Items))
	for _, g := range page.Items {
		out = append(out, g.PublicDomain())
		if g.VpcDomainEnabled {
			out = append(out, g.VpcDomain())
		}
	}
	return out, nil
}
