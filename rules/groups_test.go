package rules_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"gatehouse/rules"
)

func okGroup() rules.GroupInput {
	return rules.GroupInput{Name: "orders_v2", Description: "Order APIs.", RegionID: "cn-hangzhou", InstanceID: "api-shared-vpc-001"}
}

// R1 syntax, yes and no.
func TestGroupInputValidate(t *testing.T) {
	with := func(change func(*rules.GroupInput)) rules.GroupInput {
		in := okGroup()
		change(&in)
		return in
	}
	tests := []struct {
		name string
		in   rules.GroupInput
		want map[string]string // field → code
	}{
		{"well formed", okGroup(), nil},
		{"4 characters", with(func(in *rules.GroupInput) { in.Name = "abcd" }), nil},
		{"50 characters", with(func(in *rules.GroupInput) { in.Name = "a" + strings.Repeat("b", 49) }), nil},
		{"letters of any script", with(func(in *rules.GroupInput) { in.Name = "订单服务_v1" }), nil},
		{"dedicated instance", with(func(in *rules.GroupInput) { in.InstanceID = dedBoundA.ID }), nil},
		{"empty description", with(func(in *rules.GroupInput) { in.Description = "" }), nil},
		{"180-character description", with(func(in *rules.GroupInput) { in.Description = strings.Repeat("描", 180) }), nil},
		{"multi-line description", with(func(in *rules.GroupInput) { in.Description = "line one\r\nline two\ttabbed" }), nil},

		{"empty name", with(func(in *rules.GroupInput) { in.Name = "" }), map[string]string{"name": rules.CodeInvalidGroupName}},
		{"3 characters", with(func(in *rules.GroupInput) { in.Name = "abc" }), map[string]string{"name": rules.CodeInvalidGroupName}},
		{"51 characters", with(func(in *rules.GroupInput) { in.Name = "a" + strings.Repeat("b", 50) }), map[string]string{"name": rules.CodeInvalidGroupName}},
		{"starts with a digit", with(func(in *rules.GroupInput) { in.Name = "1orders" }), map[string]string{"name": rules.CodeInvalidGroupName}},
		{"starts with an underscore", with(func(in *rules.GroupInput) { in.Name = "_orders" }), map[string]string{"name": rules.CodeInvalidGroupName}},
		{"hyphen", with(func(in *rules.GroupInput) { in.Name = "order-api" }), map[string]string{"name": rules.CodeInvalidGroupName}},
		{"space", with(func(in *rules.GroupInput) { in.Name = "order api" }), map[string]string{"name": rules.CodeInvalidGroupName}},
		{"trailing space", with(func(in *rules.GroupInput) { in.Name = "orders " }), map[string]string{"name": rules.CodeInvalidGroupName}},
		{"invalid UTF-8", with(func(in *rules.GroupInput) { in.Name = "orders\xff" }), map[string]string{"name": rules.CodeInvalidGroupName}},
		{"181-character description", with(func(in *rules.GroupInput) { in.Description = strings.Repeat("d", 181) }), map[string]string{"description": rules.CodeInvalidDescription}},
		{"control character in description", with(func(in *rules.GroupInput) { in.Description = "bell\a" }), map[string]string{"description": rules.CodeInvalidDescription}},
		{"no region", with(func(in *rules.GroupInput) { in.RegionID = "" }), map[string]string{"region": rules.CodeInvalidRegion}},
		{"unknown region", with(func(in *rules.GroupInput) { in.RegionID = "cn-mars" }), map[string]string{"region": rules.CodeInvalidRegion}},
		{"no instance", with(func(in *rules.GroupInput) { in.InstanceID = "" }), map[string]string{"instance": rules.CodeInvalidInstanceID}},
		{"malformed instance", with(func(in *rules.GroupInput) { in.InstanceID = "i-123" }), map[string]string{"instance": rules.CodeInvalidInstanceID}},
		{"everything wrong", rules.GroupInput{Name: "1", Description: strings.Repeat("x", 200), RegionID: "x", InstanceID: "y"},
			map[string]string{"name": rules.CodeInvalidGroupName, "description": rules.CodeInvalidDescription, "region": rules.CodeInvalidRegion, "instance": rules.CodeInvalidInstanceID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldCodes(t, tt.in.Validate()); !sameCodes(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckGroupPlacement(t *testing.T) {
	in := func(inst rules.Instance, region string) rules.GroupInput {
		return rules.GroupInput{Name: "orders", RegionID: region, InstanceID: inst.ID}
	}
	tests := []struct {
		name string
		in   rules.GroupInput
		inst rules.Instance
		want string
	}{
		{"shared instance of the region", in(shared, "cn-hangzhou"), shared, ""},
		{"own dedicated instance", in(dedUnbound, "cn-hangzhou"), dedUnbound, ""},
		{"own bound dedicated instance", in(dedBoundA, "cn-hangzhou"), dedBoundA, ""},
		{"another account's dedicated instance", in(dedOther, "cn-hangzhou"), dedOther, rules.CodeInstanceNotFound},
		{"absent instance (zero value)", in(dedOther, "cn-hangzhou"), rules.Instance{}, rules.CodeInstanceNotFound},
		{"shared instance of another region", in(sharedSH, "cn-hangzhou"), sharedSH, rules.CodeRegionMismatch},
		{"own dedicated instance of another region", in(dedSH, "cn-hangzhou"), dedSH, rules.CodeRegionMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, rules.CheckGroupPlacement(tt.in, tt.inst, acctA), tt.want)
		})
	}
}

// Another account's instance and an absent one are refused with the same
// words, so nobody learns which ids exist.
func TestNotFoundLooksTheSame(t *testing.T) {
	in := rules.GroupInput{Name: "orders", RegionID: "cn-hangzhou", InstanceID: dedOther.ID}
	theirs := rules.CheckGroupPlacement(in, dedOther, acctA)
	absent := rules.CheckGroupPlacement(in, rules.Instance{}, acctA)
	store := rules.InstanceNotFound(dedOther.ID) // what the store answers for no row
	if theirs.Error() != absent.Error() || theirs.Error() != store.Error() {
		t.Fatalf("not found differs:\n%v\n%v\n%v", theirs, absent, store)
	}
	re, _ := rules.AsError(theirs)
	if re.Kind != rules.KindNotFound || strings.Contains(re.Message, acctB) {
		t.Fatalf("got %+v", re)
	}
}

func TestDuplicateGroupName(t *testing.T) {
	e := rules.DuplicateGroupName("orders", "cn-hongkong")
	wantCode(t, e, rules.CodeDuplicateGroupName)
	if e.Field != "name" || e.Kind != rules.KindConflict || !strings.Contains(e.Message, `"orders"`) || !strings.Contains(e.Message, "China (Hong Kong)") {
		t.Fatalf("got %+v", e)
	}
	if !rules.HasCode(e, rules.CodeDuplicateGroupName) {
		t.Fatal("HasCode does not see the code")
	}
}

// R5: no VPC domain on a dedicated instance until it is bound.
func TestCheckEnableVpcDomain(t *testing.T) {
	tests := []struct {
		name string
		inst rules.Instance
		want string
	}{
		{"shared instance", shared, ""},
		{"bound dedicated instance", dedBoundA, ""},
		{"unbound dedicated instance", dedUnbound, rules.CodeInstanceNotBoundToVpc},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rules.CheckEnableVpcDomain(group(tt.inst, false), tt.inst)
			wantCode(t, err, tt.want)
			if err != nil {
				msg := err.(*rules.Error).Message
				for _, part := range []string{
					"If you do not bind the instance to a VPC, you cannot enable VPC second-level domain name for the API group.",
					"Dedicated Instances", "Bind to VPC", tt.inst.ID,
				} {
					if !strings.Contains(msg, part) {
						t.Errorf("message lacks %q: %s", part, msg)
					}
				}
			}
		})
	}
}

func TestCheckDisableVpcDomain(t *testing.T) {
	internet := rules.CustomDomain{Name: "api.example.com", NetworkType: rules.NetworkInternet}
	intranet := rules.CustomDomain{Name: "in.example.com", NetworkType: rules.NetworkIntranet}
	tests := []struct {
		name    string
		enabled bool
		domains []rules.CustomDomain
		want    string
	}{
		{"enabled, no domains", true, nil, ""},
		{"enabled, INTERNET domains only", true, []rules.CustomDomain{internet}, ""},
		{"enabled, an INTRANET domain", true, []rules.CustomDomain{internet, intranet}, rules.CodeVpcDomainInUse},
		{"not enabled", false, nil, rules.CodeVpcDomainNotEnabled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rules.CheckDisableVpcDomain(group(dedBoundA, tt.enabled), tt.domains)
			wantCode(t, err, tt.want)
			if tt.want == rules.CodeVpcDomainInUse && !strings.Contains(err.Error(), "in.example.com") {
				t.Errorf("message does not name the INTRANET domain: %v", err)
			}
		})
	}
}

