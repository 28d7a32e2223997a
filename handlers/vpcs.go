package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/gateway"
	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/components"
	"gatehouse/views/pages"
	"gatehouse/views/paths"
)

// Network › VPCs: the account's VPCs and their vSwitches.

// VpcsPage lists the account's VPCs, all or those of one region.
func (h *Handler) VpcsPage(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	props := pages.VpcsProps{
		Region:        rules.TrimField(c.QueryParam("region")),
		RegionOptions: regionOptions(),
		CanChange:     p.User.Role.CanChange(),
	}
	status := http.StatusOK
	if props.Region != "" {
		if _, ok := rules.RegionByID(props.Region); !ok {
			props.Errors = components.Errors{rules.FieldRegion: {fmt.Sprintf("The region %q does not exist. Choose one of the list.", props.Region)}}
			return render(c, http.StatusUnprocessableEntity, h.chrome(c, "VPCs", "vpcs"), pages.VpcsPage(props))
		}
	}
	vpcs, err := h.store.ListVpcs(ctx, p.Account.ID, props.Region)
	if err != nil {
		return err
	}
	insts, err := h.store.ListInstances(ctx, p.Account.ID, props.Region)
	if err != nil {
		return err
	}
	for _, v := range vpcs {
		item := pages.VpcItem{VPC: v.VPC, VSwitches: v.VSwitches}
		for _, in := range insts {
			if in.VpcID == v.ID {
				item.Instances = append(item.Instances, instanceRef(in))
			}
		}
		props.Vpcs = append(props.Vpcs, item)
	}
	return render(c, status, h.chrome(c, "VPCs", "vpcs"), pages.VpcsPage(props))
}

// VpcNewPage shows the Create VPC dialog.
func (h *Handler) VpcNewPage(c echo.Context) error {
	props := pages.VpcNewProps{
		Modal:         isFragmentRequest(c),
		Region:        c.QueryParam("region"),
		RegionOptions: regionOptions(),
	}
	if _, ok := rules.RegionByID(props.Region); !ok {
		props.Region = rules.Regions()[0].ID
	}
	return render(c, http.StatusOK, h.chrome(c, "Create VPC", "vpcs"), pages.VpcNewPage(props))
}

// VpcCreate creates a VPC and opens its page.
func (h *Handler) VpcCreate(c echo.Context) error {
	p := currentPrincipal(c)
	in := rules.VpcInput{
		Name:        c.FormValue("name"),
		Description: c.FormValue("description"),
		RegionID:    c.FormValue("region"),
		CIDR:        c.FormValue("cidr"),
	}.Normalize() // the store does it too; the form shows what was read
	v, err := h.store.CreateVpc(c.Request().Context(), p.actor(), in)
	if err != nil {
		errs, status, ok := formErrors(c, err)
		if !ok {
			return err
		}
		props := pages.VpcNewProps{
			Modal: isFragmentRequest(c), Name: in.Name, Description: in.Description, Region: in.RegionID, CIDR: in.CIDR,
			RegionOptions: regionOptions(), Errors: formFields(errs, "name", "description", "region", "cidr"),
		}
		return render(c, status, h.chrome(c, "Create VPC", "vpcs"), pages.VpcNewPage(props))
	}
	h.flash(c, "success", fmt.Sprintf("VPC %s (%s) created in %s.", v.ID, v.Name, rules.RegionName(v.RegionID)))
	return redirect(c, paths.Vpc(v.ID))
}

