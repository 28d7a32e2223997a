package handlers

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"gatehouse/gateway"
	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/components"
	"gatehouse/views/pages"
)

// The Debug panel of an API's page: one call through the gateway, in
// process, as a caller in a network of the operator's choice (the
// Internet, one of the account's VPCs, or an on-premises network joined
// to one), and what it sent, got and why.
//
// Who may: a Debug call is a real call. It reaches an HTTP backend with
// the method and body chosen (a DELETE deletes), and a call through the
// public second-level domain counts against the group's daily limit,
// which the group's real callers share. SPEC.md does not say; the console
// treats it as a change: operators and admins run it, a viewer (read
// only, SPEC §5 and the README) sees the panel's purpose and gets 403.
// It changes no configuration, so it writes no operation-log row; Recent
// calls lists it, marked as a Debug call.

// Bounds of the Debug form.
const (
	debugPathMax    = 2048
	debugHeadersMax = 32
	debugBodyMax    = 64 << 10
)

// Values of the network choice.
const (
	debugInternet     = "internet"
	debugVpcPrefix    = "vpc:"
	debugHybridPrefix = "hybrid:"
)

// APIDebug sends the Debug panel's call and shows the panel with its
// result: the page without JavaScript, the panel alone for htmx.
func (h *Handler) APIDebug(c echo.Context) error {
	d, err := h.apiDetail(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	f := pages.DebugForm{
		Network: c.FormValue("network"), Domain: c.FormValue("domain"), Protocol: c.FormValue("protocol"),
		Stage: c.FormValue("stage"), Method: c.FormValue("method"), Path: strings.TrimSpace(c.FormValue("path")),
		Headers: c.FormValue("headers"), Body: c.FormValue("body"),
	}
	vpcs, err := h.debugChoices(ctx, d, &f)
	if err != nil {
		return err
	}
	req, errs := debugRequest(f, vpcs)
	status := http.StatusOK
	if len(errs) > 0 {
		f.Errors, status = errs, http.StatusUnprocessableEntity
	} else if res, err := h.gw.Debug(ctx, req); err != nil {
		// The gateway's own checks, should the form's have let one
		// through: its words say what to change.
		f.Errors, status = components.Errors{"": {"The call was not sent: " + err.Error() + "."}}, http.StatusUnprocessableEntity
	} else {
		f.Result = debugResultView(res)
	}
	if isFragmentRequest(c) {
		return writeComponent(c, status, pages.APIDebugPanel(f))
	}
	props := h.apiProps(c, d)
	props.Debug = f
	return render(c, status, h.chrome(c, d.Name, apisNav), pages.APIPage(props))
}

// apiDebugDefaults fills the Debug form of an API's page: the Internet,
// the public domain (or the VPC domain of an API closed to the Internet),
// the first stage the API is deployed to, its method and path.
func (h *Handler) apiDebugDefaults(ctx context.Context, d store.APIDetail) (pages.DebugForm, error) {
	f := pages.DebugForm{Network: debugInternet, Method: d.Method, Path: d.Path, Protocol: string(rules.ProtocolHTTP), Stage: string(rules.StageRelease)}
	if f.Method == rules.MethodAny {
		f.Method = rules.MethodGet
	}
	if d.Protocols&rules.ProtocolsHTTP == 0 {
		f.Protocol = string(rules.ProtocolHTTPS)
	}
	for _, st := range rules.Stages() {
		if _, ok := d.Deployment(st); ok {
			f.Stage = string(st)
			break
		}
	}
	if _, err := h.debugChoices(ctx, d, &f); err != nil {
		return f, err
	}
	if len(f.Domains) > 0 {
		f.Domain = f.Domains[0].Value
	}
	return f, nil
}

// debugChoices lists what the Debug form offers: the account's VPCs (and
// their hybrid networks), the group's domains, the protocols, stages and
// methods. It returns the VPCs by id, for the network chosen.
func (h *Handler) debugChoices(ctx context.Context, d store.APIDetail, f *pages.DebugForm) (map[string]rules.VPC, error) {
	f.APIID, f.CanRun = d.ID, true
	accountID := d.Group.AccountID
	g, err := h.store.GetGroupDetail(ctx, accountID, d.GroupID)
	if err != nil {
		return nil, notFoundOr(err)
	}
	vpcs, err := h.store.ListVpcsWithoutVSwitches(ctx, accountID, "")
	if err != nil {
		return nil, err
	}
	byID := make(map[string]rules.VPC, len(vpcs))
	f.Networks = []components.Option{{Value: debugInternet, Label: "The Internet"}}
	for _, v := range vpcs {
		byID[v.ID] = v
		f.Networks = append(f.Networks, components.Option{Value: debugVpcPrefix + v.ID, Label: fmt.Sprintf("VPC %s (%s, %s)", v.ID, v.Name, v.RegionID)})
	}
	for _, v := range vpcs {
		f.Networks = append(f.Networks, components.Option{Value: debugHybridPrefix + v.ID, Label: fmt.Sprintf("On-premises network joined to %s (%s)", v.ID, v.Name)})
	}
	// The API's domains with their network types: the calls
	// DisableInternet refuses are worth trying too.
	f.Domains = []components.Option{{Value: g.PublicDomain(), Label: g.PublicDomain() + " (public second-level domain)"}}
	if g.VpcDomainEnabled {
		f.Domains = append(f.Domains, components.Option{Value: g.VpcDomain(), Label: g.VpcDomain() + " (VPC second-level domain)"})
	}
	for _, cd := range g.Domains {
		f.Domains = append(f.Domains, components.Option{Value: cd.Name, Label: cd.Name + " (custom, " + string(cd.NetworkType) + ")"})
	}
	f.Protocols = []components.Option{{Value: string(rules.ProtocolHTTP), Label: "HTTP"}, {Value: string(rules.ProtocolHTTPS), Label: "HTTPS"}}
	f.Stages = stageOptions()
	f.Methods = nil
	for _, m := range rules.APIMethods() {
		if m != rules.MethodAny {
			f.Methods = append(f.Methods, components.Option{Value: m, Label: m})
		}
	}
	return byID, nil
}

// debugRequest reads the form into the gateway's request, or says what
// is wrong with each field.
func debugRequest(f pages.DebugForm, vpcs map[string]rules.VPC) (gateway.DebugRequest, components.Errors) {
	errs := components.Errors{}
	req := gateway.DebugRequest{Method: f.Method, Domain: f.Domain, Path: f.Path, Stage: f.Stage, Body: []byte(f.Body)}
	switch {
	case f.Network == debugInternet:
		req.Network = gateway.Internet
	case strings.HasPrefix(f.Network, debugVpcPrefix) || strings.HasPrefix(f.Network, debugHybridPrefix):
		kind, id := rules.CallerVpc, strings.TrimPrefix(f.Network, debugVpcPrefix)
		if strings.HasPrefix(f.Network, debugHybridPrefix) {
			kind, id = rules.CallerHybrid, strings.TrimPrefix(f.Network, debugHybridPrefix)
		}
		if v, ok := vpcs[id]; ok {
			req.Network = gateway.Network{Kind: kind, Vpc: &v}
		} else {
			errs.Add("network", fmt.Sprintf("Your account has no VPC %q: choose the Internet or one of your VPCs.", id))
		}
	default:
		errs.Add("network", "Choose the Internet, one of your VPCs or an on-premises network joined to one.")
	}
	if !hasOption(f.Domains, f.Domain) {
		errs.Add("domain", fmt.Sprintf("The group has no domain %q: choose one of its domains.", f.Domain))
	}
	switch rules.Protocol(f.Protocol) {
	case rules.ProtocolHTTP:
	case rules.ProtocolHTTPS:
		req.HTTPS = true
	default:
		errs.Add("protocol", "Choose HTTP or HTTPS.")
	}
	if st, err := rules.ParseStage(f.Stage); err != nil {
		errs.Add("stage", refusalOf(err).Message)
	} else {
		req.Stage = string(st)
	}
	if !hasOption(f.Methods, f.Method) {
		errs.Add("method", "Choose one of the methods of the list.")
	}
	switch {
	case !strings.HasPrefix(f.Path, "/"):
		errs.Add("path", "The path starts with / (a query may follow ?).")
	case len(f.Path) > debugPathMax:
		errs.Add("path", fmt.Sprintf("The path is at most %s characters.", rules.FormatThousands(debugPathMax)))
	case strings.ContainsAny(f.Path, " \t\r\n#") || !utf8.ValidString(f.Path):
		errs.Add("path", "The path holds a space, a line break or a #: encode it (%20) or leave it out.")
	}
	if hs, err := rules.ParseHeaderLines(f.Headers); err != nil {
		errs.Add("headers", refusalOf(err).Message)
	} else if len(hs) > debugHeadersMax {
		errs.Add("headers", fmt.Sprintf("Send at most %d headers.", debugHeadersMax))
	} else {
		req.Header = http.Header{}
		for _, hd := range hs {
			if !validHeaderName(hd.Name) {
				errs.Add("headers", fmt.Sprintf("%q is not a header name: letters, digits and - only.", hd.Name))
				break
			}
			req.Header.Add(hd.Name, hd.Value)
		}
	}
	if len(f.Body) > debugBodyMax {
		errs.Add("body", "The body is at most 64 KiB.")
	}
	if len(errs) > 0 {
		return gateway.DebugRequest{}, errs
	}
	return req, nil
}

// validHeaderName allows the names a form should send: RFC 9110 tokens
// without the rarely meant punctuation.
func validHeaderName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, r := range s {
		if !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// debugResultView words a Debug call's result for the panel.
func debugResultView(res gateway.DebugResult) *pages.DebugResult {
	v := &pages.DebugResult{
		Via: res.Sent.Via, Method: res.Sent.Method, URL: res.Sent.URL, SentHeaders: headerList(res.Sent.Header),
		Status: res.Status, StatusText: http.StatusText(res.Status), RequestID: res.RequestID,
		Duration: durationWords(res.Duration), Headers: headerList(res.Header), Truncated: res.Truncated,
		ErrorCode: res.Header.Get("X-Ca-Error-Code"), ErrorMessage: res.Header.Get("X-Ca-Error-Message"),
		RefusedRule: res.Header.Get(gateway.HeaderRefused),
	}
	switch {
	case len(res.Body) == 0:
		v.BodyNote = "No body."
	case utf8.Valid(res.Body):
		v.Body = string(res.Body)
	default:
		v.BodyNote = "A body of " + rules.Plural(len(res.Body), "byte", "bytes") + " that is not text, not shown."
	}
	if res.Decision != nil {
		v.Decision = &pages.DebugDecision{Allowed: res.Decision.Allowed, Rule: res.Decision.Rule, Reason: res.Decision.Reason, Address: res.Decision.Address}
	}
	return v
}

// headerList is a header map as lines, sorted by name.
func headerList(h http.Header) []rules.Header {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []rules.Header
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, rules.Header{Name: k, Value: v})
		}
	}
	return out
}
