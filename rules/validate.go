package rules

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field checks shared by the inputs' Validate methods. Validators never
// trim or rewrite what they are given: a value with stray spaces is refused,
// so what the store keeps is exactly what was checked. Domain names are the
// one exception: they are case-insensitive, so they are checked in their
// NormalizeDomain form, the form the store keeps.

// Form field names, as the console's forms and the field errors use them.
const (
	FieldName            = "name"
	FieldDescription     = "description"
	FieldRegion          = "region"
	FieldInstance        = "instance"
	FieldCIDR            = "cidr"
	FieldZone            = "zone"
	FieldVpc             = "vpc"
	FieldVSwitch         = "vswitch"
	FieldSpec            = "spec"
	FieldHTTPSPolicy     = "https_policy"
	FieldDomain          = "domain"
	FieldNetworkType     = "network_type"
	FieldCertName        = "cert_name"
	FieldCertificate     = "certificate"
	FieldKey             = "key"
	FieldLogin           = "login"
	FieldPassword        = "password"
	FieldCurrentPassword = "current_password"
	FieldPasswordRepeat  = "password_repeat"
	FieldRole            = "role"
	FieldAccount         = "account"
)

// Lengths, in characters, of names and descriptions.
const (
	GroupNameMin        = 4
	GroupNameMax        = 50
	GroupDescriptionMax = 180
	ResourceNameMax     = 128 // VPCs, vSwitches, dedicated instances
	VpcDescriptionMax   = 256
)

// checkGroupName applies R1's syntax to an API group name.
func checkGroupName(name string) []*Error {
	return checkR1Name(FieldName, CodeInvalidGroupName, "a group", name)
}

// checkR1Name applies R1's syntax (4–50 characters, a letter first, then
// letters, digits and underscores) to the name of what, a noun with its
// article ("a group", "an API"), which the messages start with. Every
// broken part of the syntax is an error of its own, so that a name both
// too short and holding a space says both, and every character that is
// not allowed is named ("my name-x": the space and the hyphen).
func checkR1Name(field, code, what, name string) []*Error {
	const minLen, maxLen = GroupNameMin, GroupNameMax
	What := strings.ToUpper(what[:1]) + what[1:]
	n := utf8.RuneCountInString(name)
	switch {
	case name == "":
		return []*Error{invalid(field, code, "Enter %s name.", what)}
	case !utf8.ValidString(name):
		return []*Error{invalid(field, code, "The name is not valid UTF-8 text.")}
	}
	var errs []*Error
	if n < minLen || n > maxLen {
		errs = append(errs, invalid(field, code, "%s name is %d to %d characters long; this one has %d.", What, minLen, maxLen, n))
	}
	if !unicode.IsLetter(firstRune(name)) {
		errs = append(errs, invalid(field, code, "%s name starts with a letter.", What))
	}
	if bad := runesNotIn(name, isWordRune); len(bad) > 0 {
		errs = append(errs, invalid(field, code, "%s name holds only letters, digits and underscores (_); %s %s not allowed.", What, quoteRunes(bad), isAre(len(bad))))
	}
	return errs
}

// checkResourceName applies the naming rule of VPCs, vSwitches and
// dedicated instances: 1–128 characters, a letter first, then letters,
// digits, hyphens, underscores and periods. what is "VPC", "vSwitch", ...
// Like checkR1Name, it reports every broken part of the rule.
func checkResourceName(code, what, name string) []*Error {
	n := utf8.RuneCountInString(name)
	switch {
	case name == "":
		return []*Error{invalid(FieldName, code, "Enter a name for the %s.", what)}
	case !utf8.ValidString(name):
		return []*Error{invalid(FieldName, code, "The %s name is not valid UTF-8 text.", what)}
	}
	var errs []*Error
	if n > ResourceNameMax {
		errs = append(errs, invalid(FieldName, code, "%s %s name is at most %d characters long; this one has %d.", article(what), what, ResourceNameMax, n))
	}
	if !unicode.IsLetter(firstRune(name)) {
		errs = append(errs, invalid(FieldName, code, "%s %s name starts with a letter.", article(what), what))
	}
	allowed := func(r rune) bool { return isWordRune(r) || r == '-' || r == '.' }
	if bad := runesNotIn(name, allowed); len(bad) > 0 {
		errs = append(errs, invalid(FieldName, code, "%s %s name holds only letters, digits, hyphens (-), underscores (_) and periods (.); %s %s not allowed.", article(what), what, quoteRunes(bad), isAre(len(bad))))
	}
	return errs
}

// runesNotIn lists, once each and in order, the characters of s that ok
// refuses.
func runesNotIn(s string, ok func(rune) bool) []rune {
	var bad []rune
	for _, r := range s {
		if !ok(r) && !slices.Contains(bad, r) {
			bad = append(bad, r)
		}
	}
	return bad
}

