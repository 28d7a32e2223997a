package rules_test

import (
	"strings"
	"testing"

	"gatehouse/rules"
)

func TestRegionCatalogue(t *testing.T) {
	want := map[string]struct {
		name     string
		mainland bool
	}{
		"cn-hangzhou":    {"China (Hangzhou)", true},
		"cn-shanghai":    {"China (Shanghai)", true},
		"cn-beijing":     {"China (Beijing)", true},
		"cn-shenzhen":    {"China (Shenzhen)", true},
		"cn-hongkong":    {"China (Hong Kong)", false},
		"ap-southeast-1": {"Singapore", false},
		"us-west-1":      {"US (Silicon Valley)", false},
		"eu-central-1":   {"Germany (Frankfurt)", false},
	}
	regions := rules.Regions()
	if len(regions) != len(want) {
		t.Fatalf("got %d regions, want %d", len(regions), len(want))
	}
	zones := map[string]bool{}
	for _, r := range regions {
		w, ok := want[r.ID]
		if !ok {
			t.Fatalf("unexpected region %s", r.ID)
		}
		if r.Name != w.name || r.Mainland != w.mainland {
			t.Errorf("%s: got %q mainland=%v, want %q mainland=%v", r.ID, r.Name, r.Mainland, w.name, w.mainland)
		}
		if len(r.Zones) < 2 {
			t.Errorf("%s has %d zones, want 2 or more", r.ID, len(r.Zones))
		}
		for _, z := range r.Zones {
			if !strings.HasPrefix(z, r.ID) || zones[z] {
				t.Errorf("zone %s of %s is misnamed or repeated", z, r.ID)
			}
			zones[z] = true
			if got, ok := rules.RegionOfZone(z); !ok || got.ID != r.ID {
				t.Errorf("RegionOfZone(%s) = %s, %v", z, got.ID, ok)
			}
		}
		if got, ok := rules.RegionByID(r.ID); !ok || got.Name != r.Name {
			t.Errorf("RegionByID(%s) = %+v, %v", r.ID, got, ok)
		}
	}
	for _, id := range []string{"", "cn-hangzhou-g", "CN-HANGZHOU", "mars-1"} {
		if _, ok := rules.RegionByID(id); ok {
			t.Errorf("RegionByID(%q) found a region", id)
		}
	}
	if _, ok := rules.RegionOfZone("cn-hangzhou-z"); ok {
		t.Error("RegionOfZone found an unknown zone")
	}
}

func TestRegionsIsACopy(t *testing.T) {
	rs := rules.Regions()
	rs[0].Zones[0] = "changed"
	rs[0].Name = "changed"
	if r, _ := rules.RegionByID(rs[0].ID); r.Zones[0] == "changed" || r.Name == "changed" {
		t.Fatal("changing the result of Regions changed the catalogue")
	}
}

func TestSpecsAndPolicies(t *testing.T) {
	want := map[string]int{
		"api.s1.small": 2500, "api.s1.medium": 5000, "api.s2.large": 10000,
		"api.s2.large.x2": 20000, "api.s2.large.x3": 30000, "api.s2.large.x4": 40000,
		"api.s2.large.x5": 50000, "api.s2.large.x6": 60000,
	}
	specs := rules.Specs()
	if len(specs) != len(want) {
		t.Fatalf("got %d specs, want %d", len(specs), len(want))
	}
	for i, s := range specs {
		if want[s.ID] != s.RPS {
			t.Errorf("spec %s: %d RPS, want %d", s.ID, s.RPS, want[s.ID])
		}
		if i > 0 && specs[i-1].RPS >= s.RPS {
			t.Errorf("specs are not smallest first at %s", s.ID)
		}
	}
	if _, ok := rules.SpecByID("api.s3.huge"); ok {
		t.Error("SpecByID found an unknown spec")
	}
	got := strings.Join(rules.HTTPSPolicies(), ",")
	if got != "HTTPS1_1_TLS1_0,HTTPS2_TLS1_0,HTTPS2_TLS1_2" {
		t.Errorf("HTTPSPolicies = %s", got)
	}
}

