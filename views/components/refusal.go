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
}
