package rules

import "time"

// InstanceType tells a shared instance from a dedicated one.
type InstanceType string

const (
	InstanceShared    InstanceType = "VPC_SHARED"
	InstanceDedicated InstanceType = "VPC_DEDICATED"
)

// Role is what a user may do inside its account.
type Role string

const (
	RoleAdmin    Role = "admin"    // everything, including users and access keys
	RoleOperator Role = "operator" // every resource change
	RoleViewer   Role = "viewer"   // read only
)

// NetworkType is where a custom domain's CNAME points.
type NetworkType string

const (
	NetworkInternet NetworkType = "INTERNET" // CNAME to the public second-level domain
	NetworkIntranet NetworkType = "INTRANET" // CNAME to the VPC second-level domain
)

// Source says through which door a change came.
type Source string

const (
	SourceConsole Source = "console"
	SourceOpenAPI Source = "OpenAPI"
	SourceCLI     Source = "cli"
)

// Region is one entry of the seeded, read-only region catalogue.
type Region struct {
	ID       string
	Name     string
	Mainland bool // mainland China: the public domain's daily limit is higher
	Zones    []string
}

// Account is a tenant.
type Account struct {
	ID        string // 16 digits
	Name      string
	CreatedAt time.Time
}

// User is a console login inside one account.
type User struct {
	ID        int64
	AccountID string
	Login     string
	Role      Role
	CreatedAt time.Time
}

// AccessKey lets a user's automation call the OpenAPI endpoint.
type AccessKey struct {
	ID        string // LTAI + 20 alphanumerics
	AccountID string
	UserLogin string
	Enabled   bool
	CreatedAt time.Time
	LastUsed  time.Time // the last call it signed; zero when never used
}

// VPC is a virtual private cloud of an account in one region.
type VPC struct {
	ID          string // vpc- + 22 lowercase alphanumerics
	AccountID   string
	RegionID    string
	Name        string
	Description string
	CIDR        string
	CreatedAt   time.Time
}

// VSwitch is a subnet of a VPC in one zone.
type VSwitch struct {
	ID        string // vsw- + 22 lowercase alphanumerics
	AccountID string
	VpcID     string
	ZoneID    string
	Name      string
	CIDR      string
	CreatedAt time.Time
}

// Instance is a gateway instance: shared (platform-owned, AccountID empty)
// or dedicated (owned by one account, bound to at most one VPC).
type Instance struct {
	ID          string
	Type        InstanceType
	AccountID   string // empty for shared instances
	RegionID    string
	ZoneID      string
	Name        string
	Spec        string // api.s1.small, ...; empty for shared instances
	Status      string // RUNNING, ...
	HTTPSPolicy string // HTTPS1_1_TLS1_0, HTTPS2_TLS1_0, HTTPS2_TLS1_2
	// The VPC binding of a dedicated instance; all empty when unbound.
	VpcID      string
	VSwitchID  string
	EndpointIP string // inside the vSwitch's CIDR
	CreatedAt  time.Time
}

// Bound reports whether a dedicated instance is bound to a VPC.
func (i Instance) Bound() bool { return i.VpcID != "" }

// Dedicated reports whether the instance is a dedicated one.
func (i Instance) Dedicated() bool { return i.Type == InstanceDedicated }

// Group is an API group.
type Group struct {
	ID               string // 32 lowercase hex
	AccountID        string
	RegionID         string // always its instance's region
	InstanceID       string
	Name             string
	Description      string
	VpcDomainEnabled bool
	CreatedAt        time.Time
	ModifiedAt       time.Time
}

// PublicDomain is the group's public second-level domain.
func (g Group) PublicDomain() string { return PublicDomain(g.ID, g.RegionID) }

// VpcDomain is the group's VPC second-level domain name, whether or not it
// is enabled; callers check VpcDomainEnabled.
func (g Group) VpcDomain() string { return VpcDomain(g.ID, g.RegionID) }

// DomainSuffix is the platform's own zone; custom domains may not be under it.
const DomainSuffix = "alicloudapi.com"

// PublicDomain derives a group's public second-level domain.
func PublicDomain(groupID, regionID string) string {
	return groupID + "-" + regionID + "." + DomainSuffix
}

// VpcDomain derives a group's VPC second-level domain.
func VpcDomain(groupID, regionID string) string {
	return groupID + "-" + regionID + "-vpc." + DomainSuffix
}

// CustomDomain is an operator's own domain name bound to a group.
type CustomDomain struct {
	Name        string // unique across the whole system
	AccountID   string
	GroupID     string
	NetworkType NetworkType
	// Certificate, when HTTPS is configured on the domain.
	CertName    string
	CertPEM     string
	CertExpires time.Time
	CreatedAt   time.Time
}

// OpLogEntry is one line of the operation log.
type OpLogEntry struct {
	Seq       int64
	AccountID string
	Actor     string // user login or access key id
	Source    Source
	Action    string // e.g. CreateApiGroup, BindVpc
	Target    string // the id of what was changed
	Outcome   string // "ok" or an error code
	Detail    string
	Time      time.Time
}
