package rules

import "fmt"

// API groups: creation (R1), the VPC second-level domain (R2, R5) and
// moving a group to another instance (R8).

// GroupInput is what creating or modifying an API group asks for.
type GroupInput struct {
	Name        string
	Description string
	RegionID    string
	InstanceID  string
}

// Validate checks the syntax of R1 and the form of the region and instance.
// It returns one error per bad field; none means the input is well formed.
func (in GroupInput) Validate() []*Error {
	var errs []*Error
	errs = append(errs, checkGroupName(in.Name)...)
	errs = appendIf(errs, checkDescription(in.Description, GroupDescriptionMax))
	errs = appendIf(errs, checkRegion(in.RegionID))
	switch {
	case in.InstanceID == "":
		errs = append(errs, invalid(FieldInstance, CodeInvalidInstanceID, "Choose an instance."))
	case !IsInstanceID(in.InstanceID):
		errs = append(errs, invalid(FieldInstance, CodeInvalidInstanceID,
			"The instance id %q is malformed. Instance ids look like api-shared-vpc-001 or apigateway-cn-hangzhou-0123456789ab.", in.InstanceID))
	}
	return errs
}

// usableBy reports whether an account may put groups on the instance:
// every shared instance, and its own dedicated ones.
func usableBy(inst Instance, accountID string) bool {
	if inst.Dedicated() {
		return inst.AccountID == accountID
	}
	return inst.Type == InstanceShared
}

// CheckGroupPlacement decides whether a new group may go on inst: the
// instance must be shared or a dedicated instance of the account (anything
// else is not found), and in the group's region.
func CheckGroupPlacement(in GroupInput, inst Instance, accountID string) error {
	if !usableBy(inst, accountID) {
		return InstanceNotFound(in.InstanceID)
	}
	if inst.RegionID != in.RegionID {
		return regionMismatch(inst, in.RegionID, "the group is to be created")
	}
	return nil
}

func regionMismatch(inst Instance, regionID, doing string) *Error {
	return invalid(FieldInstance, CodeRegionMismatch,
		"The instance %s is in %s, but %s in %s. Choose an instance in %s.",
		inst.ID, RegionName(inst.RegionID), doing, RegionName(regionID), RegionName(regionID))
}

// DuplicateGroupName is R1's uniqueness refusal: the store finds the
// duplicate, this words it.
func DuplicateGroupName(name, regionID string) *Error {
	return conflict(FieldName, CodeDuplicateGroupName,
		"Your account already has a group named %q in %s. Group names are unique in each region; choose another name.",
		name, RegionName(regionID))
}

// CheckEnableVpcDomain decides R5: the VPC second-level domain of a group on
// a dedicated instance can be enabled only once the instance is bound to a
// VPC. Enabling it again is not refused; the store leaves it as it is.
func CheckEnableVpcDomain(g Group, inst Instance) error {
	if inst.Dedicated() && !inst.Bound() {
		return conflict("", CodeInstanceNotBoundToVpc,
			"If you do not bind the instance to a VPC, you cannot enable VPC second-level domain name for the API group. "+
				"The group %q runs on the dedicated instance %s, which is not bound to a VPC: "+
				"bind it on the Dedicated Instances page (Bind to VPC), then enable the VPC second-level domain again.",
			g.Name, inst.ID)
	}
	return nil
}

// CheckDisableVpcDomain decides whether a group's VPC second-level domain
// can be turned off: it must be on, and no INTRANET custom domain may still
// point at it.
func CheckDisableVpcDomain(g Group, groupDomains []CustomDomain) error {
	if !g.VpcDomainEnabled {
		return conflict("", CodeVpcDomainNotEnabled,
			"The VPC second-level domain of the group %q is not enabled, so there is nothing to disable.", g.Name)
	}
	var intranet []string
	for _, d := range groupDomains {
		if d.NetworkType == NetworkIntranet {
			intranet = append(intranet, d.Name)
		}
	}
	if len(intranet) > 0 {
		return conflict(FieldDomain, CodeVpcDomainInUse,
			"The VPC second-level domain of the group %q cannot be disabled while custom domains of network type INTRANET point at it: %s. "+
				"Unbind them first, or bind them again with network type INTERNET.",
			g.Name, quoteList(intranet, 3))
	}
	return nil
}

// CheckMoveGroup decides R8, moving group g from instance from to instance
// to. The target must be usable by the account (shared, or its own
// dedicated instance; anything else is not found), in the group's region,
// and another instance than the current one. A group with the VPC domain
// enabled moves to a dedicated instance only if that instance is bound to a
// VPC, and a group with intranetDomains INTRANET custom domains cannot move
// to a shared instance, which does not support them.
func CheckMoveGroup(g Group, from, to Instance, accountID string, intranetDomains int) error {
	if g.AccountID != accountID {
		return GroupNotFound(g.ID)
	}
	if !usableBy(to, accountID) {
		return InstanceNotFound(to.ID)
	}
	if to.ID == from.ID {
		return invalid(FieldInstance, CodeSameInstance,
			"The group %q is already on the instance %s. Choose another destination instance.", g.Name, to.ID)
	}
	if to.RegionID != g.RegionID {
		return regionMismatch(to, g.RegionID, fmt.Sprintf("the group %q is", g.Name))
	}
	if g.VpcDomainEnabled && to.Dedicated() && !to.Bound() {
		return conflict(FieldInstance, CodeInstanceNotBoundToVpc,
			"The VPC second-level domain is enabled for the group %q, so it can move to a dedicated instance only once a VPC is bound to that instance. "+
				"Bind the dedicated instance %s to a VPC on the Dedicated Instances page, then move the group; afterwards only that VPC reaches the group.",
			g.Name, to.ID)
	}
	if intranetDomains > 0 && !to.Dedicated() {
		return conflict(FieldInstance, CodeIntranetNotSupported,
			"The group %q has %s of network type INTRANET, and shared instances do not support custom domains on the VPC second-level domain. "+
				"Unbind them, or choose a dedicated instance.",
			g.Name, Plural(intranetDomains, "custom domain", "custom domains"))
	}
	return nil
}
