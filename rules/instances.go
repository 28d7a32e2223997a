package rules

// Dedicated instances: creation and deletion.

// InstanceInput is what creating a dedicated instance asks for.
type InstanceInput struct {
	Name        string
	RegionID    string
	ZoneID      string
	Spec        string
	HTTPSPolicy string // callers fill DefaultHTTPSPolicy when none was chosen
}

// Validate checks the name, the region, a zone of that region, the spec and
// the HTTPS policy against the catalogue.
func (in InstanceInput) Validate() []*Error {
	var errs []*Error
	errs = append(errs, checkResourceName(CodeInvalidInstanceName, "instance", in.Name)...)
	region := in.RegionID // the zone must be of this region, when it is one
	if err := checkRegion(in.RegionID); err != nil {
		errs, region = append(errs, err), ""
	}
	errs = appendIf(errs, checkZone(in.ZoneID, region))
	switch _, ok := SpecByID(in.Spec); {
	case in.Spec == "":
		errs = append(errs, invalid(FieldSpec, CodeInvalidInstanceSpec, "Choose an instance spec."))
	case !ok:
		errs = append(errs, invalid(FieldSpec, CodeInvalidInstanceSpec,
			"The instance spec %q does not exist. Choose one of api.s1.small, api.s1.medium, api.s2.large and api.s2.large.x2 to api.s2.large.x6.", in.Spec))
	}
	switch {
	case in.HTTPSPolicy == "":
		errs = append(errs, invalid(FieldHTTPSPolicy, CodeInvalidHTTPSPolicy, "Choose an HTTPS security policy."))
	case !KnownHTTPSPolicy(in.HTTPSPolicy):
		errs = append(errs, invalid(FieldHTTPSPolicy, CodeInvalidHTTPSPolicy,
			"The HTTPS security policy %q does not exist. Choose HTTPS1_1_TLS1_0, HTTPS2_TLS1_0 or HTTPS2_TLS1_2.", in.HTTPSPolicy))
	}
	return errs
}

// CheckDeleteInstance decides whether an instance can be deleted: shared
// instances belong to the platform and never can; a dedicated instance
// cannot while groups (their number) are on it.
func CheckDeleteInstance(inst Instance, groups int) error {
	switch {
	case inst.Type == InstanceShared:
		return invalid(FieldInstance, CodeSharedInstanceReadOnly,
			"The instance %s is a shared instance. Shared instances belong to the platform and cannot be deleted.", inst.ID)
	case !inst.Dedicated():
		return InstanceNotFound(inst.ID)
	}
	if groups > 0 {
		return conflict(FieldInstance, CodeInstanceInUse,
			"The dedicated instance %s still hosts %s. Move them to another instance or delete them first.",
			inst.ID, Plural(groups, "API group", "API groups"))
	}
	return nil
}
