package handlers

import (
	"cmp"
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

// Instances and Clusters › Dedicated Instances: the account's dedicated
// instances, their VPC binding (R4, R6, R7), and the shared instances of
// each region, read-only.

// instanceItem turns a store row into what the views show.
func instanceItem(r store.InstanceRow) pages.InstanceItem {
	it := pages.InstanceItem{Instance: r.Instance, Vpc: r.Vpc, VSwitch: r.VSwitch, Groups: r.Groups}
	if s, ok := rules.SpecByID(r.Spec); ok {
		it.RPS = s.RPS
	}
	return it
}

// InstancesPage lists the account's dedicated instances, each with its
// actions as the rules answer them.
func (h *Handler) InstancesPage(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	dedicated, err := h.store.ListInstances(ctx, p.Account.ID, "")
	if err != nil {
		return err
	}
	props := pages.InstancesProps{CanChange: p.User.Role.CanChange()}
	for _, r := range dedicated {
		it := instanceItem(r)
		if props.CanChange {
			var vpcEnabled []rules.Group
			if r.VpcEnabled > 0 {
				if vpcEnabled, err = h.store.VpcEnabledGroups(ctx, p.Account.ID, r.ID); err != nil {
					return err
				}
			}
			it.Actions = instanceActions(r, vpcEnabled, nil, paths.Instances)
		}
		props.Instances = append(props.Instances, it)
	}
	return render(c, http.StatusOK, h.chrome(c, "Dedicated Instances", "instances"), pages.InstancesPage(props))
}

// SharedInstancesPage lists the platform's shared instances of every
// region, read-only, with how many of the account's groups each carries.
func (h *Handler) SharedInstancesPage(c echo.Context) error {
	p := currentPrincipal(c)
	shared, err := h.store.ListSharedInstances(c.Request().Context(), p.Account.ID, "")
	if err != nil {
		return err
	}
	var props pages.SharedInstancesProps
	for _, r := range shared {
		props.Instances = append(props.Instances, instanceItem(r))
	}
	return render(c, http.StatusOK, h.chrome(c, "Shared Instances", "shared"), pages.SharedInstancesPage(props))
}

// instanceActions are the buttons of a dedicated instance, each asked of
// the rules first: Unbind is refused while groups hold the binding (R7,
// vpcEnabled), Delete while groups are on it (groups, or a link to them
// when not read). next is where the Bind to VPC dialog leads back to.
func instanceActions(r store.InstanceRow, vpcEnabled, groups []rules.Group, next string) []components.Action {
	if !r.Dedicated() {
		return nil
	}
	bind := paths.InstanceAction(r.ID, "bind")
	if next != paths.Instances {
		bind = paths.WithQuery(bind, url.Values{"next": {next}})
	}
	id := "instance-" + r.ID
	var out []components.Action
	if r.Bound() {
		out = append(out,
			components.Action{ID: id + "-change", Href: bind, Label: "Change VPC", Class: "btn small"},
			components.Action{ID: id + "-unbind", Href: paths.InstanceAction(r.ID, "unbind"), Label: "Unbind", Class: "btn small",
				Refusal: instanceUnbindRefusal(r, vpcEnabled)})
	} else {
		out = append(out, components.Action{ID: id + "-bind", Href: bind, Label: "Bind to VPC", Class: "btn small primary"})
	}
	return append(out, components.Action{ID: id + "-delete", Href: paths.InstanceAction(r.ID, "delete"), Label: "Delete", Class: "btn small danger",
		Refusal: instanceDeleteRefusal(r, groups)})
}

// instanceUnbindRefusal is R7's refusal of unbinding, each group that holds
// the binding a link; nil when allowed.
func instanceUnbindRefusal(r store.InstanceRow, vpcEnabled []rules.Group) *components.Refusal {
	return briefly(refusalOf(rules.CheckUnbindVpc(r.Instance, vpcEnabled), groupLinks(r.ID, vpcEnabled)...),
		"the VPC domain is enabled for %s on it.", rules.Plural(len(vpcEnabled), "group", "groups"))
}

// instanceDeleteRefusal refuses deleting an instance that carries groups,
// each a link (or, when they were not read, the list on its page).
func instanceDeleteRefusal(r store.InstanceRow, groups []rules.Group) *components.Refusal {
	if !r.Dedicated() {
		// The platform's: nothing to change first.
		return refusalOf(rules.CheckDeleteInstance(r.Instance, 0))
	}
	wayOut := groupLinks(r.ID, groups)
	if len(groups) == 0 {
		wayOut = []components.Link{{Href: paths.Instance(r.ID) + "#instance-groups", Label: "The API groups on " + r.Name}}
	}
	return briefly(refusalOf(rules.CheckDeleteInstance(r.Instance, r.Groups), wayOut...),
		"%s on it.", rules.Plural(r.Groups, "API group is", "API groups are"))
}

// instanceNewProps fills the Create Instance dialog around the values
// chosen so far.
func instanceNewProps(c echo.Context, in rules.InstanceInput, errs components.Errors) pages.InstanceNewProps {
	props := pages.InstanceNewProps{
		Modal: isFragmentRequest(c), Name: in.Name, Region: in.RegionID, Zone: in.ZoneID, Spec: in.Spec, HTTPSPolicy: in.HTTPSPolicy,
		RegionOptions: regionOptions(), ZoneOptions: zoneOptions(in.RegionID), Errors: errs,
	}
	for _, s := range rules.Specs() {
		props.SpecOptions = append(props.SpecOptions, components.Option{Value: s.ID, Label: fmt.Sprintf("%s · %s RPS", s.ID, rules.FormatThousands(s.RPS))})
	}
	props.PolicyOptions = httpsPolicyOptions()
	return props
}

// httpsPolicyOptions are the HTTPS security policies for a select, each
// with what it allows: "HTTPS2_TLS1_2 · HTTP/2, TLS 1.2+".
func httpsPolicyOptions() []components.Option {
	var out []components.Option
	for _, pol := range rules.HTTPSPolicies() {
		label := pol + " · " + rules.DescribeHTTPSPolicy(pol)
		if pol == rules.DefaultHTTPSPolicy {
			label += " (default)"
		}
		out = append(out, components.Option{Value: pol, Label: label})
	}
	return out
}

// InstanceNewPage shows the Create Instance dialog. Its query keeps what
// was chosen when the no-JavaScript "Show zones" button reloads it.
func (h *Handler) InstanceNewPage(c echo.Context) error {
	return h.instanceNewDialog(c, c.QueryParam)
}

// instanceNewDialog shows Create Instance with the values get reads: the
// query of a link to it, or the posted form of its "Show zones" button
// (components.RefreshButton, without JavaScript).
func (h *Handler) instanceNewDialog(c echo.Context, get func(string) string) error {
	in := rules.InstanceInput{
		Name:        get("name"),
		RegionID:    get("region"),
		ZoneID:      get("zone"),
		Spec:        get("spec"),
		HTTPSPolicy: get("https_policy"),
	}
	if _, ok := rules.RegionByID(in.RegionID); !ok {
		in.RegionID = rules.Regions()[0].ID
	}
	if r, _ := rules.RegionByID(in.RegionID); !r.HasZone(in.ZoneID) {
		in.ZoneID = ""
	}
	if _, ok := rules.SpecByID(in.Spec); !ok {
		in.Spec = rules.Specs()[0].ID
	}
	if !rules.KnownHTTPSPolicy(in.HTTPSPolicy) {
		in.HTTPSPolicy = rules.DefaultHTTPSPolicy
	}
	props := instanceNewProps(c, in, nil)
	return render(c, http.StatusOK, h.chrome(c, "Create Instance", "instances"), pages.InstanceNewPage(props))
}

// InstanceZoneOptions answers the Zone field for the chosen region.
func (h *Handler) InstanceZoneOptions(c echo.Context) error {
	region := c.QueryParam("region")
	opts := zoneOptions(region)
	if opts == nil {
		errs := components.Errors{rules.FieldZone: {"Choose a region first: its zones are listed here."}}
		return render(c, http.StatusUnprocessableEntity, h.chrome(c, "Zones", "instances"), partials.InstanceZoneField("", nil, errs))
	}
	return render(c, http.StatusOK, h.chrome(c, "Zones", "instances"), partials.InstanceZoneField(c.QueryParam("zone"), opts, nil))
}

// InstanceCreate creates a dedicated instance.
func (h *Handler) InstanceCreate(c echo.Context) error {
	if c.FormValue(components.RefreshField) != "" {
		return h.instanceNewDialog(c, c.FormValue)
	}
	p := currentPrincipal(c)
	in := rules.InstanceInput{
		Name:        c.FormValue("name"),
		RegionID:    c.FormValue("region"),
		ZoneID:      c.FormValue("zone"),
		Spec:        c.FormValue("spec"),
		HTTPSPolicy: c.FormValue("https_policy"),
	}.Normalize() // the store does it too; the form shows what was read
	inst, err := h.store.CreateInstance(c.Request().Context(), p.actor(), in)
	if err != nil {
		errs, status, ok := formErrors(c, err)
		if !ok {
			return err
		}
		errs = formFields(errs, "name", "region", "zone", "spec", "https_policy")
		return render(c, status, h.chrome(c, "Create Instance", "instances"), pages.InstanceNewPage(instanceNewProps(c, in, errs)))
	}
	h.flash(c, "success", fmt.Sprintf("Instance %s (%s) created in %s.", inst.ID, inst.Name, inst.ZoneID))
	return redirect(c, paths.Instances)
}

// InstancePage shows an instance and the account's groups on it.
func (h *Handler) InstancePage(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	r, err := h.store.GetInstance(ctx, p.Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	groups, err := h.store.ListGroupsOnInstance(ctx, p.Account.ID, r.ID)
	if err != nil {
		return notFoundOr(err)
	}
	props := pages.InstanceProps{Instance: instanceItem(r), Groups: groups, CanChange: p.User.Role.CanChange()}
	props.Reach = instanceReach(p.Account.ID, r.Instance)
	if props.CanChange && r.Dedicated() {
		edit := components.Action{ID: "instance-" + r.ID + "-edit", Href: paths.InstanceAction(r.ID, "edit"), Label: "Edit", Class: "btn small"}
		props.Instance.Actions = append([]components.Action{edit}, instanceActions(r, vpcEnabledOf(groups), groups, paths.Instance(r.ID))...)
	}
	nav := "instances"
	if !r.Dedicated() {
		nav = "shared"
	}
	return render(c, http.StatusOK, h.chrome(c, r.Name+" · Instance", nav), pages.InstancePage(props))
}

// instanceEditProps fills the Edit Instance dialog with the name and
// policy given; a shared instance's is refused as the rules answer, with
// no form.
func instanceEditProps(c echo.Context, r store.InstanceRow, name, policy string, errs components.Errors) pages.InstanceEditProps {
	props := pages.InstanceEditProps{Modal: isFragmentRequest(c), InstanceID: r.ID, Name: name, HTTPSPolicy: policy,
		PolicyOptions: httpsPolicyOptions(), Errors: errs}
	if re := rules.CheckInstanceChangeable(r.Instance, r.AccountID); re != nil {
		props.Refused, props.Errors = true, components.Errors{}
		props.Errors.Add("", re.Message)
	}
	return props
}

// InstanceEditPage shows the Edit Instance dialog: the instance's name
// and HTTPS security policy. A shared instance's answers 409 with why.
func (h *Handler) InstanceEditPage(c echo.Context) error {
	r, err := h.store.GetInstance(c.Request().Context(), currentPrincipal(c).Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	return h.renderInstanceEdit(c, http.StatusOK, instanceEditProps(c, r, r.Name, r.HTTPSPolicy, nil))
}

// InstanceEdit saves a dedicated instance's name and HTTPS security
// policy (store.ModifyInstance); a new policy applies from the gateway's
// next TLS handshake on the domains of the groups on it.
func (h *Handler) InstanceEdit(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	r, err := h.store.GetInstance(ctx, p.Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	// A field the form does not send keeps its value, as an absent
	// parameter of ModifyInstanceAttribute does.
	ch := rules.InstanceChange{Name: sentField(c, "name"), HTTPSPolicy: sentField(c, "https_policy")}
	name, policy := cmp.Or(ch.Name, &r.Name), cmp.Or(ch.HTTPSPolicy, &r.HTTPSPolicy)
	m, err := h.store.ModifyInstance(ctx, p.actor(), r.ID, ch)
	if err != nil {
		errs, status, ok := formErrors(c, err)
		if !ok {
			return err
		}
		if re, isRule := rules.AsError(err); isRule && re.Kind == rules.KindNotFound {
			return notFoundOr(re) // deleted meanwhile
		}
		return h.renderInstanceEdit(c, status, instanceEditProps(c, r, *name, *policy, formFields(errs, rules.FieldName, rules.FieldHTTPSPolicy)))
	}
	msg := fmt.Sprintf("Instance %s saved.", m.Name)
	if m.HTTPSPolicy != m.WasHTTPSPolicy {
		msg += fmt.Sprintf(" HTTPS policy %s → %s (%s): new TLS connections to the domains of its groups follow it.",
			m.WasHTTPSPolicy, m.HTTPSPolicy, rules.DescribeHTTPSPolicy(m.HTTPSPolicy))
	}
	h.flash(c, "success", msg)
	return redirect(c, paths.Instance(r.ID))
}

// sentField is the value of a field the form sent, nil when it sent none.
func sentField(c echo.Context, name string) *string {
	form, err := c.FormParams()
	if err != nil || !form.Has(name) {
		return nil
	}
	v := form.Get(name)
	return &v
}

// renderInstanceEdit renders the Edit Instance dialog. A refused one (a
// shared instance) is shown at 409, as other dialogs the rules refuse,
// and a refused POST keeps the rule's own status, as other refused
// changes do.
func (h *Handler) renderInstanceEdit(c echo.Context, status int, props pages.InstanceEditProps) error {
	nav := "instances"
	if props.Refused {
		nav = "shared"
		if status == http.StatusOK {
			status = http.StatusConflict
		}
	}
	return render(c, status, h.chrome(c, pages.InstanceEditTitle, nav), pages.InstanceEditPage(props))
}

// instanceBindProps fills the Bind to VPC dialog: the account's VPCs in the
// instance's region and the vSwitches of the chosen one. Nothing is chosen
// for the operator: Bind opens on "Select a VPC", and Change VPC on the
// current binding, saying what a change moves (R6) before Confirm.
func (h *Handler) instanceBindProps(c echo.Context, r store.InstanceRow, vpcID, vswitchID string, errs components.Errors) (pages.InstanceBindProps, error) {
	props := pages.InstanceBindProps{Modal: isFragmentRequest(c), Instance: instanceItem(r), Errors: errs}
	if !r.Dedicated() {
		props.Refused = true
		if !props.Errors.Has("") {
			props.Errors = formFields(refusalErrors(rules.CheckBindVpc(r.Instance, rules.VPC{}, rules.VSwitch{}, "")))
		}
		return props, nil
	}
	ctx := c.Request().Context()
	accountID := currentPrincipal(c).Account.ID
	vpcs, err := h.store.ListVpcs(ctx, accountID, r.RegionID)
	if err != nil {
		return props, err
	}
	var groups []rules.Group
	if r.Bound() {
		if groups, err = h.store.ListGroupsOnInstance(ctx, accountID, r.ID); err != nil {
			return props, err
		}
	}
	for _, v := range vpcs {
		props.VpcOptions = append(props.VpcOptions, components.Option{Value: v.ID, Label: fmt.Sprintf("%s (%s, %s)", v.Name, v.ID, v.CIDR)})
	}
	if vpcID == "" && r.Bound() {
		vpcID = r.VpcID
	}
	props.Vpc = vpcID
	props.Choice = instanceBindChoice(r, vpcs, groups, vpcID, vswitchID, errs)
	return props, nil
}

// instanceBindChoice is the vSwitch part of the Bind to VPC dialog for the
// chosen VPC and, for a bound instance, what the change moves: from the
// VPC it is bound to, to the chosen one, with the groups on it.
func instanceBindChoice(r store.InstanceRow, vpcs []store.VpcWithVSwitches, groups []rules.Group, vpcID, vswitchID string, errs components.Errors) partials.InstanceBindChoice {
	ch := partials.InstanceBindChoice{VSwitch: vswitchID, Errors: errs, Placeholder: "Select a vSwitch"}
	var chosen, current *store.VpcWithVSwitches
	for i := range vpcs {
		if vpcs[i].ID == vpcID {
			chosen = &vpcs[i]
		}
		if vpcs[i].ID == r.VpcID {
			current = &vpcs[i]
		}
	}
	switch {
	case chosen == nil:
		ch.Placeholder = "Select a VPC first"
	case len(chosen.VSwitches) == 0:
		ch.Placeholder = "This VPC has no vSwitch: create one on its page"
	}
	if chosen != nil {
		for _, w := range chosen.VSwitches {
			ch.Options = append(ch.Options, components.Option{Value: w.ID, Label: fmt.Sprintf("%s (%s, %s, %s)", w.Name, w.ID, w.ZoneID, w.CIDR)})
		}
		if ch.VSwitch == "" && r.VpcID == chosen.ID {
			ch.VSwitch = r.VSwitchID
		}
	}
	if !r.Bound() {
		return ch
	}
	change := &partials.BindChange{From: vpcLabel(r.VpcID, current)}
	switch {
	case chosen == nil:
		change.Note = "Choose the VPC to move access to."
	case chosen.ID == r.VpcID:
		change.To = change.From
		change.Note = "The VPC stays the same: only the endpoint moves, to the vSwitch you choose. To move access, choose another VPC."
	default:
		change.To = vpcLabel(chosen.ID, chosen)
		after := r.Instance
		after.VpcID = chosen.ID
		change.Note = fmt.Sprintf("After the change, the VPC domains of the groups on this instance are reachable %s; VPC %s loses access immediately.",
			instanceReach(r.AccountID, after), r.VpcID)
	}
	change.Moves = chosen != nil && chosen.ID != r.VpcID
	for _, g := range groups {
		state := "VPC domain not enabled"
		if g.VpcDomainEnabled {
			state = "VPC domain enabled"
		}
		change.Groups = append(change.Groups, partials.BindGroup{Link: components.Link{Href: paths.Group(g.ID), Label: g.Name}, State: state})
	}
	ch.Change = change
	return ch
}

// vpcLabel names a VPC in a sentence: "prod-vpc (vpc-…)", or its id alone
// when it is not among those read.
func vpcLabel(id string, v *store.VpcWithVSwitches) string {
	if v == nil {
		return id
	}
	return fmt.Sprintf("%s (%s)", v.Name, v.ID)
}

// InstanceBindPage shows the Bind to VPC dialog (Change VPC for a bound
// instance). ?vpc= picks the VPC whose vSwitches are listed: the
// no-JavaScript "Show vSwitches" button reloads the dialog with it.
func (h *Handler) InstanceBindPage(c echo.Context) error {
	r, err := h.store.GetInstance(c.Request().Context(), currentPrincipal(c).Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	return h.instanceBindDialog(c, r, c.QueryParam)
}

// instanceBindDialog shows the Bind to VPC dialog with the values get
// reads: the query of a link to it, or the posted form of its "Show
// vSwitches" button (components.RefreshButton, without JavaScript).
func (h *Handler) instanceBindDialog(c echo.Context, r store.InstanceRow, get func(string) string) error {
	vpcID := rules.TrimField(get("vpc"))
	props, err := h.instanceBindProps(c, r, vpcID, rules.TrimField(get("vswitch")), nil)
	if err != nil {
		return err
	}
	props.Next = safeNextOr(get("next"), paths.Instances)
	status := http.StatusOK
	if props.Refused {
		status = http.StatusConflict
	} else if vpcID != "" && !hasOption(props.VpcOptions, vpcID) {
		props.Errors = vpcChoiceError(vpcID)
		props.Choice.Errors = props.Errors
		status = http.StatusNotFound
	}
	return render(c, status, h.chrome(c, pages.InstanceBindTitle, "instances"), pages.InstanceBindPage(props))
}

// InstanceVSwitchOptions answers the vSwitch part of the Bind to VPC dialog
// for the VPC chosen in ?vpc=.
func (h *Handler) InstanceVSwitchOptions(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	r, err := h.store.GetInstance(ctx, p.Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	var vpcs []store.VpcWithVSwitches
	if r.Dedicated() {
		if vpcs, err = h.store.ListVpcs(ctx, p.Account.ID, r.RegionID); err != nil {
			return err
		}
	}
	vpcID := rules.TrimField(c.QueryParam("vpc"))
	status := http.StatusOK
	var errs components.Errors
	if vpcID != "" {
		found := false
		for _, v := range vpcs {
			found = found || v.ID == vpcID
		}
		if !found {
			errs, status = vpcChoiceError(vpcID), http.StatusNotFound
			errs[rules.FieldVSwitch] = errs[rules.FieldVpc]
		}
	}
	var groups []rules.Group
	if r.Bound() {
		if groups, err = h.store.ListGroupsOnInstance(ctx, p.Account.ID, r.ID); err != nil {
			return err
		}
	}
	choice := instanceBindChoice(r, vpcs, groups, vpcID, "", errs)
	return render(c, status, h.chrome(c, pages.InstanceBindTitle, "instances"), partials.InstanceBindVSwitch(choice))
}

// InstanceBind binds a dedicated instance to a VPC and vSwitch, or changes
// its VPC (store.BindVpc does both, atomically).
func (h *Handler) InstanceBind(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	r, err := h.store.GetInstance(ctx, p.Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	if c.FormValue(components.RefreshField) != "" {
		return h.instanceBindDialog(c, r, c.FormValue)
	}
	vpcID, vswitchID := rules.TrimField(c.FormValue("vpc")), rules.TrimField(c.FormValue("vswitch"))
	var errs components.Errors
	var status int
	inst, err := h.store.BindVpc(ctx, p.actor(), r.ID, vpcID, vswitchID)
	if err != nil {
		var ok bool
		if errs, status, ok = formErrors(c, err); !ok {
			return err
		}
		errs = formFields(errs, rules.FieldVpc, rules.FieldVSwitch)
	}
	// The dialog may be opened from elsewhere (Group Details) and lead back.
	next := safeNextOr(c.FormValue("next"), paths.Instances)
	if errs != nil {
		props, perr := h.instanceBindProps(c, r, vpcID, vswitchID, errs)
		if perr != nil {
			return perr
		}
		props.Next = next
		return render(c, status, h.chrome(c, pages.InstanceBindTitle, "instances"), pages.InstanceBindPage(props))
	}
	// The message names the binding the transaction replaced, not the one
	// the dialog was opened on.
	msg := fmt.Sprintf("Instance bound to VPC %s through vSwitch %s; endpoint address %s.", inst.VpcID, inst.VSwitchID, inst.EndpointIP)
	if inst.WasVpcID != "" && inst.WasVpcID != inst.VpcID {
		msg += fmt.Sprintf(" VPC %s no longer reaches the groups on %s.", inst.WasVpcID, inst.ID)
	}
	h.flash(c, "success", msg)
	return redirect(c, next)
}

// instanceUnbindProps describes the Unbind dialog. The rules answer first
// (R7 names the groups that hold the binding, each a link).
func instanceUnbindProps(c echo.Context, r store.InstanceRow, vpcEnabled []rules.Group) pages.ConfirmProps {
	props := pages.ConfirmProps{
		Dialog: dialogOf(c, "instance-unbind", "Unbind VPC", paths.Instances),
		Action: paths.InstanceAction(r.ID, "unbind"),
		Submit: "Confirm", Danger: true,
		Refusal: instanceUnbindRefusal(r, vpcEnabled),
	}
	if props.Refusal != nil {
		return props
	}
	props.Lines = []string{fmt.Sprintf("Unbind the VPC %s (vSwitch %s, endpoint %s) from the instance %s (%s)?", r.VpcID, r.VSwitchID, r.EndpointIP, r.Name, r.ID)}
	groups := "the groups on this instance"
	if r.Groups > 0 {
		groups = "the " + rules.Plural(r.Groups, "group", "groups") + " on this instance"
	}
	after := r.Instance
	after.VpcID, after.VSwitchID, after.EndpointIP = "", "", ""
	props.Notes = []string{
		fmt.Sprintf("After unbinding, the VPC domains of %s are reachable %s. VPC %s loses access immediately, and the VPC second-level domain cannot be enabled for groups on it until you bind a VPC again.", groups, instanceReach(r.AccountID, after), r.VpcID),
	}
	return props
}

// groupLinks lead to each group's page, where what holds it can change;
// past ten, the last leads to the list of them all on the instance's page.
func groupLinks(instanceID string, groups []rules.Group) []components.Link {
	const most = 10
	var out []components.Link
	for i, g := range groups {
		if i == most {
			out = append(out, components.Link{Href: paths.Instance(instanceID) + "#instance-groups", Label: fmt.Sprintf("and %d more on the instance's page", len(groups)-most)})
			break
		}
		out = append(out, components.Link{Href: paths.Group(g.ID), Label: "API group " + g.Name})
	}
	return out
}

// InstanceUnbindPage asks to confirm unbinding an instance's VPC.
func (h *Handler) InstanceUnbindPage(c echo.Context) error {
	r, err := h.store.GetInstance(c.Request().Context(), currentPrincipal(c).Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	groups, err := h.store.ListGroupsOnInstance(c.Request().Context(), currentPrincipal(c).Account.ID, r.ID)
	if err != nil {
		return err
	}
	return h.renderConfirm(c, "instances", instanceUnbindProps(c, r, vpcEnabledOf(groups)))
}

// InstanceUnbind removes an instance's VPC binding; R7 refuses it while
// groups on it have the VPC domain enabled, and the dialog names them.
func (h *Handler) InstanceUnbind(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	r, err := h.store.GetInstance(ctx, p.Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	ch, err := h.store.UnbindVpc(ctx, p.actor(), r.ID)
	if err != nil {
		// Refused as things are now: the dialog again, from what is now.
		vpcEnabled, gerr := h.store.VpcEnabledGroups(ctx, p.Account.ID, r.ID)
		if gerr != nil {
			return gerr
		}
		return h.confirmRefused(c, err, "instances", instanceUnbindProps(c, r, vpcEnabled))
	}
	h.flash(c, "success", fmt.Sprintf("VPC %s unbound from instance %s.", ch.WasVpcID, ch.ID))
	return redirect(c, paths.Instances)
}

// instanceDeleteProps describes the Delete instance dialog. The rules
// answer first: a shared instance never goes, a dedicated one not while
// groups are on it (each a link).
func instanceDeleteProps(c echo.Context, r store.InstanceRow, groups []rules.Group) pages.ConfirmProps {
	props := pages.ConfirmProps{
		Dialog: dialogOf(c, "instance-delete", "Delete Instance", paths.Instances),
		Action: paths.InstanceAction(r.ID, "delete"),
		Lines:  []string{fmt.Sprintf("Delete the dedicated instance %s (%s)? This cannot be undone.", r.Name, r.ID)},
		Submit: "Delete", Danger: true,
		Refusal: instanceDeleteRefusal(r, groups),
	}
	if props.Refusal == nil && r.Bound() {
		props.Notes = append(props.Notes, fmt.Sprintf("Its VPC binding to %s is removed with it.", r.VpcID))
	}
	return props
}

// InstanceDeletePage asks to confirm deleting a dedicated instance.
func (h *Handler) InstanceDeletePage(c echo.Context) error {
	r, err := h.store.GetInstance(c.Request().Context(), currentPrincipal(c).Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	groups, err := h.store.ListGroupsOnInstance(c.Request().Context(), currentPrincipal(c).Account.ID, r.ID)
	if err != nil {
		return err
	}
	return h.renderConfirm(c, "instances", instanceDeleteProps(c, r, groups))
}

// InstanceDelete deletes a dedicated instance; one that still carries
// groups is refused.
func (h *Handler) InstanceDelete(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	r, err := h.store.GetInstance(ctx, p.Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	if err := h.store.DeleteInstance(ctx, p.actor(), r.ID); err != nil {
		// Read again: the groups on it may have changed since the dialog.
		if r, err2 := h.store.GetInstance(ctx, p.Account.ID, r.ID); err2 == nil {
			groups, gerr := h.store.ListGroupsOnInstance(ctx, p.Account.ID, r.ID)
			if gerr != nil {
				return gerr
			}
			return h.confirmRefused(c, err, "instances", instanceDeleteProps(c, r, groups))
		}
		return h.confirmRefused(c, err, "instances", instanceDeleteProps(c, r, nil))
	}
	h.flash(c, "success", fmt.Sprintf("Instance %s (%s) deleted.", r.ID, r.Name))
	return redirect(c, paths.Instances)
}

// refusalErrors turns a rule's verdict into form errors (nil when allowed).
func refusalErrors(err error) components.Errors {
	if err == nil {
		return nil
	}
	errs, _, ok := fieldErrorsOf(err)
	if !ok {
		return components.Errors{"": {err.Error()}}
	}
	return errs
}

// vpcChoiceError is the Vpc Id field's error for a VPC that is not one
// of the account's in the instance's region.
func vpcChoiceError(vpcID string) components.Errors {
	return components.Errors{rules.FieldVpc: {fmt.Sprintf("The VPC %q is not one of your VPCs in this instance's region. Choose one of the list.", rules.Shorten(vpcID))}}
}

func hasOption(opts []components.Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// vpcEnabledOf keeps the groups whose VPC domain is enabled.
func vpcEnabledOf(groups []rules.Group) []rules.Group {
	var out []rules.Group
	for _, g := range groups {
		if g.VpcDomainEnabled {
			out = append(out, g)
		}
	}
	return out
}
