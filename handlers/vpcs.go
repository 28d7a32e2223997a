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

// Network › VPCs: the account's VPCs and their vSwitches.

// VpcsPage lists the account's VPCs, all or those of one region.
func (h *Handler) VpcsPage(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	props := pages.VpcsProps{
		Region:        rules.TrimField(c.QueryParam("region")),
		RegionOptions: netRegionOptions(),
		CanChange:     p.User.Role.CanChange(),
	}
	status := http.StatusOK
	if props.Region != "" {
		if _, ok := rules.RegionByID(props.Region); !ok {
			props.Errors = components.Errors{rules.FieldRegion: fmt.Sprintf("The region %q does not exist. Choose one of the list.", props.Region)}
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
				item.Instances = append(item.Instances, in.ID)
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
		RegionOptions: netRegionOptions(),
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
		errs, status, ok := formErrors(err)
		if !ok {
			return err
		}
		props := pages.VpcNewProps{
			Modal: isFragmentRequest(c), Name: in.Name, Description: in.Description, Region: in.RegionID, CIDR: in.CIDR,
			RegionOptions: netRegionOptions(), Errors: formFields(errs, "name", "description", "region", "cidr"),
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
	props := pages.VpcProps{Vpc: v.VPC, CanChange: p.User.Role.CanChange()}
	for _, in := range bound {
		props.Instances = append(props.Instances, in.ID)
	}
	for _, w := range v.VSwitches {
		item := pages.VSwitchItem{VSwitch: w}
		for _, in := range bound {
			if in.VSwitchID == w.ID {
				item.Instances = append(item.Instances, in.ID)
			}
		}
		props.VSwitches = append(props.VSwitches, item)
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
	props := pages.VSwitchNewProps{Modal: isFragmentRequest(c), Vpc: v.VPC, ZoneOptions: netZoneOptions(v.RegionID)}
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
		errs, status, ok := formErrors(err)
		if !ok {
			return err
		}
		props := pages.VSwitchNewProps{
			Modal: isFragmentRequest(c), Vpc: v.VPC, Name: in.Name, Zone: in.ZoneID, CIDR: in.CIDR,
			ZoneOptions: netZoneOptions(v.RegionID), Errors: formFields(errs, "name", "zone", "cidr"),
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

// vswitchDeleteProps describes the Delete vSwitch dialog.
func (h *Handler) vswitchDeleteProps(c echo.Context, v rules.VPC, w rules.VSwitch) (pages.NetConfirmProps, error) {
	props := pages.NetConfirmProps{
		Dialog: components.Dialog{ID: "vswitch-delete", Title: "Delete vSwitch", Modal: isFragmentRequest(c), Cancel: paths.Vpc(v.ID)},
		Action: paths.VpcAction(v.ID, "vswitches/"+w.ID+"/delete"),
		Lead:   fmt.Sprintf("Delete the vSwitch %q (%s, %s, %s) of the VPC %s? This cannot be undone.", w.Name, w.ID, w.ZoneID, w.CIDR, v.ID),
		Submit: "Delete", Danger: true,
	}
	bound, err := h.vpcBoundInstances(c, v)
	if err != nil {
		return props, err
	}
	for _, in := range bound {
		if in.VSwitchID == w.ID {
			props.Notes = append(props.Notes, fmt.Sprintf("The dedicated instance %s holds its VPC endpoint (%s) in this vSwitch: the deletion is refused until you unbind the VPC from it or bind it through another vSwitch.", in.ID, in.EndpointIP))
		}
	}
	return props, nil
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
	return render(c, http.StatusOK, h.chrome(c, "Delete vSwitch", "vpcs"), pages.NetConfirmPage(props))
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
		errs, status, ok := formErrors(err)
		if !ok {
			return err
		}
		props, perr := h.vswitchDeleteProps(c, v.VPC, w)
		if perr != nil {
			return perr
		}
		props.Errors = formFields(errs)
		return render(c, status, h.chrome(c, "Delete vSwitch", "vpcs"), pages.NetConfirmPage(props))
	}
	h.flash(c, "success", fmt.Sprintf("vSwitch %s deleted.", w.ID))
	return redirect(c, paths.Vpc(v.ID))
}

// vpcDeleteProps describes the Delete VPC dialog.
func (h *Handler) vpcDeleteProps(c echo.Context, v store.VpcWithVSwitches) (pages.NetConfirmProps, error) {
	props := pages.NetConfirmProps{
		Dialog: components.Dialog{ID: "vpc-delete", Title: "Delete VPC", Modal: isFragmentRequest(c), Cancel: paths.Vpc(v.ID)},
		Action: paths.VpcAction(v.ID, "delete"),
		Lead:   fmt.Sprintf("Delete the VPC %q (%s, %s, %s)? This cannot be undone.", v.Name, v.ID, v.CIDR, rules.RegionName(v.RegionID)),
		Submit: "Delete", Danger: true,
	}
	bound, err := h.vpcBoundInstances(c, v.VPC)
	if err != nil {
		return props, err
	}
	if n := len(bound); n > 0 {
		props.Notes = append(props.Notes, fmt.Sprintf("%s bound to this VPC. Unbind the VPC from %s first.",
			netCount(n, "dedicated instance is", "dedicated instances are"), netThem(n)))
	}
	if n := len(v.VSwitches); n > 0 {
		props.Notes = append(props.Notes, fmt.Sprintf("This VPC still has %s. Delete its vSwitches first.", netCount(n, "vSwitch", "vSwitches")))
	}
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
	return render(c, http.StatusOK, h.chrome(c, "Delete VPC", "vpcs"), pages.NetConfirmPage(props))
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
		errs, status, ok := formErrors(err)
		if !ok {
			return err
		}
		props, perr := h.vpcDeleteProps(c, v)
		if perr != nil {
			return perr
		}
		props.Errors = formFields(errs)
		return render(c, status, h.chrome(c, "Delete VPC", "vpcs"), pages.NetConfirmPage(props))
	}
	h.flash(c, "success", fmt.Sprintf("VPC %s (%s) deleted.", v.ID, v.Name))
	return redirect(c, paths.Vpcs)
}

// netRegionOptions lists the region catalogue for a select.
func netRegionOptions() []components.Option {
	var out []components.Option
	for _, r := range rules.Regions() {
		out = append(out, components.Option{Value: r.ID, Label: r.Name + " · " + r.ID})
	}
	return out
}

// netZoneOptions lists a region's zones for a select; none for an unknown
// region.
func netZoneOptions(regionID string) []components.Option {
	r, ok := rules.RegionByID(regionID)
	if !ok {
		return nil
	}
	out := make([]components.Option, len(r.Zones))
	for i, z := range r.Zones {
		out[i] = components.Option{Value: z, Label: z}
	}
	return out
}

// netCount writes "1 vSwitch" or "3 vSwitches".
func netCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// netThem is "it" or "them".
func netThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
