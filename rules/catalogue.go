package rules

import (
	"fmt"
	"strconv"
	"time"
)

// The seeded, read-only catalogue: regions and their zones, dedicated
// instance specs, HTTPS policies, the shared instances and the daily call
// limits of the public second-level domain.

var regions = []Region{
	{ID: "cn-hangzhou", Name: "China (Hangzhou)", Mainland: true, Zones: []string{"cn-hangzhou-g", "cn-hangzhou-h", "cn-hangzhou-i"}},
	{ID: "cn-shanghai", Name: "China (Shanghai)", Mainland: true, Zones: []string{"cn-shanghai-e", "cn-shanghai-f", "cn-shanghai-g"}},
	{ID: "cn-beijing", Name: "China (Beijing)", Mainland: true, Zones: []string{"cn-beijing-g", "cn-beijing-h", "cn-beijing-i"}},
	{ID: "cn-shenzhen", Name: "China (Shenzhen)", Mainland: true, Zones: []string{"cn-shenzhen-d", "cn-shenzhen-e", "cn-shenzhen-f"}},
	{ID: "cn-hongkong", Name: "China (Hong Kong)", Mainland: false, Zones: []string{"cn-hongkong-b", "cn-hongkong-c", "cn-hongkong-d"}},
	{ID: "ap-southeast-1", Name: "Singapore", Mainland: false, Zones: []string{"ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"}},
	{ID: "us-west-1", Name: "US (Silicon Valley)", Mainland: false, Zones: []string{"us-west-1a", "us-west-1b"}},
	{ID: "eu-central-1", Name: "Germany (Frankfurt)", Mainland: false, Zones: []string{"eu-central-1a", "eu-central-1b"}},
}

// Regions returns the region catalogue in display order. The result is a
// copy: callers may change it freely.
func Regions() []Region {
	out := make([]Region, len(regions))
	for i, r := range regions {
		out[i] = copyRegion(r)
	}
	return out
}

// RegionByID returns the region with the given id.
func RegionByID(id string) (Region, bool) {
	if i := regionIndex(id); i >= 0 {
		return copyRegion(regions[i]), true
	}
	return Region{}, false
}

// regionIndex is the position of the region id in the catalogue, -1 when
// it is not there. It copies nothing, for the paths that run per call.
func regionIndex(id string) int {
	for i := range regions {
		if regions[i].ID == id {
			return i
		}
	}
	return -1
}

// RegionOfZone returns the region a zone belongs to.
func RegionOfZone(zoneID string) (Region, bool) {
	for _, r := range regions {
		if r.HasZone(zoneID) {
			return copyRegion(r), true
		}
	}
	return Region{}, false
}

// HasZone reports whether zoneID is one of the region's zones.
func (r Region) HasZone(zoneID string) bool {
	for _, z := range r.Zones {
		if z == zoneID {
			return true
		}
	}
	return false
}

func copyRegion(r Region) Region {
	r.Zones = append([]string(nil), r.Zones...)
	return r
}

// RegionName is the human name of a region ("China (Hangzhou)"), or the id
// itself when the region is not in the catalogue.
func RegionName(id string) string {
	if i := regionIndex(id); i >= 0 {
		return regions[i].Name
	}
	return id
}

// Spec is a dedicated instance size and the requests per second it serves.
type Spec struct {
	ID  string
	RPS int
}

var specs = []Spec{
	{ID: "api.s1.small", RPS: 2500},
	{ID: "api.s1.medium", RPS: 5000},
	{ID: "api.s2.large", RPS: 10000},
	{ID: "api.s2.large.x2", RPS: 20000},
	{ID: "api.s2.large.x3", RPS: 30000},
	{ID: "api.s2.large.x4", RPS: 40000},
	{ID: "api.s2.large.x5", RPS: 50000},
	{ID: "api.s2.large.x6", RPS: 60000},
}

// Specs returns the dedicated instance specs, smallest first.
func Specs() []Spec { return append([]Spec(nil), specs...) }

