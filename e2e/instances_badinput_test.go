//go:build e2e

package e2e

import (
	"strings"
	"testing"
)

// Bad input to Create Instance and Bind to VPC, including another tenant's
// VPC: each answer is a field error with a 4xx, never a 500, and nothing
// changes.
func TestInstancesBadInput(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		other := browserPage(t, pageOpts{})
		login(t, other, newAccount(t, "operator"))
		otherVpc, otherVsw := seedVpc(t, other, "cn-hangzhou")
		otherInst := seedInstance(t, other, "cn-hangzhou")

		vpcID, vswID := seedVpc(t, page, "cn-hangzhou")
		_, vsw2 := seedVpc(t, page, "cn-hangzhou")
		open(t, page, "/instances")

		long := strings.Repeat("a", 5000)
		good := map[string]string{"name": "gw", "region": "cn-hangzhou", "zone": "cn-hangzhou-g", "spec": "api.s1.small", "https_policy": "HTTPS2_TLS1_0"}
		with := func(k, v string) map[string]string {
			m := map[string]string{}
			for a, b := range good {
				m[a] = b
			}
			m[k] = v
			return m
		}
		for _, c := range []struct {
			name   string
			fields map[string]string
			says   string
		}{
			{"empty name", with("name", ""), "Enter a name for the instance."},
			{"long name", with("name", "g"+long), "at most 128 characters"},
			{"name format", with("name", "9gw"), "starts with a letter"},
			{"unknown region", with("region", "mars-1"), `The region "mars-1" does not exist.`},
			{"zone of another region", with("zone", "cn-beijing-g"), "Choose a zone of China (Hangzhou)"},
			{"empty zone", with("zone", ""), "Choose a zone."},
			{"unknown spec", with("spec", "api.huge"), `The instance spec "api.huge" does not exist.`},
			{"unknown policy", with("https_policy", "TLS9"), `The HTTPS security policy "TLS9" does not exist.`},
		} {
			status, msg := postStatus(t, page, "/instances", c.fields)
			if status != 422 || !strings.Contains(msg, c.says) {
				t.Errorf("Create Instance, %s: status %d %q, want 422 saying %q", c.name, status, msg, c.says)
			}
		}
		if ids := idsOn(t, page, "/instances", instanceIDRE("cn-hangzhou")); len(ids) != 0 {
			t.Fatalf("refused instances were created: %v", ids)
		}

		inst := seedInstance(t, page, "cn-hangzhou")
		bind := instancePath(inst) + "/bind"
		for _, c := range []struct {
			name     string
			vpc, vsw string
			status   int
			says     string
		}{
			{"empty", "", "", 422, "Choose a VPC."},
			// A malformed id is absent, as Alibaba answers (InvalidVpcId.NotFound).
			{"malformed VPC id", "vpc-NOPE", vswID, 404, `The VPC "vpc-NOPE" does not exist.`},
			{"long VPC id", long, vswID, 404, `…" does not exist.`},
			{"malformed vSwitch id", vpcID, "sw-1", 404, `The vSwitch "sw-1" does not exist.`},
			{"another tenant's VPC", otherVpc, otherVsw, 404, `The VPC "` + otherVpc + `" does not exist.`},
			{"another tenant's vSwitch", vpcID, otherVsw, 404, `The vSwitch "` + otherVsw + `" does not exist.`},
			{"vSwitch of another VPC", vpcID, vsw2, 422, "does not belong to the VPC " + vpcID},
		} {
			status, msg := postStatus(t, page, bind, map[string]string{"vpc": c.vpc, "vswitch": c.vsw})
			if status != c.status || !strings.Contains(msg, c.says) {
				t.Errorf("Bind to VPC, %s: status %d %q, want %d saying %q", c.name, status, msg, c.status, c.says)
			}
		}
		// Another tenant's instance is absent, in the path too.
		if status, _ := postStatus(t, page, instancePath(otherInst)+"/bind", map[string]string{"vpc": vpcID, "vswitch": vswID}); status != 404 {
			t.Errorf("binding another tenant's instance: status %d, want 404", status)
		}
		for path, want := range map[string]int{
			instancePath(otherInst):                                404,
			instancePath("apigateway-cn-hangzhou-000000000000"):    404,
			instancePath(otherInst) + "/bind":                      404,
			"/instances/new/zones?region=" + long:                  422,
			instancePath(inst) + "/bind/vswitches?vpc=" + otherVpc: 404,
		} {
			if status, _ := get(t, page, path); status != want {
				t.Errorf("GET %.80s: status %d, want %d", path, status, want)
			}
		}

		// A shared instance is never bound, unbound or deleted.
		shared := instancePath("api-shared-vpc-001")
		if status, msg := postStatus(t, page, shared+"/bind", map[string]string{"vpc": vpcID, "vswitch": vswID}); status != 422 || !strings.Contains(msg, "is a shared instance") {
			t.Errorf("binding a shared instance: status %d %q, want 422 saying it is shared", status, msg)
		}
		for _, action := range []string{"/bind", "/unbind", "/delete"} {
			if status, _ := get(t, page, shared+action); status != 409 {
				t.Errorf("GET %s%s: status %d, want 409", shared, action, status)
			}
		}
		if status, msg := postStatus(t, page, shared+"/delete", nil); status != 422 || !strings.Contains(msg, "cannot be deleted") {
			t.Errorf("deleting a shared instance: status %d %q, want 422", status, msg)
		}

		// The dialog itself shows the refusal beside the Vpc Id field.
		resp, err := page.Goto(bind + "?vpc=" + otherVpc)
		must(t, err)
		if resp.Status() != 404 {
			t.Errorf("bind dialog with another tenant's VPC: status %d, want 404", resp.Status())
		}
		d := dialog(page, "Apply for VPC Endpoint")
		must(t, expect.Locator(fieldErrorIn(d, "instance-bind", "vpc")).ToContainText("is not one of your VPCs in this instance's region"))
		must(t, expect.Locator(d.Locator(`option[value="`+otherVpc+`"]`)).ToHaveCount(0))

		// Nothing changed: the instance is unbound, the other tenant's VPC
		// has no instance bound.
		open(t, page, "/instances")
		must(t, expect.Locator(rowOf(page, "instance", inst)).ToContainText("Not bound"))
		open(t, other, vpcPath(otherVpc))
		must(t, expect.Locator(other.GetByText("No dedicated instance is bound to this VPC.")).ToBeVisible())
	})
}
