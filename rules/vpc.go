package rules

import "net/netip"

// VPCs, vSwitches and the binding of a dedicated instance to a VPC (R4, R6,
// R7).

// VPC CIDR blocks are /8 to /24, vSwitch CIDR blocks /16 to /29.
const (
	VpcPrefixMin     = 8
	VpcPrefixMax     = 24
	VSwitchPrefixMin = 16
	VSwitchPrefixMax = 29
)

// VpcInput is what creating a VPC asks for.
type VpcInput struct {
	Name        string
	Description string
	RegionID    string
	CIDR        string
}

// Validate checks the name, the description, the region and the CIDR block:
// inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, prefix /8 to /24, and
// written with the block's first address.
func (in VpcInput) Validate() []*Error {
	var errs []*Error
	errs = append(errs, checkResourceName(CodeInvalidVpcName, "VPC", in.Name)...)
	errs = appendIf(errs, checkDescription(in.Description, VpcDescriptionMax))
	errs = appendIf(errs, checkRegion(in.RegionID))
	errs = appendIf(errs, checkVpcCIDR(in.CIDR))
	return errs
}

func checkVpcCIDR(s string) *Error {
	p, err := parseCIDR(s, "VPC", VpcPrefixMin, VpcPrefixMax)
	if err != nil {
		return err
	}
	for _, b := range privateBlocks {
		if prefixWithin(p, b) {
			return nil
		}
	}
	return invalid(FieldCIDR, CodeInvalidCidrBlock,
		"A VPC CIDR block lies inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16; %s does not.", s)
}

// VSwitchInput is what creating a vSwitch asks for.
type VSwitchInput struct {
	VpcID  string
	ZoneID string
	Name   string
	CIDR   string
}

