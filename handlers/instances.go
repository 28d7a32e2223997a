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

// InstancesPage lists the account's dedicated instances and the shared
// instances of every region.
func (h *Handler) InstancesPage(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	dedicated, err := h.store.ListInstances(ctx, p.Account.ID, "")
	if err != nil {
		return err
	}
	shared, err := h.store.ListSharedInstances(ctx, p.Account.ID, "")
	if err != nil {
		return err
	}
	props := pages.InstancesProps{CanChange: p.User.Role.CanChange()}
	for _, r := range dedicated {
		props.Instances = append(props.Instances, instanceItem(r))
	}
	for _, r := range shared {
		props.Shared = append(props.Shared, instanceItem(r))
	}
	return render(c, http.StatusOK, h.chrome(c, "Dedicated Instances", "instances"), pages.InstancesPage(props))
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
	for _, pol := range rules.HTTPSPolicies() {
		label := pol
		if pol == rules.DefaultHTTPSPolicy {
			label += " (default)"
		}
		props.PolicyOptions = append(props.PolicyOptions, components.Option{Value: pol, Label: label})
	}
	return props
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
		errs := components.Errors{rules.FieldZone: "Choose a region first: its zones are listed here."}
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
		errs, status, ok := formErrors(err)
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
	return render(c, http.StatusOK, h.chrome(c, r.Name+" · Instance", "instances"), pages.InstancePage(props))
}

// instanceBindProps fills the Bind to VPC dialog: the account's VPCs in the
// instance's region, the vSwitches of the chosen one (vpcID, or by default
// the bound VPC or the first), and for a bound instance what the change
// does.
func (h *Handler) instanceBindProps(c echo.Context, r store.InstanceRow, vpcID, vswitchID string, errs components.Errors) (pages.InstanceBindProps, error) {
	props := pages.InstanceBindProps{Modal: isFragmentRequest(c), Instance: instanceItem(r), Errors: errs}
	if !r.Dedicated() {
		props.Refused = true
		if !props.Errors.Has("") {
			props.Errors = formFields(refusalErrors(rules.CheckBindVpc(r.Instance, rules.VPC{}, rules.VSwitch{}, "")))
		}
		return props, nil
	}
	vpcs, err := h.store.ListVpcs(c.Request().Context(), currentPrincipal(c).Account.ID, r.RegionID)
	if err != nil {
		return props, err
	}
	for _, v := range vpcs {
		props.VpcOptions = append(props.VpcOptions, components.Option{Value: v.ID, Label: fmt.Sprintf("%s (%s, %s)", v.ID, v.Name, v.CIDR)})
	}
	if vpcID == "" {
		vpcID = instanceDefaultVpc(r, vpcs)
	}
	props.Vpc = vpcID
	props.Choice = instanceBindChoice(r, vpcs, vpcID, vswitchID, errs)
	return props, nil
}

// instanceDefaultVpc is the VPC the dialog starts with: the first of the
// region's VPCs, or for a bound instance (Change VPC) the first other one,
// so that the consequence of the change is stated from the start.
func instanceDefaultVpc(r store.InstanceRow, vpcs []store.VpcWithVSwitches) string {
	for _, v := range vpcs {
		if v.ID != r.VpcID {
			return v.ID
		}
	}
	if len(vpcs) > 0 {
		return vpcs[0].ID
	}
	return ""
}

