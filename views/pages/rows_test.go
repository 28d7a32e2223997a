package pages

import (
	"context"
	"strings"
	"testing"
	"time"
)

// The list rows written in Go escape every value that comes from data,
// as a template would, and write the cells the tests of the pages read.
func TestRowsEscapeAndWriteTheirCells(t *testing.T) {
	hostile := `x"><script>alert(1)</script>&'`
	escaped := `x&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;`
	created := time.Date(2026, 3, 1, 2, 3, 4, 0, time.FixedZone("UTC+1", 3600))
	var groups, apis strings.Builder
	err := groupRows([]GroupListRow{{ID: "0123456789abcdef0123456789abcdef", Name: hostile, RegionID: hostile, RegionName: hostile,
		InstanceID: hostile, InstanceName: hostile, InstanceType: hostile, PublicDomain: "g-" + hostile, VpcDomain: hostile, Created: created}}).
		Render(context.Background(), &groups)
	if err != nil {
		t.Fatal(err)
	}
	err = apiRows([]APIListRow{{ID: "0123456789abcdef0123456789abcdef", Name: hostile, GroupID: hostile, GroupName: hostile, RegionID: hostile,
		Method: hostile, Path: hostile, Backend: hostile, Created: created,
		Stages: []APIStageBadge{{Stage: "RELEASE", Revision: 3, Older: true}, {Stage: "TEST", Revision: 4}}}}, true).
		Render(context.Background(), &apis)
	if err != nil {
		t.Fatal(err)
	}
	for name, html := range map[string]string{"groups": groups.String(), "apis": apis.String()} {
		if strings.Contains(html, "<script>") || strings.Contains(html, `x">`) {
			t.Errorf("%s: a value is written unescaped:\n%s", name, html)
		}
		if !strings.Contains(html, escaped) {
			t.Errorf("%s: the escaped value is missing:\n%s", name, html)
		}
		for _, want := range []string{
			`<time datetime="2026-03-01T01:03:04Z"><span class="nowrap">2026-03-01</span> <span class="nowrap">01:03:04 UTC</span></time>`,
			`<code title="0123456789abcdef0123456789abcdef" data-id="0123456789abcdef0123456789abcdef">01234567…abcdef</code>`,
		} {
			if !strings.Contains(html, want) {
				t.Errorf("%s: missing %s in\n%s", name, want, html)
			}
		}
	}
	if want := `<span class="dname">g-<wbr>` + escaped + `</span>`; !strings.Contains(groups.String(), want) {
		t.Errorf("groups: the public domain does not wrap after the group id: %s", groups.String())
	}
	if want := `<span class="badge warn">RELEASE · r3 · older</span> <span class="badge ok">TEST · r4</span>`; !strings.Contains(apis.String(), want) {
		t.Errorf("apis: stage badges: %s", apis.String())
	}
}
