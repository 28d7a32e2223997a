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

// Custom domains of a group (R9).

// GroupBindDomainPage is the Bind Domain Name dialog.
func (h *Handler) GroupBindDomainPage(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	return h.renderGroupBindDomain(c, http.StatusOK, d, pages.GroupBindDomainProps{NetworkType: string(rules.NetworkInternet)}, nil)
}

// GroupBindDomain binds a custom domain to the group; the flash names the
// CNAME record to create.
func (h *Handler) GroupBindDomain(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	form := pages.GroupBindDomainProps{
		Domain:      c.FormValue("domain"),
		NetworkType: c.FormValue("network_type"),
		CertName:    c.FormValue("cert_name"),
		Certificate: c.FormValue("certificate"),
		Force:       c.FormValue("force") != "",
	}
	in := rules.DomainInput{
		Name:     form.Domain,
		CertName: form.CertName,
		CertPEM:  form.Certificate,
		KeyPEM:   c.FormValue("key"),
		Force:    form.Force,
	}
	// An unknown network type is kept as typed, so the validator names it.
	in.NetworkType = rules.NetworkType(form.NetworkType)
	if nt, ok := rules.ParseNetworkType(form.NetworkType); ok {
		in.NetworkType = nt
	}
	cd, err := h.store.BindDomain(c.Request().Context(), currentPrincipal(c).actor(), d.ID, in)
	if err != nil {
		if rules.HasCode(err, rules.CodeGroupNotFound) {
			return notFoundOr(err)
		}
		errs, status, ok := formErrors(c, err)
		if !ok {
			return err
		}
		return h.renderGroupBindDomain(c, status, d, form,
			formFields(errs, "domain", "network_type", "cert_name", "certificate", "key", "force"))
	}
	msg := fmt.Sprintf("Domain name %s bound to API group %s (%s). Add a CNAME record: %s → %s.",
		cd.Name, cd.Group.Name, cd.NetworkType, cd.Name, cd.CNAMETarget())
	h.flash(c, "success", msg)
	return redirect(c, paths.Group(d.ID))
}

func (h *Handler) renderGroupBindDomain(c echo.Context, status int, d store.GroupDetail, props pages.GroupBindDomainProps, errs components.Errors) error {
	props.GroupID, props.GroupName, props.PublicDomain = d.ID, d.Name, d.PublicDomain()
	if d.VpcDomainEnabled {
		props.VpcDomain = d.VpcDomain()
	}
	props.Errors, props.Modal = errs, isFragmentRequest(c)
	return render(c, status, h.chrome(c, "Bind Domain Name", groupsNav), pages.GroupBindDomainPage(props))
}

// groupCustomDomain finds the custom domain named in the path among the
// group's: 404 when the group does not have it.
func groupCustomDomain(c echo.Context, d store.GroupDetail) (rules.CustomDomain, error) {
	name := rules.NormalizeDomain(c.Param("name"))
	for _, cd := range d.Domains {
		if cd.Name == name {
			return cd, nil
		}
	}
	return rules.CustomDomain{}, notFoundOr(rules.DomainNotFound(name))
}

// GroupUnbindDomainPage asks to confirm unbinding a custom domain.
func (h *Handler) GroupUnbindDomainPage(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	cd, err := groupCustomDomain(c, d)
	if err != nil {
		return err
	}
	return h.renderConfirm(c, groupsNav, groupUnbindDialog(c, d, cd))
}

func groupUnbindDialog(c echo.Context, d store.GroupDetail, cd rules.CustomDomain) pages.ConfirmProps {
	return pages.ConfirmProps{
		Dialog: dialogOf(c, "group-unbind-dialog", "Unbind Domain Name", paths.Group(d.ID)),
		Lines: []string{
			fmt.Sprintf("Unbind the domain name %s from the API group %s?", cd.Name, d.Name),
			fmt.Sprintf("Calls to %s stop reaching the group at once. Remove its CNAME record to %s too.", cd.Name, rules.CNAMETarget(d.Group, cd.NetworkType)),
		},
		Action: paths.GroupAction(d.ID, "domains/"+cd.Name+"/unbind"),
		Submit: "Unbind",
		Danger: true,
	}
}

// GroupUnbindDomain unbinds a custom domain from the group.
func (h *Handler) GroupUnbindDomain(c echo.Context) error {
	d, err := h.groupDetail(c)
	if err != nil {
		return err
	}
	cd, err := groupCustomDomain(c, d)
	if err != nil {
		return err
	}
	removed, err := h.store.UnbindDomain(c.Request().Context(), currentPrincipal(c).actor(), d.ID, cd.Name)
	if err != nil {
		return h.confirmRefused(c, err, groupsNav, groupUnbindDialog(c, d, cd))
	}
	msg := fmt.Sprintf("Domain name %s unbound from API group %s. Remove its CNAME record.", cd.Name, d.Name)
	if !removed { // unbound meanwhile
		msg = fmt.Sprintf("Domain name %s was no longer bound to API group %s; nothing changed.", cd.Name, d.Name)
	}
	h.flash(c, "success", msg)
	return redirect(c, paths.Group(d.ID))
}
