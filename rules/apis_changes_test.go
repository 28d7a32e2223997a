package rules_test

import (
	"reflect"
	"strings"
	"testing"

	"gatehouse/rules"
)

func TestDefinitionChanges(t *testing.T) {
	base := rules.APIDefinition{Name: "get_user", Method: "GET", Path: "/users/[id]", Protocols: rules.ProtocolsHTTP,
		Backend: rules.BackendMock, MockBody: "{}", MockStatus: 200, MockHeaders: []rules.Header{{Name: "A", Value: "1"}},
		AuthType: rules.AuthAnonymous, Visibility: "PRIVATE", ResultType: "JSON"}
	remote := base
	remote.Backend, remote.MockBody, remote.MockStatus, remote.MockHeaders = rules.BackendHTTP, "", 0, nil
	remote.ServiceAddress, remote.ServicePath, remote.ServiceMethod, remote.ServiceTimeout = "http://127.0.0.1:9000", "/", "GET", 3000
	tests := []struct {
		name   string
		change func(d *rules.APIDefinition)
		want   []string
	}{
		{"nothing", func(*rules.APIDefinition) {}, nil},
		{"name", func(d *rules.APIDefinition) { d.Name = "get_person" }, []string{"name"}},
		{"description", func(d *rules.APIDefinition) { d.Description = "x" }, []string{"description"}},
		{"method", func(d *rules.APIDefinition) { d.Method = "ANY" }, []string{"method"}},
		{"path", func(d *rules.APIDefinition) { d.Path = "/people/[id]" }, []string{"path"}},
		{"protocols", func(d *rules.APIDefinition) { d.Protocols |= rules.ProtocolsHTTPS }, []string{"protocols"}},
		{"mock body", func(d *rules.APIDefinition) { d.MockBody = "[]" }, []string{"Mock body"}},
		{"mock status", func(d *rules.APIDefinition) { d.MockStatus = 404 }, []string{"Mock status code"}},
		{"mock header value", func(d *rules.APIDefinition) { d.MockHeaders = []rules.Header{{Name: "A", Value: "2"}} }, []string{"Mock headers"}},
		{"mock headers gone", func(d *rules.APIDefinition) { d.MockHeaders = nil }, []string{"Mock headers"}},
		{"auth", func(d *rules.APIDefinition) { d.AuthType = rules.AuthApp }, []string{"authentication"}},
		{"internet", func(d *rules.APIDefinition) { d.DisableInternet = true }, []string{"Internet access"}},
		{"visibility", func(d *rules.APIDefinition) { d.Visibility = "PUBLIC" }, []string{"visibility"}},
		{"result type", func(d *rules.APIDefinition) { d.ResultType = "TEXT" }, []string{"result type"}},
		{"result sample", func(d *rules.APIDefinition) { d.ResultSample = "{}" }, []string{"result sample"}},
		{"to an HTTP backend", func(d *rules.APIDefinition) { *d = remote },
			[]string{"backend type", "Mock body", "Mock status code", "Mock headers", "backend address", "backend path", "backend method", "backend timeout"}},
		{"two at once, in form order", func(d *rules.APIDefinition) { d.MockBody, d.Path = "[]", "/u/[id]" }, []string{"path", "Mock body"}},
	}
	for _, tt := range tests {
		cur := base
		cur.MockHeaders = append([]rules.Header(nil), base.MockHeaders...)
		tt.change(&cur)
		if got := rules.DefinitionChanges(base, cur); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	// The HTTP backend's own settings, one at a time.
	for _, tt := range []struct {
		change func(d *rules.APIDefinition)
		want   string
	}{
		{func(d *rules.APIDefinition) { d.ServiceAddress = "https://10.0.0.1" }, "backend address"},
		{func(d *rules.APIDefinition) { d.ServicePath = "/v2" }, "backend path"},
		{func(d *rules.APIDefinition) { d.ServiceMethod = "POST" }, "backend method"},
		{func(d *rules.APIDefinition) { d.ServiceTimeout = 5000 }, "backend timeout"},
	} {
		cur := remote
		tt.change(&cur)
		if got := rules.DefinitionChanges(remote, cur); !reflect.DeepEqual(got, []string{tt.want}) {
			t.Errorf("%q, want [%s]", got, tt.want)
		}
	}
}

func TestParseHeaderLines(t *testing.T) {
	tests := []struct {
		text    string
		want    []rules.Header
		wantErr string
	}{
		{"", nil, ""},
		{"\n  \n", nil, ""},
		{"Content-Type: application/json", []rules.Header{{Name: "Content-Type", Value: "application/json"}}, ""},
		{"A:1\r\n\r\n  B :  two words  \n", []rules.Header{{Name: "A", Value: "1"}, {Name: "B", Value: "two words"}}, ""},
		{"X-Time: 12:30", []rules.Header{{Name: "X-Time", Value: "12:30"}}, ""},
		{"Empty:", []rules.Header{{Name: "Empty", Value: ""}}, ""},
		{"A: 1\nno colon here", nil, "Line 2 of the headers is not of the form Name: Value"},
	}
	for _, tt := range tests {
		got, err := rules.ParseHeaderLines(tt.text)
		if tt.wantErr != "" {
			re, ok := rules.AsError(err)
			if !ok || !strings.Contains(re.Message, tt.wantErr) || re.Field != rules.FieldMockHeaders || re.Code != rules.CodeInvalidMockHeader {
				t.Errorf("%q: error %v, want %q on %s", tt.text, err, tt.wantErr, rules.FieldMockHeaders)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: %+v, %v; want %+v", tt.text, got, err, tt.want)
		}
	}
	hs := []rules.Header{{Name: "A", Value: "1"}, {Name: "Content-Type", Value: "text/plain; charset=utf-8"}}
	if back, err := rules.ParseHeaderLines(rules.FormatHeaderLines(hs)); err != nil || !reflect.DeepEqual(back, hs) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	if got := rules.FormatHeaderLines(nil); got != "" {
		t.Errorf("no headers: %q", got)
	}
}