// instanceBindChoice is the vSwitch part of the Bind to VPC dialog for the
// chosen VPC.
func instanceBindChoice(r store.InstanceRow, vpcs []store.VpcWithVSwitches, vpcID, vswitchID string, errs components.Errors) partials.InstanceBindChoice {
	ch := partials.InstanceBindChoice{VSwitch: vswitchID, Errors: errs}
	var chosen *store.VpcWithVSwitches
	for i := range vpcs {
		if vpcs[i].ID == vpcID {
			chosen = &vpcs[i]
		}
	}
	switch {
	case chosen == nil:
		ch.Placeholder = "Choose a VPC first"
	case len(chosen.VSwitches) == 0:
		ch.Placeholder = "This VPC has no vSwitch: create one on its page"
	}
	if chosen != nil {
		for _, w := range chosen.VSwitches {
			ch.Options = append(ch.Options, components.Option{Value: w.ID, Label: fmt.Sprintf("%s (%s, %s, %s)", w.ID, w.Name, w.ZoneID, w.CIDR)})
		}
		if ch.VSwitch == "" && r.VpcID == chosen.ID {
			ch.VSwitch = r.VSwitchID
		}
	}
	if r.Bound() {
		groups := "of the groups on this instance"
		if r.Groups > 0 {
			groups = "of the " + rules.Plural(r.Groups, "group", "groups") + " on this instance"
		}
		switch {
		case chosen == nil:
			ch.Consequence = fmt.Sprintf("After the change, only the VPC you choose can reach the VPC domains %s; VPC %s loses access immediately.", groups, r.VpcID)
		case chosen.ID == r.VpcID:
			ch.Consequence = fmt.Sprintf("The instance is bound to VPC %s now. Choosing it again only moves the endpoint to the vSwitch you choose; to move access %s, choose another VPC.", r.VpcID, groups)
		default:
			after := r.Instance
			after.VpcID = chosen.ID
			ch.Consequence = fmt.Sprintf("After the change, the VPC domains %s are reachable %s; VPC %s loses access immediately.", groups, instanceReach(r.AccountID, after), r.VpcID)
		}
	}
	return ch
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
	choice := instanceBindChoice(r, vpcs, vpcID, "", errs)
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
		if errs, status, ok = formErrors(err); !ok {
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
// (R7 names the groups that hold the binding); the way out is the groups
// on the instance, listed on its page.
func instanceUnbindProps(c echo.Context, r store.InstanceRow, vpcEnabled []rules.Group) pages.ConfirmProps {
	props := pages.ConfirmProps{
		Dialog: dialogOf(c, "instance-unbind", "Unbind VPC", paths.Instances),
		Action: paths.InstanceAction(r.ID, "unbind"),
		Submit: "Confirm", Danger: true,
	}
	if !r.Bound() {
		props.Lines = []string{fmt.Sprintf("The instance %s (%s) has no VPC binding to remove.", r.ID, r.Name)}
		props.Refusal = refusalOf(rules.CheckUnbindVpc(r.Instance, nil))
		return props
	}
	props.Lines = []string{fmt.Sprintf("Unbind the VPC %s (vSwitch %s, endpoint %s) from the instance %s (%s)?", r.VpcID, r.VSwitchID, r.EndpointIP, r.ID, r.Name)}
	if err := rules.CheckUnbindVpc(r.Instance, vpcEnabled); err != nil {
		props.Refusal = refusalOf(err, groupLinks(vpcEnabled)...)
		return props
	}
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

// groupLinks leads to each group's page, where what holds it can change.
func groupLinks(groups []rules.Group) []components.Link {
	out := make([]components.Link, len(groups))
	for i, g := range groups {
		out[i] = components.Link{Href: paths.Group(g.ID), Label: "API group " + g.Name}
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
		return h.confirmRefused(c, err, "instances", instanceUnbindProps(c, r, nil))
	}
	h.flash(c, "success", fmt.Sprintf("VPC %s unbound from instance %s.", ch.WasVpcID, ch.ID))
	return redirect(c, paths.Instances)
}

// instanceDeleteProps describes the Delete instance dialog. The rules
// answer first: a shared instance never goes, a dedicated one not while
// groups are on it (the way out: its page, which lists them).
func instanceDeleteProps(c echo.Context, r store.InstanceRow) pages.ConfirmProps {
	props := pages.ConfirmProps{
		Dialog: dialogOf(c, "instance-delete", "Delete Instance", paths.Instances),
		Action: paths.InstanceAction(r.ID, "delete"),
		Lines:  []string{fmt.Sprintf("Delete the dedicated instance %s (%s)? This cannot be undone.", r.ID, r.Name)},
		Submit: "Delete", Danger: true,
	}
	if !r.Dedicated() {
		props.Lines = []string{fmt.Sprintf("The instance %s is a shared instance.", r.ID)}
		props.Refusal = refusalOf(rules.CheckDeleteInstance(r.Instance, 0))
		return props
	}
	if err := rules.CheckDeleteInstance(r.Instance, r.Groups); err != nil {
		props.Refusal = refusalOf(err, components.Link{Href: paths.Instance(r.ID) + "#instance-groups", Label: "API groups on the instance " + r.ID})
		return props
	}
	if r.Bound() {
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
	return h.renderConfirm(c, "instances", instanceDeleteProps(c, r))
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
		return h.confirmRefused(c, err, "instances", instanceDeleteProps(c, r))
	}
	h.flash(c, "success", fmt.Sprintf("Instance %s (%s) deleted.", r.ID, r.Name))
	return redirect(c, paths.Instances)
}

// refusalErrors turns a rule's verdict into form errors (nil when allowed).
func refusalErrors(err error) components.Errors {
	if err == nil {
		return nil
	}
	errs, _, ok := formErrors(err)
	if !ok {
		return components.Errors{"": err.Error()}
	}
	return errs
}

// vpcChoiceError is the Vpc Id field's error for a VPC that is not one
// of the account's in the instance's region.
func vpcChoiceError(vpcID string) components.Errors {
	return components.Errors{rules.FieldVpc: fmt.Sprintf("The VPC %q is not one of your VPCs in this instance's region. Choose one of the list.", rules.Shorten(vpcID))}
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
