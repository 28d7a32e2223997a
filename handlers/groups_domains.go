package handlers

import (
	"fmt"
	"net/http"
	"time"

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

// groupDomain reads the group of the path's :id and its custom domain
// :name; either absent (or another account's) is Not Found.
func (h *Handler) groupDomain(c echo.Context) (store.GroupDetail, rules.CustomDomain, error) {
	d, err := h.groupDetail(c)
	if err != nil {
		return store.GroupDetail{}, rules.CustomDomain{}, err
	}
	cd, err := groupCustomDomain(c, d)
	if err != nil {
		return store.GroupDetail{}, rules.CustomDomain{}, err
	}
	return d, cd, nil
}

// GroupUnbindDomainPage asks to confirm unbinding a custom domain.
func (h *Handler) GroupUnbindDomainPage(c echo.Context) error {
	d, cd, err := h.groupDomain(c)
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
	d, cd, err := h.groupDomain(c)
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

// A custom domain's HTTPS certificate (R9): the console's door to
// SetDomainCertificate and DeleteDomainCertificate, through the same store
// methods, so the same input gets the same refusal by either door.

// GroupDomainCertificatePage is the Upload (or Replace) Certificate dialog
// of a custom domain of the group.
func (h *Handler) GroupDomainCertificatePage(c echo.Context) error {
	d, cd, err := h.groupDomain(c)
	if err != nil {
		return err
	}
	// Replacing keeps the current name unless the operator types another.
	return h.renderDomainCertificate(c, http.StatusOK, d, cd, pages.GroupDomainCertificateProps{CertName: cd.CertName}, nil)
}

// GroupDomainCertificateUpload sets the certificate of a custom domain of
// the group, replacing the one it has; the gateway serves it from the
// next handshake on.
func (h *Handler) GroupDomainCertificateUpload(c echo.Context) error {
	d, cd, err := h.groupDomain(c)
	if err != nil {
		return err
	}
	form := pages.GroupDomainCertificateProps{CertName: c.FormValue("cert_name"), Certificate: c.FormValue("certificate")}
	set, err := h.store.SetDomainCertificate(c.Request().Context(), currentPrincipal(c).actor(), d.ID, rules.DomainInput{
		Name:     cd.Name,
		CertName: form.CertName,
		CertPEM:  form.Certificate,
		KeyPEM:   c.FormValue("key"),
	})
	if err != nil {
		if re, ok := rules.AsError(err); ok && re.Kind == rules.KindNotFound {
			return notFoundOr(err) // the group or the domain went meanwhile
		}
		errs, status, ok := formErrors(c, err)
		if !ok {
			return err
		}
		return h.renderDomainCertificate(c, status, d, cd, form, formFields(errs, "cert_name", "certificate", "key"))
	}
	verb := "uploaded for"
	if cd.CertPEM != "" {
		verb = "replaced on"
	}
	h.flash(c, "success", fmt.Sprintf("Certificate %s %s %s; HTTPS to it is served with this certificate from now on.",
		certificateLabel(set.CertName, set.CertPEM), verb, set.Name))
	return redirect(c, paths.Group(d.ID))
}

func (h *Handler) renderDomainCertificate(c echo.Context, status int, d store.GroupDetail, cd rules.CustomDomain, props pages.GroupDomainCertificateProps, errs components.Errors) error {
	props.GroupID, props.GroupName, props.Domain = d.ID, d.Name, cd.Name
	props.HasCurrent, props.CurrentName, props.CurrentExpires = cd.CertPEM != "", cd.CertName, cd.CertExpires
	props.Errors, props.Modal = errs, isFragmentRequest(c)
	return render(c, status, h.chrome(c, props.Title(), groupsNav), pages.GroupDomainCertificatePage(props))
}

// certificateLabel names a certificate in a message: its name, else its id.
func certificateLabel(name, certPEM string) string {
	if name != "" {
		return fmt.Sprintf("%q", name)
	}
	return rules.CertificateID(certPEM)
}

// GroupDomainCertificateDeletePage asks to confirm deleting the
// certificate of a custom domain of the group.
func (h *Handler) GroupDomainCertificateDeletePage(c echo.Context) error {
	d, cd, err := h.groupDomain(c)
	if err != nil {
		return err
	}
	return h.renderConfirm(c, groupsNav, domainCertificateDeleteDialog(c, d, cd))
}

func domainCertificateDeleteDialog(c echo.Context, d store.GroupDetail, cd rules.CustomDomain) pages.ConfirmProps {
	props := pages.ConfirmProps{
		Dialog: dialogOf(c, "domain-cert-delete-dialog", "Delete Certificate", paths.Group(d.ID)),
		Action: paths.GroupAction(d.ID, "domains/"+cd.Name+"/certificate/delete"),
		Submit: "Delete",
		Danger: true,
	}
	if cd.CertPEM == "" {
		props.Refusal = refusalOf(rules.CheckDeleteCertificate(cd))
		return props
	}
	props.Lines = []string{
		fmt.Sprintf("Delete the certificate %s of %s (API group %s), expiring %s?",
			certificateLabel(cd.CertName, cd.CertPEM), cd.Name, d.Name, cd.CertExpires.UTC().Format(time.DateOnly)), // as the table writes dates
		fmt.Sprintf("HTTPS calls to %s then fail: at the TLS handshake on the gateway's HTTPS listener, and with 502 through the proxy (R9); the gateway has no other certificate to serve for a custom domain. HTTP calls to it go on as before, and the domain stays bound.", cd.Name),
	}
	props.Notes = []string{"APIs of the group that accept HTTPS only cannot be called through " + cd.Name + " until a certificate is uploaded again."}
	props.Fields = pages.DomainCertificateIDField(rules.CertificateID(cd.CertPEM))
	return props
}

// GroupDomainCertificateDelete deletes the certificate of a custom domain
// of the group, the one the dialog showed (certificate_id): one replaced
// meanwhile stays.
func (h *Handler) GroupDomainCertificateDelete(c echo.Context) error {
	d, cd, err := h.groupDomain(c)
	if err != nil {
		return err
	}
	if err := rules.CheckDeleteCertificate(cd); err != nil {
		return h.confirmRefused(c, err, groupsNav, domainCertificateDeleteDialog(c, d, cd))
	}
	certID := c.FormValue("certificate_id")
	if certID == "" { // a form of its own, not the dialog's: the certificate it has
		certID = rules.CertificateID(cd.CertPEM)
	}
	removed, err := h.store.DeleteDomainCertificate(c.Request().Context(), currentPrincipal(c).actor(), d.ID, cd.Name, certID)
	if err != nil {
		return h.confirmRefused(c, err, groupsNav, domainCertificateDeleteDialog(c, d, cd))
	}
	if !removed {
		h.flash(c, "info", fmt.Sprintf("The certificate of %s changed meanwhile (replaced, deleted, or the domain unbound); nothing was deleted.", cd.Name))
		return redirect(c, paths.Group(d.ID))
	}
	h.flash(c, "success", fmt.Sprintf("Certificate %s deleted from %s; HTTPS calls to it now fail (at the handshake, or 502 through the proxy), HTTP calls go on.",
		certificateLabel(cd.CertName, cd.CertPEM), cd.Name))
	return redirect(c, paths.Group(d.ID))
}
