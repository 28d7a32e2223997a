// Package pages holds one component per console page, each with its props.
package pages

import "strconv"

// count writes a number with thousands separators: 100000 → "100,000".
func count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
