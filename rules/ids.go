package rules

import (
	"crypto/rand"
	"strings"
)

// Identifier generators (crypto/rand) and recognisers for the id formats of
// SPEC.md §1.

const (
	digits       = "0123456789"
	lowerHex     = "0123456789abcdef"
	lowerAlnum   = "0123456789abcdefghijklmnopqrstuvwxyz"
	mixedAlnum   = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	vpcPrefix    = "vpc-"
	vswPrefix    = "vsw-"
	sharedPrefix = "api-shared-vpc-"
	dedPrefix    = "apigateway-"
	akPrefix     = "LTAI"
)

// randomString returns n characters drawn uniformly from alphabet.
func randomString(alphabet string, n int) string {
	// Rejection sampling keeps the draw uniform: bytes at or above the
	// largest multiple of len(alphabet) are thrown away.
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/2+8)
	for len(out) < n {
		// crypto/rand.Read never returns an error (it aborts the program
		// when the system's generator fails), so there is none to handle.
		rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}

// NewAccountID returns a 16-digit account id whose first digit is 1 to 8,
// so that the id, as the int64 OwnerId and VpcOwnerId of the SDKs, stays
// below 2^53: JavaScript's numbers (the Node SDK's) hold it exactly, where
// an id from 9,007,199,254,740,993 up would come back rounded and name no
// account. Ids made before, up to 9,999,999,999,999,999, stay valid.
func NewAccountID() string { return randomString(digits[1:9], 1) + randomString(digits, 15) }

// NewGroupID returns an API group id: 32 lowercase hex digits.
func NewGroupID() string { return randomString(lowerHex, 32) }

// NewVpcID returns "vpc-" and 22 lowercase alphanumerics.
func NewVpcID() string { return vpcPrefix + randomString(lowerAlnum, 22) }

// NewVSwitchID returns "vsw-" and 22 lowercase alphanumerics.
func NewVSwitchID() string { return vswPrefix + randomString(lowerAlnum, 22) }

// NewDedicatedInstanceID returns "apigateway-<region>-<12 lowercase hex>".
func NewDedicatedInstanceID(regionID string) string {
	return dedPrefix + regionID + "-" + randomString(lowerHex, 12)
}

// NewAccessKeyID returns "LTAI" and 20 alphanumerics.
func NewAccessKeyID() string { return akPrefix + randomString(mixedAlnum, 20) }

// NewAccessKeySecret returns 30 alphanumerics.
func NewAccessKeySecret() string { return randomString(mixedAlnum, 30) }

// onlyFrom reports whether s is non-empty and every byte of s is in set.
func onlyFrom(s, set string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}

// IsAccountID reports whether s is 16 digits, the first not 0.
func IsAccountID(s string) bool { return len(s) == 16 && s[0] != '0' && onlyFrom(s, digits) }

// IsGroupID reports whether s is 32 lowercase hex digits.
func IsGroupID(s string) bool { return len(s) == 32 && onlyFrom(s, lowerHex) }

// IsVpcID reports whether s is "vpc-" and 22 lowercase alphanumerics.
func IsVpcID(s string) bool { return isPrefixedID(s, vpcPrefix, lowerAlnum, 22) }

// IsVSwitchID reports whether s is "vsw-" and 22 lowercase alphanumerics.
func IsVSwitchID(s string) bool { return isPrefixedID(s, vswPrefix, lowerAlnum, 22) }

// IsAccessKeyID reports whether s is "LTAI" and 20 alphanumerics.
func IsAccessKeyID(s string) bool { return isPrefixedID(s, akPrefix, mixedAlnum, 20) }

func isPrefixedID(s, prefix, set string, n int) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	return ok && len(rest) == n && onlyFrom(rest, set)
}

// IsSharedInstanceID reports whether s is "api-shared-vpc-" and three or
// more digits.
func IsSharedInstanceID(s string) bool {
	rest, ok := strings.CutPrefix(s, sharedPrefix)
	return ok && len(rest) >= 3 && len(rest) <= 9 && onlyFrom(rest, digits)
}

// IsDedicatedInstanceID reports whether s is "apigateway-<region>-<12
// lowercase hex>" for a region of the catalogue.
func IsDedicatedInstanceID(s string) bool {
	rest, ok := strings.CutPrefix(s, dedPrefix)
	if !ok || len(rest) < 14 || rest[len(rest)-13] != '-' {
		return false
	}
	region, suffix := rest[:len(rest)-13], rest[len(rest)-12:]
	_, known := RegionByID(region)
	return known && onlyFrom(suffix, lowerHex)
}

// IsInstanceID reports whether s has the form of a shared or a dedicated
// instance id.
func IsInstanceID(s string) bool { return IsSharedInstanceID(s) || IsDedicatedInstanceID(s) }