// VpcPage shows a VPC with its vSwitches and what is bound to them.
func (h *Handler) VpcPage(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	v, err := h.store.GetVpc(ctx, p.Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	bound, err := h.vpcBoundInstances(c, v.VPC)
	if err != nil {
		return err
	}
	props := pages.VpcProps{Vpc: v.VPC, CanChange: p.User.Role.CanChange(),
		ProxyURL:       h.gw.ProxyURL(gateway.Network{Kind: rules.CallerVpc, Vpc: &v.VPC}),
		HybridProxyURL: h.gw.ProxyURL(gateway.Network{Kind: rules.CallerHybrid, Vpc: &v.VPC}),
	}
	for _, in := range bound {
		props.Instances = append(props.Instances, instanceRef(in))
	}
	for _, w := range v.VSwitches {
		item := pages.VSwitchItem{VSwitch: w}
		var through []store.InstanceRow
		for _, in := range bound {
			if in.VSwitchID == w.ID {
				item.Instances = append(item.Instances, instanceRef(in))
				through = append(through, in)
			}
		}
		if props.CanChange {
			item.Delete = components.Action{ID: "vswitch-" + w.ID + "-delete", Href: paths.VpcAction(v.ID, "vswitches/"+w.ID+"/delete"),
				Label: "Delete", Class: "btn small danger", Refusal: vswitchDeleteRefusal(w, through)}
		}
		props.VSwitches = append(props.VSwitches, item)
	}
	if props.CanChange {
		props.Actions = []components.Action{
			{ID: "vpc-vswitch-new", Href: paths.VpcAction(v.ID, "vswitches/new"), Label: "Create vSwitch", Class: "btn primary"},
			{ID: "vpc-delete", Href: paths.VpcAction(v.ID, "delete"), Label: "Delete VPC", Class: "btn danger", Refusal: vpcDeleteRefusal(v, bound)},
		}
	}
	return render(c, http.StatusOK, h.chrome(c, v.Name+" · VPC", "vpcs"), pages.VpcPage(props))
}

// vpcBoundInstances are the account's dedicated instances bound to a VPC.
func (h *Handler) vpcBoundInstances(c echo.Context, v rules.VPC) ([]store.InstanceRow, error) {
	insts, err := h.store.ListInstances(c.Request().Context(), currentPrincipal(c).Account.ID, v.RegionID)
	if err != nil {
		return nil, err
	}
	var out []store.InstanceRow
	for _, in := range insts {
		if in.VpcID == v.ID {
			out = append(out, in)
		}
	}
	return out, nil
}

// VSwitchNewPage shows the Create vSwitch dialog of a VPC.
func (h *Handler) VSwitchNewPage(c echo.Context) error {
	v, err := h.store.GetVpc(c.Request().Context(), currentPrincipal(c).Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	// The CIDR field starts on the VPC's next free block.
	next := rules.SuggestVSwitchCIDR(v.CIDR, v.VSwitches)
	props := pages.VSwitchNewProps{Modal: isFragmentRequest(c), Vpc: v.VPC, CIDR: next, Suggested: next, ZoneOptions: zoneOptions(v.RegionID)}
	return render(c, http.StatusOK, h.chrome(c, "Create vSwitch", "vpcs"), pages.VSwitchNewPage(props))
}

// VSwitchCreate creates a vSwitch in a VPC and shows the VPC.
func (h *Handler) VSwitchCreate(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	v, err := h.store.GetVpc(ctx, p.Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	in := rules.VSwitchInput{
		VpcID:  v.ID,
		Name:   c.FormValue("name"),
		ZoneID: c.FormValue("zone"),
		CIDR:   c.FormValue("cidr"),
	}.Normalize() // the store does it too; the form shows what was read
	w, err := h.store.CreateVSwitch(ctx, p.actor(), in)
	if err != nil {
		errs, status, ok := formErrors(c, err)
		if !ok {
			return err
		}
		props := pages.VSwitchNewProps{
			Modal: isFragmentRequest(c), Vpc: v.VPC, Name: in.Name, Zone: in.ZoneID, CIDR: in.CIDR, Suggested: rules.SuggestVSwitchCIDR(v.CIDR, v.VSwitches),
			ZoneOptions: zoneOptions(v.RegionID), Errors: formFields(errs, "name", "zone", "cidr"),
		}
		return render(c, status, h.chrome(c, "Create vSwitch", "vpcs"), pages.VSwitchNewPage(props))
	}
	h.flash(c, "success", fmt.Sprintf("vSwitch %s (%s, %s) created in VPC %s.", w.ID, w.ZoneID, w.CIDR, v.ID))
	return redirect(c, paths.Vpc(v.ID))
}

// vswitchOfVpc finds the vSwitch named in the path among the VPC's; any
// other answers 404.
func vswitchOfVpc(v store.VpcWithVSwitches, id string) (rules.VSwitch, error) {
	for _, w := range v.VSwitches {
		if w.ID == id {
			return w, nil
		}
	}
	return rules.VSwitch{}, notFoundOr(rules.VSwitchNotFound(id))
}

// vswitchDeleteProps describes the Delete vSwitch dialog. The rules answer
// first: not while a dedicated instance holds its VPC endpoint in it (the
// way out: those instances, to unbind or rebind).
func (h *Handler) vswitchDeleteProps(c echo.Context, v rules.VPC, w rules.VSwitch) (pages.ConfirmProps, error) {
	props := pages.ConfirmProps{
		Dialog: dialogOf(c, "vswitch-delete", "Delete vSwitch", paths.Vpc(v.ID)),
		Action: paths.VpcAction(v.ID, "vswitches/"+w.ID+"/delete"),
		Lines:  []string{fmt.Sprintf("Delete the vSwitch %q (%s, %s, %s) of the VPC %s? This cannot be undone.", w.Name, w.ID, w.ZoneID, w.CIDR, v.ID)},
		Submit: "Delete", Danger: true,
	}
	bound, err := h.vpcBoundInstances(c, v)
	if err != nil {
		return props, err
	}
	var through []store.InstanceRow
	for _, in := range bound {
		if in.VSwitchID == w.ID {
			through = append(through, in)
		}
	}
	props.Refusal = vswitchDeleteRefusal(w, through)
	return props, nil
}

// vswitchDeleteRefusal refuses deleting a vSwitch that holds the endpoint
// of instances, each a link (unbind or rebind it there); nil when allowed.
func vswitchDeleteRefusal(w rules.VSwitch, through []store.InstanceRow) *components.Refusal {
	return briefly(refusalOf(rules.CheckDeleteVSwitch(w, instancesOf(through)), instanceLinks(through)...),
		"it holds the VPC endpoint of %s.", rules.Plural(len(through), "dedicated instance", "dedicated instances"))
}

// vpcDeleteRefusal refuses deleting a VPC while instances are bound to it
// (each a link) or it has vSwitches (each a link to its Delete dialog);
// nil when allowed.
func vpcDeleteRefusal(v store.VpcWithVSwitches, bound []store.InstanceRow) *components.Refusal {
	wayOut := instanceLinks(bound)
	if len(bound) == 0 {
		for _, w := range v.VSwitches {
			wayOut = append(wayOut, components.Link{Href: paths.VpcAction(v.ID, "vswitches/"+w.ID+"/delete"), Label: "Delete the vSwitch " + w.Name + " (" + w.ID + ")"})
		}
	}
	return refusalOf(rules.CheckDeleteVpc(v.VPC, v.VSwitches, instancesOf(bound)), wayOut...)
}

// instanceRef is an instance as a page links it: name and id.
func instanceRef(r store.InstanceRow) pages.InstanceRef {
	return pages.InstanceRef{ID: r.ID, Name: r.Name}
}

// instancesOf are the instances of rows, as the rules take them.
func instancesOf(rows []store.InstanceRow) []rules.Instance {
	out := make([]rules.Instance, len(rows))
	for i, r := range rows {
		out[i] = r.Instance
	}
	return out
}

// instanceLinks lead to each instance's page, where its VPC can be unbound
// or changed.
func instanceLinks(rows []store.InstanceRow) []components.Link {
	out := make([]components.Link, len(rows))
	for i, r := range rows {
		out[i] = components.Link{Href: paths.Instance(r.ID), Label: "Dedicated instance " + r.Name + " (" + r.ID + ")"}
	}
	return out
}

// VSwitchDeletePage asks to confirm deleting a vSwitch.
func (h *Handler) VSwitchDeletePage(c echo.Context) error {
	v, err := h.store.GetVpc(c.Request().Context(), currentPrincipal(c).Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	w, err := vswitchOfVpc(v, c.Param("vsw"))
	if err != nil {
		return err
	}
	props, err := h.vswitchDeleteProps(c, v.VPC, w)
	if err != nil {
		return err
	}
	return h.renderConfirm(c, "vpcs", props)
}

// VSwitchDelete deletes a vSwitch; one an instance is bound through is
// refused, and the dialog says why.
func (h *Handler) VSwitchDelete(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	v, err := h.store.GetVpc(ctx, p.Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	w, err := vswitchOfVpc(v, c.Param("vsw"))
	if err != nil {
		return err
	}
	if err := h.store.DeleteVSwitch(ctx, p.actor(), w.ID); err != nil {
		props, perr := h.vswitchDeleteProps(c, v.VPC, w)
		if perr != nil {
			return perr
		}
		return h.confirmRefused(c, err, "vpcs", props)
	}
	h.flash(c, "success", fmt.Sprintf("vSwitch %s deleted.", w.ID))
	return redirect(c, paths.Vpc(v.ID))
}

// vpcDeleteProps describes the Delete VPC dialog. The rules answer first:
// not while a dedicated instance is bound to it, nor while it has
// vSwitches (the way out: those instances, or the VPC's vSwitches).
func (h *Handler) vpcDeleteProps(c echo.Context, v store.VpcWithVSwitches) (pages.ConfirmProps, error) {
	props := pages.ConfirmProps{
		Dialog: dialogOf(c, "vpc-delete", "Delete VPC", paths.Vpc(v.ID)),
		Action: paths.VpcAction(v.ID, "delete"),
		Lines:  []string{fmt.Sprintf("Delete the VPC %q (%s, %s, %s)? This cannot be undone.", v.Name, v.ID, v.CIDR, rules.RegionName(v.RegionID))},
		Submit: "Delete", Danger: true,
	}
	bound, err := h.vpcBoundInstances(c, v.VPC)
	if err != nil {
		return props, err
	}
	props.Refusal = vpcDeleteRefusal(v, bound)
	return props, nil
}

// VpcDeletePage asks to confirm deleting a VPC.
func (h *Handler) VpcDeletePage(c echo.Context) error {
	v, err := h.store.GetVpc(c.Request().Context(), currentPrincipal(c).Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	props, err := h.vpcDeleteProps(c, v)
	if err != nil {
		return err
	}
	return h.renderConfirm(c, "vpcs", props)
}

// VpcDelete deletes a VPC; one with vSwitches or a bound instance is
// refused, and the dialog says what to do first.
func (h *Handler) VpcDelete(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	v, err := h.store.GetVpc(ctx, p.Account.ID, c.Param("id"))
	if err != nil {
		return notFoundOr(err)
	}
	if err := h.store.DeleteVpc(ctx, p.actor(), v.ID); err != nil {
		props, perr := h.vpcDeleteProps(c, v)
		if perr != nil {
			return perr
		}
		return h.confirmRefused(c, err, "vpcs", props)
	}
	h.flash(c, "success", fmt.Sprintf("VPC %s (%s) deleted.", v.ID, v.Name))
	return redirect(c, paths.Vpcs)
}