func TestSharedInstances(t *testing.T) {
	if got := rules.SharedInstanceID(1); got != "api-shared-vpc-001" {
		t.Errorf("SharedInstanceID(1) = %s", got)
	}
	if got := rules.SharedInstanceID(1234); got != "api-shared-vpc-1234" {
		t.Errorf("SharedInstanceID(1234) = %s", got)
	}
	insts := rules.SharedInstances()
	if len(insts) != len(rules.Regions()) {
		t.Fatalf("got %d shared instances, want one per region", len(insts))
	}
	seen := map[string]bool{}
	for _, inst := range insts {
		r, ok := rules.RegionByID(inst.RegionID)
		switch {
		case !ok || !r.HasZone(inst.ZoneID):
			t.Errorf("%s: region %s zone %s", inst.ID, inst.RegionID, inst.ZoneID)
		case inst.Type != rules.InstanceShared || inst.AccountID != "" || inst.Dedicated() || inst.Bound():
			t.Errorf("%s is not a platform-owned shared instance: %+v", inst.ID, inst)
		case !rules.IsSharedInstanceID(inst.ID) || seen[inst.ID]:
			t.Errorf("%s is malformed or repeated", inst.ID)
		}
		seen[inst.ID] = true
		if id, ok := rules.DefaultSharedInstanceID(inst.RegionID); !ok || id != inst.ID {
			t.Errorf("DefaultSharedInstanceID(%s) = %s, %v; want %s", inst.RegionID, id, ok, inst.ID)
		}
	}
	if _, ok := rules.DefaultSharedInstanceID("mars-1"); ok {
		t.Error("DefaultSharedInstanceID found an instance for an unknown region")
	}
}

// R2: the public second-level domain's daily limit is configuration:
// 1,000 in mainland China, 100 elsewhere, Hong Kong included.
func TestPublicDailyLimit(t *testing.T) {
	def := rules.DefaultLimits()
	custom := rules.Limits{MainlandDaily: 5000, OtherDaily: 7}
	tests := []struct {
		region      string
		def, custom int
	}{
		{"cn-hangzhou", 1000, 5000},
		{"cn-shanghai", 1000, 5000},
		{"cn-beijing", 1000, 5000},
		{"cn-shenzhen", 1000, 5000},
		{"cn-hongkong", 100, 7},
		{"ap-southeast-1", 100, 7},
		{"us-west-1", 100, 7},
		{"eu-central-1", 100, 7},
		{"unknown", 100, 7},
	}
	for _, tt := range tests {
		if got := def.PublicDaily(tt.region); got != tt.def {
			t.Errorf("default PublicDaily(%s) = %d, want %d", tt.region, got, tt.def)
		}
		if got := custom.PublicDaily(tt.region); got != tt.custom {
			t.Errorf("custom PublicDaily(%s) = %d, want %d", tt.region, got, tt.custom)
		}
	}
}

func TestFormatDailyLimit(t *testing.T) {
	tests := map[int]string{
		1: "1 call a day", 0: "0 calls a day", 100: "100 calls a day", 1000: "1,000 calls a day",
		999999: "999,999 calls a day", 1234567: "1,234,567 calls a day", -1500: "-1,500 calls a day",
	}
	for n, want := range tests {
		if got := rules.FormatDailyLimit(n); got != want {
			t.Errorf("FormatDailyLimit(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestRegionName(t *testing.T) {
	if got := rules.RegionName("cn-hongkong"); got != "China (Hong Kong)" {
		t.Errorf("RegionName(cn-hongkong) = %q", got)
	}
	if got := rules.RegionName("mars-1"); got != "mars-1" {
		t.Errorf("RegionName(mars-1) = %q", got)
	}
}
