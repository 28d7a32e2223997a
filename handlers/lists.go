package handlers

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gatehouse/store"
	"gatehouse/views/components"
)

// nameSearch reads a list's name search (the q field): trimmed, and
// refused with its reason on the field, the list then showing every name,
// when it is not UTF-8 or longer than any name of the noun can be (max).
func nameSearch(raw string, max int, noun string, errs components.Errors) (keyword string, ok bool) {
	switch keyword = strings.TrimSpace(raw); {
	case !utf8.ValidString(keyword):
		errs.Add("q", "The search text is not valid UTF-8 text; showing every name.")
		return "", false
	case utf8.RuneCountInString(keyword) > max:
		errs.Add("q", fmt.Sprintf("Search for at most %d characters: no %s name is longer.", max, noun))
		return "", false
	}
	return keyword, true
}

// listPage lists the page a link's cursor asks for; a cursor the store
// refuses (edited, or of other filters: the only input a list refuses
// here) gets the reason on the page and the first page instead, and
// refused says so.
func listPage[P any](errs components.Errors, list func(fromStart bool) (P, error)) (page P, refused bool, err error) {
	page, err = list(false)
	var badCursor *store.InputError
	if !errors.As(err, &badCursor) {
		return page, false, err
	}
	errs.Add("", "This page link is not valid for the list (it may have been edited or belong to other filters). Showing the first page.")
	page, err = list(true)
	return page, true, err
}
