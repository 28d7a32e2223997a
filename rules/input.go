package rules

import "strings"

// The input policy: how each field is read, decided once for both doors.
// The console's forms and the OpenAPI endpoint's parameters hand the same
// input structs to the store, which applies Normalize before Validate, so
// the same value gets the same answer and the same code through either.
//
//	field             surrounding space   syntax (Validate)                           when empty
//	group name        trimmed             R1                                          refused: InvalidGroupName
//	VPC name          trimmed             1–128 characters, a letter first            vpc-<region> (Alibaba's CreateVpc)
//	vSwitch name      trimmed             1–128 characters, a letter first            vsw-<zone> (Alibaba's CreateVSwitch)
//	description       trimmed             at most 180 characters (VPC: 256)           none
//	region            trimmed             a region of the catalogue                   refused: InvalidRegionId
//	instance (group)  trimmed             a shared or dedicated instance id           the region's shared instance (Alibaba's default)
//	zone              trimmed             a zone of the catalogue                     refused: InvalidZoneId
//	spec              trimmed             a spec of the catalogue                     refused: InvalidInstanceSpec
//	HTTPS policy      trimmed             a policy of the catalogue                   HTTPS2_TLS1_0 (DefaultHTTPSPolicy);
//	                                                                                  refused on a change (CheckModifyInstance)
//	VPC, vSwitch      trimmed             vpc-/vsw- + 22; a malformed id is absent    refused: Choose a VPC / vSwitch
//	                                      like any other: InvalidVpcId.NotFound,
//	                                      InvalidVSwitchId.NotFound (as Alibaba)
//	CIDR block        trimmed             as R4's VPC and vSwitch rules               VPC: 172.16.0.0/12 (Alibaba's);
//	                                                                                  vSwitch: refused, InvalidCidrBlock
//	domain name       trimmed, lower      RFC 1123 (NormalizeDomain)                  refused: InvalidDomainName
//	                  case, final dot
//	                  dropped
//	login             trimmed             3–64 letters, digits and . _ - @            refused: InvalidLogin
//	password          kept as typed       12–128 characters                           refused: InvalidPassword

// TrimField is the policy for a lone id or choice read outside an input
// struct (a path segment, a destination instance): surrounding space is
// dropped, as for every field but a password.
func TrimField(s string) string { return strings.TrimSpace(s) }

// Normalize applies the input policy to a group's fields.
func (in GroupInput) Normalize() GroupInput {
	in.Name, in.Description = TrimField(in.Name), TrimField(in.Description)
	in.RegionID, in.InstanceID = TrimField(in.RegionID), TrimField(in.InstanceID)
	if in.InstanceID == "" {
		in.InstanceID, _ = DefaultSharedInstanceID(in.RegionID)
	}
	return in
}

// Normalize applies the input policy to a VPC's fields.
func (in VpcInput) Normalize() VpcInput {
	in.Name, in.Description = TrimField(in.Name), TrimField(in.Description)
	in.RegionID, in.CIDR = TrimField(in.RegionID), TrimField(in.CIDR)
	if in.Name == "" && in.RegionID != "" {
		in.Name = "vpc-" + in.RegionID
	}
	if in.CIDR == "" {
		in.CIDR = DefaultVpcCIDR
	}
	return in
}

// DefaultVpcCIDR is the CIDR block of a VPC created without one, as
// Alibaba's CreateVpc does.
const DefaultVpcCIDR = "172.16.0.0/12"

// Normalize applies the input policy to a vSwitch's fields.
func (in VSwitchInput) Normalize() VSwitchInput {
	in.VpcID, in.ZoneID = TrimField(in.VpcID), TrimField(in.ZoneID)
	in.Name, in.CIDR = TrimField(in.Name), TrimField(in.CIDR)
	if in.Name == "" && in.ZoneID != "" {
		in.Name = "vsw-" + in.ZoneID
	}
	return in
}

// Normalize applies the input policy to a dedicated instance's fields.
func (in InstanceInput) Normalize() InstanceInput {
	in.Name, in.RegionID, in.ZoneID = TrimField(in.Name), TrimField(in.RegionID), TrimField(in.ZoneID)
	in.Spec, in.HTTPSPolicy = TrimField(in.Spec), TrimField(in.HTTPSPolicy)
	if in.HTTPSPolicy == "" {
		in.HTTPSPolicy = DefaultHTTPSPolicy
	}
	return in
}

// Normalize applies the input policy to a custom domain's fields: the name
// as NormalizeDomain writes it; the certificate and key are kept as given.
func (in DomainInput) Normalize() DomainInput {
	in.Name, in.CertName = NormalizeDomain(in.Name), TrimField(in.CertName)
	in.NetworkType = NetworkType(TrimField(string(in.NetworkType)))
	return in
}

// Normalize applies the input policy to a new user's fields: every
// character of a password counts.
func (in UserInput) Normalize() UserInput {
	in.Login, in.Role = TrimField(in.Login), Role(TrimField(string(in.Role)))
	return in
}

// CheckVpcID reads a VPC id given by a caller: empty asks for one; a
// malformed id is answered as Alibaba does, like an absent VPC
// (InvalidVpcId.NotFound), not as a syntax error.
func CheckVpcID(id string) error {
	switch {
	case id == "":
		return invalid(FieldVpc, CodeInvalidVpcID, "Choose a VPC.")
	case !IsVpcID(id):
		return VpcNotFound(id)
	}
	return nil
}

// CheckVSwitchID reads a vSwitch id as CheckVpcID reads a VPC id.
func CheckVSwitchID(id string) error {
	switch {
	case id == "":
		return invalid(FieldVSwitch, CodeInvalidVSwitchID, "Choose a vSwitch.")
	case !IsVSwitchID(id):
		return VSwitchNotFound(id)
	}
	return nil
}

// FieldErrors gathers the refusals of several field checks, in order,
// skipping the nil ones.
func FieldErrors(checks ...error) []*Error {
	var out []*Error
	for _, err := range checks {
		if re, ok := AsError(err); ok {
			out = append(out, re)
		}
	}
	return out
}
