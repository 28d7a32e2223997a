package components

// Link is a place to go and what to call it.
type Link struct {
	Href  string
	Label string
}

// Refusal is a rule's refusal as the console shows it: the rule's own
// message, and the ways out, links to what must change first. A dialog
// shows it instead of its Confirm button (RefusalNotice); a page can show
// it beside the button it disables.
type Refusal struct {
	Message string
	WayOut  []Link
	// Short is the reason in a few words, for a table row's button
	// ("2 groups have the VPC domain enabled"); the Message otherwise.
	Short string
}

// Brief is the reason as a table row shows it.
func (r Refusal) Brief() string {
	if r.Short != "" {
		return r.Short
	}
	return r.Message
}