// quoteRunes names characters for a sentence: "' '", "' ' and '-'".
func quoteRunes(rs []rune) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = strconv.QuoteRune(r)
	}
	if len(names) == 1 {
		return names[0]
	}
	const most = 8
	if len(names) > most {
		return strings.Join(names[:most], ", ") + fmt.Sprintf(" and %d more", len(names)-most)
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// article is the indefinite article of a noun phrase starting a
// sentence: "An" before a vowel ("An instance name"), else "A".
func article(what string) string {
	if what != "" && strings.ContainsRune("aeiouAEIOU", rune(what[0])) {
		return "An"
	}
	return "A"
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// firstRune is the first character of s, or utf8.RuneError for "".
func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return utf8.RuneError
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || ('0' <= r && r <= '9') || r == '_' }

func firstRuneNotIn(s string, ok func(rune) bool) (rune, bool) {
	for _, r := range s {
		if !ok(r) {
			return r, true
		}
	}
	return 0, false
}

// checkDescription allows any text of at most max characters, line breaks
// and tabs included, but no other control characters.
func checkDescription(desc string, max int) *Error {
	const code = CodeInvalidDescription
	if !utf8.ValidString(desc) {
		return invalid(FieldDescription, code, "The description is not valid UTF-8 text.")
	}
	if n := utf8.RuneCountInString(desc); n > max {
		return invalid(FieldDescription, code, "A description is at most %d characters long; this one has %d.", max, n)
	}
	if _, bad := firstRuneNotIn(desc, func(r rune) bool { return !unicode.IsControl(r) || r == '\n' || r == '\r' || r == '\t' }); bad {
		return invalid(FieldDescription, code, "The description holds a control character; use plain text.")
	}
	return nil
}

// checkRegion refuses an empty or unknown region id.
func checkRegion(regionID string) *Error {
	if regionID == "" {
		return invalid(FieldRegion, CodeInvalidRegion, "Choose a region.")
	}
	if _, ok := RegionByID(regionID); !ok {
		return invalid(FieldRegion, CodeInvalidRegion, "The region %q does not exist.", regionID)
	}
	return nil
}

// checkZone refuses an empty zone, a zone outside the catalogue, and, when
// regionID is set, a zone of another region.
func checkZone(zoneID, regionID string) *Error {
	if zoneID == "" {
		return invalid(FieldZone, CodeInvalidZone, "Choose a zone.")
	}
	r, ok := RegionOfZone(zoneID)
	if !ok {
		return invalid(FieldZone, CodeInvalidZone, "The zone %q does not exist.", zoneID)
	}
	if regionID != "" && r.ID != regionID {
		return invalid(FieldZone, CodeInvalidZone, "The zone %s is in %s, not in %s. Choose a zone of %s.",
			zoneID, r.Name, RegionName(regionID), RegionName(regionID))
	}
	return nil
}

// privateBlocks are the RFC 1918 ranges a VPC's CIDR block must lie in.
var privateBlocks = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// parseCIDR parses an IPv4 CIDR block in its canonical form: the address
// must be the block's first address (10.0.0.0/16, not 10.0.0.1/16) and the
// prefix length between minBits and maxBits. what names the owner in
// messages ("VPC", "vSwitch"). Refusals carry the field "cidr".
func parseCIDR(s, what string, minBits, maxBits int) (netip.Prefix, *Error) {
	const code = CodeInvalidCidrBlock
	if s == "" {
		return netip.Prefix{}, invalid(FieldCIDR, code, "Enter the %s's IPv4 CIDR block, such as 10.0.0.0/16.", what)
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, invalid(FieldCIDR, code, "The CIDR block %q cannot be read. Write an IPv4 address and a prefix length, such as 10.0.0.0/16.", s)
	}
	if !p.Addr().Is4() {
		return netip.Prefix{}, invalid(FieldCIDR, code, "Only IPv4 CIDR blocks are supported, such as 10.0.0.0/16; %s is not one.", s)
	}
	if p.Bits() < minBits || p.Bits() > maxBits {
		return netip.Prefix{}, invalid(FieldCIDR, code, "The prefix length of a %s CIDR block is between /%d and /%d; /%d is not.", what, minBits, maxBits, p.Bits())
	}
	if m := p.Masked(); m != p {
		return netip.Prefix{}, invalid(FieldCIDR, code, "The CIDR block %s does not start at the first address of its block. Use %s.", s, m)
	}
	return p, nil
}

// prefixWithin reports whether inner lies entirely inside outer.
func prefixWithin(inner, outer netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// quoteList writes names for a sentence: `"a"`, `"a" and "b"`,
// `"a", "b", "c" and 4 more`, showing at most max of them.
func quoteList(names []string, max int) string {
	shown := names
	if len(names) > max {
		shown = names[:max]
	}
	q := make([]string, len(shown))
	for i, n := range shown {
		q[i] = strconv.Quote(n)
	}
	switch {
	case len(names) > max:
		return strings.Join(q, ", ") + fmt.Sprintf(" and %d more", len(names)-max)
	case len(q) <= 1:
		return strings.Join(q, "")
	default:
		return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
	}
}

// asError returns e as an error, and a nil *Error as a nil error, so that
// exported checks never hand out a non-nil error holding a nil pointer.
func asError(e *Error) error {
	if e == nil {
		return nil
	}
	return e
}

// appendIf adds e to errs when it is not nil.
func appendIf(errs []*Error, e *Error) []*Error {
	if e != nil {
		return append(errs, e)
	}
	return errs
}
