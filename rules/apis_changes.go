package rules

import (
	"slices"
	"strings"
)

// What a stage would change on deploying again: an API's page compares each
// stage's snapshot with the current definition and names what differs.

// DefinitionChanges names, in the order a form shows them, the settings in
// which current differs from deployed (both normalized, as the store keeps
// them); none means deploying again would serve the same definition.
func DefinitionChanges(deployed, current APIDefinition) []string {
	var out []string
	add := func(differs bool, label string) {
		if differs {
			out = append(out, label)
		}
	}
	add(deployed.Name != current.Name, "name")
	add(deployed.Description != current.Description, "description")
	add(deployed.Method != current.Method, "method")
	add(deployed.Path != current.Path, "path")
	add(deployed.Protocols != current.Protocols, "protocols")
	add(deployed.Backend != current.Backend, "backend type")
	add(deployed.MockBody != current.MockBody, "Mock body")
	add(deployed.MockStatus != current.MockStatus, "Mock status code")
	add(!slices.Equal(deployed.MockHeaders, current.MockHeaders), "Mock headers")
	add(deployed.ServiceAddress != current.ServiceAddress, "backend address")
	add(deployed.ServicePath != current.ServicePath, "backend path")
	add(deployed.ServiceMethod != current.ServiceMethod, "backend method")
	add(deployed.ServiceTimeout != current.ServiceTimeout, "backend timeout")
	add(deployed.AuthType != current.AuthType, "authentication")
	add(deployed.DisableInternet != current.DisableInternet, "Internet access")
	add(deployed.Visibility != current.Visibility, "visibility")
	add(deployed.ResultType != current.ResultType, "result type")
	add(deployed.ResultSample != current.ResultSample, "result sample")
	return out
}

// ParseHeaderLines reads the Mock headers as the console's form takes them:
// one "Name: Value" a line, blank lines ignored, spaces around the name and
// the value trimmed. A line without a colon is refused, naming its number;
// the headers themselves are checked by APIDefinition.Validate.
func ParseHeaderLines(text string) ([]Header, error) {
	var out []Header
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, invalid(FieldMockHeaders, CodeInvalidMockHeader,
				"Line %d of the headers is not of the form Name: Value (%.40q).", i+1, strings.TrimSpace(line))
		}
		out = append(out, Header{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
	}
	return out, nil
}

// FormatHeaderLines writes headers as ParseHeaderLines reads them.
func FormatHeaderLines(hs []Header) string {
	var b strings.Builder
	for i, h := range hs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(h.Name + ": " + h.Value)
	}
	return b.String()
}
