package rules

// Words for people, shared by every message of rules and every page of the
// console, so that each thing is written one way.

// Plural writes a count and the noun that goes with it: "1 vSwitch",
// "1,250 vSwitches". one and many may carry a verb: "1 group is".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return FormatThousands(n) + " " + many
}

// RegionLabel names a region for a choice or a label: "China (Hangzhou) ·
// cn-hangzhou", or the id alone when it is not in the catalogue.
func RegionLabel(id string) string {
	if name := RegionName(id); name != id {
		return name + " · " + id
	}
	return id
}

// Shorten keeps a caller's value readable in a message: at most 64
// characters, so a pasted page of text does not become a page of error.
func Shorten(s string) string {
	if len(s) <= 64 {
		return s
	}
	r := []rune(s)
	if len(r) <= 64 {
		return s
	}
	return string(r[:64]) + "…"
}