// R8: moves stay in one account and region; a group with the VPC domain
// enabled goes to a dedicated instance only once it is bound.
func TestCheckMoveGroup(t *testing.T) {
	tests := []struct {
		name     string
		g        rules.Group
		from, to rules.Instance
		account  string
		intranet int
		want     string
	}{
		{"shared to bound dedicated, VPC domain on", group(shared, true), shared, dedBoundA, acctA, 0, ""},
		{"shared to unbound dedicated, VPC domain off", group(shared, false), shared, dedUnbound, acctA, 0, ""},
		{"dedicated to shared", group(dedBoundA, true), dedBoundA, shared, acctA, 0, ""},
		{"dedicated to dedicated with INTRANET domains", group(dedBoundA, true), dedBoundA, dedBoundB, acctA, 2, ""},
		{"shared to unbound dedicated, VPC domain on", group(shared, true), shared, dedUnbound, acctA, 0, rules.CodeInstanceNotBoundToVpc},
		{"to another account's instance", group(shared, false), shared, dedOther, acctA, 0, rules.CodeInstanceNotFound},
		{"to an absent instance", group(shared, false), shared, rules.Instance{ID: "apigateway-cn-hangzhou-999999999999"}, acctA, 0, rules.CodeInstanceNotFound},
		{"another account's group", group(shared, false), shared, dedBoundA, acctB, 0, rules.CodeGroupNotFound},
		{"to another region", group(shared, false), shared, sharedSH, acctA, 0, rules.CodeRegionMismatch},
		{"to own dedicated in another region", group(shared, true), shared, dedSH, acctA, 0, rules.CodeRegionMismatch},
		{"onto the same instance", group(shared, false), shared, shared, acctA, 0, rules.CodeSameInstance},
		{"INTRANET domains to shared", group(dedBoundA, true), dedBoundA, shared, acctA, 1, rules.CodeIntranetNotSupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, rules.CheckMoveGroup(tt.g, tt.from, tt.to, tt.account, tt.intranet), tt.want)
		})
	}
}

