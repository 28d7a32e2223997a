package rules

// Dedicated instances: creation, changes (name, HTTPS policy) and deletion.

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
	return appendIf(errs, checkHTTPSPolicy(in.HTTPSPolicy))
}

// checkHTTPSPolicy refuses an empty or unknown HTTPS security policy; nil
// for one of HTTPSPolicies().
func checkHTTPSPolicy(p string) *Error {
	switch {
	case p == "":
		return invalid(FieldHTTPSPolicy, CodeInvalidHTTPSPolicy, "Choose an HTTPS security policy.")
	case !KnownHTTPSPolicy(p):
		return invalid(FieldHTTPSPolicy, CodeInvalidHTTPSPolicy,
			"The HTTPS security policy %q does not exist. Choose HTTPS1_1_TLS1_0, HTTPS2_TLS1_0 or HTTPS2_TLS1_2.", Shorten(p))
	}
	return nil
}

// InstanceChange is what modifying a dedicated instance asks for
// (Alibaba's ModifyInstanceAttribute): a new name, a new HTTPS security
// policy, or both. A nil field keeps its value.
type InstanceChange struct {
	Name        *string
	HTTPSPolicy *string
}

// CheckModifyInstance decides whether the account may change inst as ch
// asks, and returns the instance as changed. The platform's shared
// instances are read-only; another account's dedicated instance does not
// exist for the caller; a change names at least one attribute; a given
// name and policy are read by the input policy (surrounding space
// dropped) and checked as creation checks them, except that an empty
// policy is refused rather than defaulted: a change says what it wants.
// The refusals of both fields come together, for a form to mark both.
func CheckModifyInstance(inst Instance, accountID string, ch InstanceChange) (Instance, []*Error) {
	if err := CheckInstanceChangeable(inst, accountID); err != nil {
		return inst, []*Error{err}
	}
	if ch.Name == nil && ch.HTTPSPolicy == nil {
		return inst, []*Error{invalid("", CodeNothingToModify,
			"Nothing to change: give a new instance name (InstanceName), a new HTTPS security policy (HttpsPolicy), or both.")}
	}
	var errs []*Error
	if ch.Name != nil {
		inst.Name = TrimField(*ch.Name)
		errs = append(errs, checkResourceName(CodeInvalidInstanceName, "instance", inst.Name)...)
	}
	if ch.HTTPSPolicy != nil {
		inst.HTTPSPolicy = TrimField(*ch.HTTPSPolicy)
		errs = appendIf(errs, checkHTTPSPolicy(inst.HTTPSPolicy))
	}
	return inst, errs
}

// CheckInstanceChangeable decides whether an instance's attributes can be
// changed at all, whatever the change: a shared instance belongs to the
// platform, and another account's is not found.
func CheckInstanceChangeable(inst Instance, accountID string) *Error {
	switch {
	case inst.Type == InstanceShared:
		return invalid(FieldInstance, CodeSharedInstanceReadOnly,
			"The instance %s is a shared instance. Shared instances belong to the platform: their name and HTTPS policy cannot be changed.", inst.ID)
	case !inst.Dedicated() || inst.AccountID != accountID:
		return InstanceNotFound(inst.ID)
	}
	return nil
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
