package rules

import (
	"crypto/sha256"
	"encoding/binary"
	"net/netip"
)

// Addresses the names resolve to, derived deterministically from ids:
// nothing here is random. A dedicated instance's endpoint also depends on
// the addresses already taken in its vSwitch, so the store keeps it.

// SharedVpcCIDR is where a shared instance's VPC second-level domains
// resolve (R3): the shared address space of RFC 6598, never RFC 1918.
var SharedVpcCIDR = netip.MustParsePrefix("100.64.0.0/10")

// hashOf returns the SHA-256 of a label and a value, so that different
// derivations of one id do not share bits. It allocates nothing for ids of
// ordinary length: the access decision calls it on every proxied call.
func hashOf(label, value string) [32]byte {
	var buf [96]byte
	b := append(buf[:0], label...)
	b = append(b, 0)
	return sha256.Sum256(append(b, value...))
}

// addrFrom builds the IPv4 address whose 32 bits are v.
func addrFrom(v uint32) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return netip.AddrFrom4(b)
}

// SharedVpcAddress is the address a group's VPC second-level domain
// resolves to on a shared instance (R3): inside 100.64.0.0/10, stable per
// group, and never ending in .0 or .255.
func SharedVpcAddress(groupID string) string {
	h := hashOf("shared-vpc", groupID)
	middle := uint32(binary.BigEndian.Uint16(h[:2])) & 0x3fff // the 14 bits between /10 and /24
	host := 1 + uint32(h[2])%254                              // 1..254
	return addrFrom(0x64400000 | middle<<8 | host).String()
}

// PublicAddress is the simulated Internet address of API Gateway in a
// region, which every public second-level domain of the region resolves
// to: stable, inside 47.0.0.0/8 (where Alibaba Cloud's own addresses are),
// never ending in .0 or .255.
func PublicAddress(regionID string) string {
	if i := regionIndex(regionID); i >= 0 {
		return publicAddresses[i]
	}
	return derivePublicAddress(regionID)
}

// publicAddresses are the catalogue's regions' public addresses, in its
// order, worked out once.
var publicAddresses = func() []string {
	out := make([]string, len(regions))
	for i, r := range regions {
		out[i] = derivePublicAddress(r.ID)
	}
	return out
}()

func derivePublicAddress(regionID string) string {
	h := hashOf("public", regionID)
	middle := uint32(binary.BigEndian.Uint16(h[:2]))
	host := 1 + uint32(h[2])%254
	return addrFrom(47<<24 | middle<<8 | host).String()
}

// Reserved addresses of a vSwitch CIDR block, as Alibaba Cloud's VPC
// keeps them for itself: the first address and the last three (for
// 192.168.1.0/24: .0, .253, .254 and .255). One number for the endpoint
// allocator and for DescribeVSwitches' AvailableIpAddressCount.
const (
	reservedHead = 1
	reservedTail = 3
	// VSwitchReservedAddresses is how many addresses of every vSwitch
	// block are reserved.
	VSwitchReservedAddresses = reservedHead + reservedTail
)

// VSwitchUsableAddresses is how many addresses of a vSwitch's CIDR block
// can be given out: its size less the reserved ones; 0 for a block that is
// not IPv4 or holds no more than them.
func VSwitchUsableAddresses(cidr string) int64 {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() {
		return 0
	}
	return max(int64(1)<<(32-p.Bits())-VSwitchReservedAddresses, 0)
}

// VSwitchAvailableAddresses is how many addresses of a vSwitch's CIDR
// block are still free (DescribeVSwitches' AvailableIpAddressCount): the
// usable ones less the VPC endpoints of the instances bound through it.
func VSwitchAvailableAddresses(cidr string, endpoints int) int64 {
	return max(VSwitchUsableAddresses(cidr)-int64(endpoints), 0)
}

// DedicatedEndpointAddress picks the VPC endpoint address of a dedicated
// instance bound through a vSwitch (R4): inside vswitchCIDR, never one of
// its reserved addresses, derived from the instance id, and not one of the
// addresses taken (other endpoints in the same vSwitch). A /29 leaves four
// addresses to choose from.
func DedicatedEndpointAddress(vswitchCIDR, instanceID string, taken ...string) (string, error) {
	p, err := netip.ParsePrefix(vswitchCIDR)
	if err != nil || !p.Addr().Is4() {
		return "", invalid(FieldCIDR, CodeInvalidCidrBlock, "The vSwitch CIDR block %q is not an IPv4 CIDR block.", vswitchCIDR)
	}
	p = p.Masked()
	size := uint64(1) << (32 - p.Bits())
	if size <= reservedHead+reservedTail {
		return "", conflict(FieldVSwitch, CodeVSwitchNoFreeAddress,
			"The vSwitch CIDR block %s is too small to hold a VPC endpoint. Choose a vSwitch of prefix /29 or larger.", p)
	}
	usable := size - reservedHead - reservedTail
	used := make(map[string]bool, len(taken))
	for _, t := range taken {
		used[t] = true
	}
	base := uint64(binary.BigEndian.Uint32(p.Addr().AsSlice()))
	h := hashOf("endpoint", instanceID)
	start := binary.BigEndian.Uint64(h[:8]) % usable
	// At most len(taken)+1 probes find a free address, if one exists.
	for i := uint64(0); i < usable && i <= uint64(len(taken)); i++ {
		a := addrFrom(uint32(base + reservedHead + (start+i)%usable)).String()
		if !used[a] {
			return a, nil
		}
	}
	return "", conflict(FieldVSwitch, CodeVSwitchNoFreeAddress,
		"The vSwitch CIDR block %s has no free address left for a VPC endpoint. Choose another vSwitch.", p)
}