// Validate checks the form of each field: a VPC id, a zone of the
// catalogue, a name, and a CIDR block of prefix /16 to /29 written with its
// first address. CheckVSwitchPlacement checks it against the VPC.
func (in VSwitchInput) Validate() []*Error {
	var errs []*Error
	if err, ok := AsError(CheckVpcID(in.VpcID)); ok {
		errs = append(errs, err)
	}
	errs = appendIf(errs, checkZone(in.ZoneID, ""))
	errs = append(errs, checkResourceName(CodeInvalidVSwitchName, "vSwitch", in.Name)...)
	if _, err := parseCIDR(in.CIDR, "vSwitch", VSwitchPrefixMin, VSwitchPrefixMax); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// CheckVSwitchPlacement decides whether a well-formed vSwitch fits its VPC:
// its zone in the VPC's region, its CIDR block inside the VPC's, and no
// overlap with the VPC's other vSwitches (siblings).
func CheckVSwitchPlacement(in VSwitchInput, vpc VPC, siblings []VSwitch) error {
	if err := checkZone(in.ZoneID, vpc.RegionID); err != nil {
		return err
	}
	p, err := parseCIDR(in.CIDR, "vSwitch", VSwitchPrefixMin, VSwitchPrefixMax)
	if err != nil {
		return err
	}
	outer, perr := netip.ParsePrefix(vpc.CIDR)
	if perr != nil || !prefixWithin(p, outer.Masked()) {
		return invalid(FieldCIDR, CodeVSwitchCidrOutsideVpc,
			"A vSwitch's CIDR block lies inside its VPC's; %s is outside %s, the CIDR block of the VPC %q.", in.CIDR, vpc.CIDR, vpc.Name)
	}
	for _, s := range siblings {
		q, serr := netip.ParsePrefix(s.CIDR)
		if serr == nil && q.Overlaps(p) {
			return conflict(FieldCIDR, CodeCidrOverlap,
				"The CIDR block %s overlaps %s of the vSwitch %q (%s) in the same VPC. Choose a block that does not overlap.",
				in.CIDR, s.CIDR, s.Name, s.ID)
		}
	}
	return nil
}

// CheckBindVpc decides R4, for a first binding and for a change (R6): the
// instance must be dedicated; the instance, the VPC and the vSwitch must be
// the account's (anything else is not found); the VPC must be in the
// instance's region and the vSwitch in the VPC. The store fills
// VSwitch.AccountID so that another account's vSwitch is not found too.
func CheckBindVpc(inst Instance, vpc VPC, vsw VSwitch, accountID string) error {
	if inst.Type == InstanceShared {
		return invalid(FieldInstance, CodeSharedInstanceReadOnly,
			"The instance %s is a shared instance, and shared instances are not bound to a VPC: once a group's VPC second-level domain is enabled, every VPC in the region reaches it. "+
				"To limit access to one VPC, use a dedicated instance.", inst.ID)
	}
	if !inst.Dedicated() || inst.AccountID != accountID {
		return InstanceNotFound(inst.ID)
	}
	if vpc.AccountID != accountID {
		return VpcNotFound(vpc.ID)
	}
	if vsw.AccountID != accountID {
		return VSwitchNotFound(vsw.ID)
	}
	if vpc.RegionID != inst.RegionID {
		return invalid(FieldVpc, CodeRegionMismatch,
			"The VPC %s is in %s, but the instance %s is in %s. An instance is bound to a VPC of its own region.",
			vpc.ID, RegionName(vpc.RegionID), inst.ID, RegionName(inst.RegionID))
	}
	if vsw.VpcID != vpc.ID {
		return invalid(FieldVSwitch, CodeVSwitchNotInVpc,
			"The vSwitch %s does not belong to the VPC %s. Choose one of that VPC's vSwitches.", vsw.ID, vpc.ID)
	}
	return nil
}

// CheckUnbindVpc decides R7: a dedicated instance's VPC can be unbound only
// while none of its groups has the VPC second-level domain enabled.
// vpcEnabledGroups are those groups.
func CheckUnbindVpc(inst Instance, vpcEnabledGroups []Group) error {
	switch {
	case inst.Type == InstanceShared:
		return invalid(FieldInstance, CodeSharedInstanceReadOnly,
			"The instance %s is a shared instance; shared instances are never bound to a VPC.", inst.ID)
	case !inst.Dedicated():
		return InstanceNotFound(inst.ID)
	}
	if !inst.Bound() {
		return conflict(FieldInstance, CodeInstanceNotBound,
			"The dedicated instance %s is not bound to a VPC, so there is nothing to unbind.", inst.ID)
	}
	if len(vpcEnabledGroups) > 0 {
		names := make([]string, len(vpcEnabledGroups))
		for i, g := range vpcEnabledGroups {
			names[i] = g.Name
		}
		return conflict(FieldInstance, CodeInstanceVpcInUse,
			"The VPC %s cannot be unbound from the instance %s: the VPC second-level domain is enabled for %s on it (%s). "+
				"Disable it for those groups or move them to another instance first, or bind the instance to another VPC instead.",
			inst.VpcID, inst.ID, Plural(len(names), "group", "groups"), quoteList(names, 3))
	}
	return nil
}

// CheckDeleteVpc decides whether a VPC can be deleted: not while a
// dedicated instance is bound to it, nor while it has vSwitches.
func CheckDeleteVpc(vpc VPC, vswitches []VSwitch, boundInstances []Instance) error {
	if len(boundInstances) > 0 {
		return conflict(FieldVpc, CodeVpcInUse,
			"The VPC %q (%s) is bound to %s (%s). Unbind the VPC from them first.",
			vpc.Name, vpc.ID, Plural(len(boundInstances), "dedicated instance", "dedicated instances"), quoteList(instanceIDs(boundInstances), 3))
	}
	if len(vswitches) > 0 {
		names := make([]string, len(vswitches))
		for i, s := range vswitches {
			names[i] = s.Name
		}
		return conflict(FieldVpc, CodeVpcInUse,
			"The VPC %q (%s) still has %s (%s). Delete them first.",
			vpc.Name, vpc.ID, Plural(len(vswitches), "vSwitch", "vSwitches"), quoteList(names, 3))
	}
	return nil
}

// CheckDeleteVSwitch decides whether a vSwitch can be deleted: not while a
// dedicated instance is bound through it.
func CheckDeleteVSwitch(vsw VSwitch, boundInstances []Instance) error {
	if len(boundInstances) > 0 {
		return conflict(FieldVSwitch, CodeVSwitchInUse,
			"The vSwitch %q (%s) holds the VPC endpoint of %s (%s). Unbind the VPC from them, or bind them through another vSwitch, first.",
			vsw.Name, vsw.ID, Plural(len(boundInstances), "dedicated instance", "dedicated instances"), quoteList(instanceIDs(boundInstances), 3))
	}
	return nil
}

func instanceIDs(insts []Instance) []string {
	ids := make([]string, len(insts))
	for i, inst := range insts {
		ids[i] = inst.ID
	}
	return ids
}

// VSwitchSuggestedPrefix is the size of the block SuggestVSwitchCIDR looks
// for first: a /24 (252 usable addresses), or the VPC's whole block when
// that is smaller.
const VSwitchSuggestedPrefix = 24

// SuggestVSwitchCIDR is the next free block of a VPC for a new vSwitch:
// the first /24 of the VPC's CIDR block (in address order) that overlaps
// none of its vSwitches, or when none is left the first free block of the
// largest size that still fits, down to /29. "" when the VPC is full or
// its CIDR block cannot be read.
func SuggestVSwitchCIDR(vpcCIDR string, siblings []VSwitch) string {
	vpc, err := netip.ParsePrefix(vpcCIDR)
	if err != nil || !vpc.Addr().Is4() {
		return ""
	}
	vpc = vpc.Masked()
	var taken []netip.Prefix
	for _, s := range siblings {
		if p, err := netip.ParsePrefix(s.CIDR); err == nil && p.Addr().Is4() {
			taken = append(taken, p.Masked())
		}
	}
	for bits := max(VSwitchSuggestedPrefix, vpc.Bits(), VSwitchPrefixMin); bits <= VSwitchPrefixMax; bits++ {
		if p, ok := firstFreeBlock(vpc, bits, taken); ok {
			return p.String()
		}
	}
	return ""
}

// firstFreeBlock walks the blocks of size bits inside outer in address
// order and answers the first that overlaps none of taken, jumping past
// each block it meets (so the walk costs the vSwitches, not the blocks).
func firstFreeBlock(outer netip.Prefix, bits int, taken []netip.Prefix) (netip.Prefix, bool) {
	size := uint64(1) << (32 - bits)
	start := uint64(ipv4(outer.Addr()))
	end := start + uint64(1)<<(32-outer.Bits()) // one past the last address
	for at := start; at+size <= end; {
		cand := netip.PrefixFrom(addrFrom(uint32(at)), bits)
		next := at
		for _, t := range taken {
			if t.Overlaps(cand) {
				// Jump past t, to the next block boundary of this size.
				past := uint64(ipv4(t.Addr())) + uint64(1)<<(32-t.Bits())
				past = (past + size - 1) / size * size
				next = max(next, past)
			}
		}
		if next == at {
			return cand, true
		}
		at = next
	}
	return netip.Prefix{}, false
}

func ipv4(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
