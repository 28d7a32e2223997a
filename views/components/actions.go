package components

import (
	"html"

	"github.com/a-h/templ"
)

// The action buttons and refusals below are written in Go rather than by
// templates, as ID is: the templ version in use formats every
// { expression } with fmt.Sprint, resolves every class list through a map
// and wraps every call in closures and a pooled buffer, which made these
// small components, drawn several times on every resource page, a good
// part of Group Details' cost (docs/performance.md). The markup is byte
// for byte the templates' (TestComponentsMarkup holds it).

// Action is a button of a page that opens an action's dialog: a link to
// the dialog, or, when the rules already refuse the action (Refusal set),
// the button disabled with the reason beside it and the way out as links.
// The same Refusal is what the dialog shows.
type Action struct {
	ID      string // unique on the page: the reason's id derives from it
	Href    string
	Label   string
	Class   string // btn classes: "btn", "btn small danger", ...
	Refusal *Refusal
}

// DialogLink opens a dialog: with JavaScript as a modal fetched by htmx into
// #dialog-host, without it as a page of its own.
func DialogLink(href, label, class string) templ.Component {
	return Markup(256, func(b []byte) []byte { return AppendDialogLink(b, href, label, class) })
}

// AppendDialogLink appends DialogLink's markup to b.
func AppendDialogLink(b []byte, href, label, class string) []byte {
	b = append(b, `<a class="`...)
	b = appendEscaped(b, class)
	e := html.EscapeString(href)
	b = append(b, `" href="`...)
	b = append(b, e...)
	b = append(b, `" hx-get="`...)
	b = append(b, e...)
	b = append(b, `" hx-target="#dialog-host" hx-swap="innerHTML" hx-push-url="false">`...)
	b = appendEscaped(b, label)
	return append(b, `</a>`...)
}

// ActionButton is an Action's button; a refused one is followed by its
// reason (RefusalReason), which the disabled button names as its
// description.
func ActionButton(a Action) templ.Component {
	return Markup(256, func(b []byte) []byte { return appendActionButton(b, &a) })
}

func appendActionButton(b []byte, a *Action) []byte {
	if a.Refusal == nil {
		return AppendDialogLink(b, a.Href, a.Label, a.Class)
	}
	b = append(b, `<button type="button" class="`...)
	b = appendEscaped(b, a.Class)
	b = append(b, `" disabled aria-describedby="`...)
	b = appendEscaped(b, a.ID)
	b = append(b, `-why" id="`...)
	b = appendEscaped(b, a.ID)
	b = append(b, `">`...)
	b = appendEscaped(b, a.Label)
	return append(b, `</button>`...)
}

// RefusalReason is why a refused Action's button is disabled, with its
// way out; placed after the row of buttons it belongs to.
func RefusalReason(a Action) templ.Component {
	if a.Refusal == nil {
		return templ.NopComponent
	}
	return Markup(512, func(b []byte) []byte { return appendRefusalReason(b, &a, "refusal-reason", a.Refusal.Message) })
}

// appendRefusalReason writes a refused Action's reason in a div of the
// class given, saying why in the words given (the whole message or its
// brief).
func appendRefusalReason(b []byte, a *Action, class, why string) []byte {
	b = append(b, `<div class="`...)
	b = append(b, class...)
	b = append(b, `" id="`...)
	b = appendEscaped(b, a.ID)
	b = append(b, `-why"><p><strong>`...)
	b = appendEscaped(b, a.Label)
	b = append(b, `:</strong> `...)
	b = appendEscaped(b, why)
	b = append(b, `</p>`...)
	b = appendWayOut(b, a.Refusal.WayOut)
	return append(b, `</div>`...)
}

// ActionBar is a row of Actions, then the reasons of those refused in a
// few words (a table row's; the page of the resource says them whole).
func ActionBar(class string, actions ...Action) templ.Component {
	return Markup(256+256*len(actions), func(b []byte) []byte {
		b = append(b, `<div class="`...)
		b = appendEscaped(b, class)
		b = append(b, `">`...)
		for i := range actions {
			b = appendActionButton(b, &actions[i])
		}
		b = append(b, `</div>`...)
		for i := range actions {
			if a := &actions[i]; a.Refusal != nil {
				b = appendRefusalReason(b, a, "refusal-reason brief", a.Refusal.Brief())
			}
		}
		return b
	})
}

// RefusalNotice shows a rule's refusal and its ways out (each blocker a
// link); nothing for nil.
func RefusalNotice(id string, r *Refusal) templ.Component {
	if r == nil {
		return templ.NopComponent
	}
	return Markup(512, func(b []byte) []byte {
		b = append(b, `<div class="notice err" role="alert" id="`...)
		b = appendEscaped(b, id)
		b = append(b, `"><p>`...)
		b = appendEscaped(b, r.Message)
		b = append(b, `</p>`...)
		b = appendWayOut(b, r.WayOut)
		return append(b, `</div>`...)
	})
}

// appendWayOut writes a refusal's ways out: one link as a paragraph,
// several as a list, none as nothing.
func appendWayOut(b []byte, links []Link) []byte {
	switch {
	case len(links) == 1:
		b = append(b, `<p class="way-out">`...)
		b = appendLink(b, links[0])
		return append(b, `</p>`...)
	case len(links) > 1:
		b = append(b, `<ul class="way-out">`...)
		for _, l := range links {
			b = append(b, `<li>`...)
			b = appendLink(b, l)
			b = append(b, `</li>`...)
		}
		return append(b, `</ul>`...)
	}
	return b
}

func appendLink(b []byte, l Link) []byte {
	b = append(b, `<a href="`...)
	b = appendEscaped(b, l.Href)
	b = append(b, `">`...)
	b = appendEscaped(b, l.Label)
	return append(b, `</a>`...)
}