// SpecByID returns the spec with the given id.
func SpecByID(id string) (Spec, bool) {
	for _, s := range specs {
		if s.ID == id {
			return s, true
		}
	}
	return Spec{}, false
}

// DefaultHTTPSPolicy is the policy Alibaba applies when none is chosen.
const DefaultHTTPSPolicy = "HTTPS2_TLS1_0"

var httpsPolicies = []string{"HTTPS1_1_TLS1_0", "HTTPS2_TLS1_0", "HTTPS2_TLS1_2"}

// HTTPSPolicies returns the HTTPS security policies an instance may use.
func HTTPSPolicies() []string { return append([]string(nil), httpsPolicies...) }

// KnownHTTPSPolicy reports whether p is one of HTTPSPolicies().
func KnownHTTPSPolicy(p string) bool {
	for _, q := range httpsPolicies {
		if q == p {
			return true
		}
	}
	return false
}

// SharedInstanceID is the id of the n-th shared instance: "api-shared-vpc-001".
func SharedInstanceID(n int) string { return fmt.Sprintf("api-shared-vpc-%03d", n) }

// SharedInstances returns the shared instances to seed: one per region, in
// catalogue order, numbered from 1 (cn-hangzhou is api-shared-vpc-001).
// They belong to the platform (AccountID empty) and every account may use
// them.
func SharedInstances() []Instance {
	out := make([]Instance, len(regions))
	for i, r := range regions {
		out[i] = Instance{
			ID:       SharedInstanceID(i + 1),
			Type:     InstanceShared,
			RegionID: r.ID,
			ZoneID:   r.Zones[0],
			Name:     "Shared instance (VPC) " + r.Name,
			Status:   "RUNNING",
			// Shared instances serve the platform's default policy.
			HTTPSPolicy: DefaultHTTPSPolicy,
		}
	}
	return out
}

// DefaultSharedInstanceID is the seeded shared instance of a region, the
// one a group lands on when no instance is chosen (Alibaba's CreateApiGroup
// without InstanceId).
func DefaultSharedInstanceID(regionID string) (string, bool) {
	for i, r := range regions {
		if r.ID == regionID {
			return SharedInstanceID(i + 1), true
		}
	}
	return "", false
}

// Limits are the daily call limits of the public second-level domain (R2).
// They are configuration; DefaultLimits gives the documented numbers.
type Limits struct {
	MainlandDaily int // regions in mainland China
	OtherDaily    int // every other region, Hong Kong included
}

// DefaultLimits returns 1,000 calls a day in mainland China, 100 elsewhere.
func DefaultLimits() Limits { return Limits{MainlandDaily: 1000, OtherDaily: 100} }

// PublicDaily is the public second-level domain's daily call limit in a
// region. Unknown regions get the lower, non-mainland limit.
func (l Limits) PublicDaily(regionID string) int {
	if i := regionIndex(regionID); i >= 0 && regions[i].Mainland {
		return l.MainlandDaily
	}
	return l.OtherDaily
}

// LimitDayOffset is the time zone R2's days are counted in: UTC+8 (Beijing
// time), for every region.
const LimitDayOffset = 8 * 60 * 60

// LimitDay is the number of the day t falls on as R2's daily limit counts
// days: in Beijing time (UTC+8), from 1970-01-01.
func LimitDay(t time.Time) int64 {
	s := t.Unix() + LimitDayOffset
	d := s / 86400
	if s < 0 && s%86400 != 0 {
		d--
	}
	return d
}

// Unlimited is how a daily limit without a bound is written.
const Unlimited = "unlimited"

// FormatDailyLimit writes a daily limit as an operator reads it:
// "1,000 calls a day".
func FormatDailyLimit(n int) string { return Plural(n, "call a day", "calls a day") }

// FormatThousands writes a number with thousands separators: 100000 is
// "100,000".
func FormatThousands(n int) string {
	s := strconv.Itoa(n)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return neg + s
}
