package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name search. A group name may hold any letter (R1), so searching by name
// folds case for every letter, not only ASCII: "über" finds "Über_api",
// "ΑΠΙ" finds "api_απι", and letters without case (Chinese) match
// themselves. The console and DescribeApiGroups search the same way: the
// store keeps each name's FoldName beside it (indexed) and matches the
// folded keyword against it; NameContains is the same test on one name.

// FoldName is s with every letter's case folded: each character is
// upper-cased and then lower-cased, one character for one (simple case
// folding), so that the letters a case-insensitive reader takes for the
// same fold to the same character ("K", "k" and the Kelvin sign "K";
// "Σ", "σ" and the final "ς"). Letters without case are kept.
func FoldName(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return strings.Map(foldRune, s)
		}
	}
	return s // ASCII with nothing to fold: the common case, no copy
}

func foldRune(r rune) rune { return unicode.ToLower(unicode.ToUpper(r)) }

// SearchKeyword is the form a name-search keyword is matched in: trimmed
// and folded; "" means no filter.
func SearchKeyword(keyword string) string { return FoldName(strings.TrimSpace(keyword)) }

// NameContains reports whether a group name matches a name-search keyword,
// as the store's search decides it.
func NameContains(name, keyword string) bool {
	return strings.Contains(FoldName(name), SearchKeyword(keyword))
}