var groupNameOracle = regexp.MustCompile(`^\pL[\pL0-9_]{3,49}$`)

func FuzzGroupName(f *testing.F) {
	for _, s := range []string{"orders", "abc", "abcd", "1abc", "a_b_c_d", "订单服务", "orders\xff", "ab cd", strings.Repeat("a", 51), "ǅungla", "a\u0301bcd"} {
		f.Add(s, "description")
	}
	f.Fuzz(func(t *testing.T, name, desc string) {
		in := rules.GroupInput{Name: name, Description: desc, RegionID: "cn-hangzhou", InstanceID: "api-shared-vpc-001"}
		got := fieldCodes(t, in.Validate())
		nameOK := got["name"] == ""
		if want := utf8.ValidString(name) && groupNameOracle.MatchString(name); nameOK != want {
			t.Fatalf("name %q: accepted=%v, want %v", name, nameOK, want)
		}
		if got["description"] == "" && (!utf8.ValidString(desc) || utf8.RuneCountInString(desc) > 180) {
			t.Fatalf("description %q accepted", desc)
		}
		if got["region"] != "" || got["instance"] != "" {
			t.Fatalf("good region or instance refused: %v", got)
		}
	})
}

func BenchmarkGroupInputValidate(b *testing.B) {
	in := okGroup()
	for b.Loop() {
		if errs := in.Validate(); len(errs) != 0 {
			b.Fatal(errs)
		}
	}
}

// Every error of a name is listed: each broken part of R1 is a message of
// its own, and the message about characters names every one not allowed.
func TestNameErrorsAreAllListed(t *testing.T) {
	messages := func(errs []*rules.Error, field string) []string {
		var out []string
		for _, e := range errs {
			if e.Field == field {
				out = append(out, e.Message)
			}
		}
		return out
	}
	tests := []struct {
		name  string
		errs  []*rules.Error
		field string
		want  []string // each message contains its string, in order
	}{
		{"group: a space and a hyphen",
			rules.GroupInput{Name: "my group-x", RegionID: "cn-hangzhou", InstanceID: "api-shared-vpc-001"}.Validate(), rules.FieldName,
			[]string{`' ' and '-' are not allowed`}},
		{"group: one bad character, repeated",
			rules.GroupInput{Name: "a-b-c-d", RegionID: "cn-hangzhou", InstanceID: "api-shared-vpc-001"}.Validate(), rules.FieldName,
			[]string{`'-' is not allowed`}},
		{"group: too short, a digit first and a space",
			rules.GroupInput{Name: "1 a", RegionID: "cn-hangzhou", InstanceID: "api-shared-vpc-001"}.Validate(), rules.FieldName,
			[]string{"4 to 50 characters long; this one has 3", "starts with a letter", `' ' is not allowed`}},
		{"group: empty says only that",
			rules.GroupInput{Name: "", RegionID: "cn-hangzhou", InstanceID: "api-shared-vpc-001"}.Validate(), rules.FieldName,
			[]string{"Enter a group name."}},
		{"VPC: a space and a slash",
			rules.VpcInput{Name: "prod vpc/1", RegionID: "cn-hangzhou", CIDR: "10.0.0.0/8"}.Validate(), rules.FieldName,
			[]string{`' ' and '/' are not allowed`}},
		{"vSwitch: a digit first and a space",
			rules.VSwitchInput{VpcID: "vpc-0123456789abcdefghijkl", ZoneID: "cn-hangzhou-g", Name: "1 a", CIDR: "10.0.0.0/24"}.Validate(), rules.FieldName,
			[]string{"starts with a letter", `' ' is not allowed`}},
		{"instance: too long and a space",
			rules.InstanceInput{Name: "a " + strings.Repeat("b", 130), RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Spec: "api.s1.small", HTTPSPolicy: "HTTPS2_TLS1_0"}.Validate(), rules.FieldName,
			[]string{"at most 128 characters long; this one has 132", `' ' is not allowed`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := messages(tt.errs, tt.field)
			if len(got) != len(tt.want) {
				t.Fatalf("%d messages %q, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("message %d = %q, want it to contain %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}
