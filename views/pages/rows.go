package pages

import (
	"context"
	"html"
	"io"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"gatehouse/views/components"
	"gatehouse/views/paths"
)

// The rows of the two long lists (API Groups and APIs, 50 rows a page)
// are written here in Go rather than by templates: the templ version in
// use formats every { expression } with fmt.Sprint and resolves every
// attribute through reflection, which made those rows a third of the
// pages' cost (docs/performance.md). The markup is the templates' own;
// the handler and Playwright tests read it as before.

// rowWriter appends a row's markup, escaping what comes from data.
type rowWriter struct{ b []byte }

func (w *rowWriter) raw(s string)  { w.b = append(w.b, s...) }
func (w *rowWriter) text(s string) { w.b = append(w.b, html.EscapeString(s)...) }

// idChip is components.ID's markup, written in place.
func (w *rowWriter) idChip(id, what string) { w.b = components.AppendID(w.b, id, what) }

// created is the Created cell's content: the date and the clock, UTC.
func (w *rowWriter) created(t time.Time) {
	w.raw(`<div><time datetime="`)
	w.b = t.UTC().AppendFormat(w.b, time.RFC3339)
	w.raw(`"><span class="nowrap">`)
	w.b = t.UTC().AppendFormat(w.b, dateLayout)
	w.raw(`</span> <span class="nowrap">`)
	w.b = t.UTC().AppendFormat(w.b, clockLayout)
	w.raw(`</span></time></div>`)
}

// domain writes a derived second-level domain so that it wraps after the
// group id rather than inside it (groupDomainName's markup).
func (w *rowWriter) domain(name string) {
	head, tail := groupSplitDomain(name)
	w.raw(`<span class="dname">`)
	w.text(head)
	w.raw(`<wbr>`)
	w.text(tail)
	w.raw(`</span>`)
}

// rowsComponent writes each of rows with row, one write a row through a
// buffer the rows share.
func rowsComponent[T any](rows []T, row func(*rowWriter, T)) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, out io.Writer) error {
		w := &rowWriter{b: make([]byte, 0, 2048)}
		for _, r := range rows {
			w.b = w.b[:0]
			row(w, r)
			if _, err := out.Write(w.b); err != nil {
				return err
			}
		}
		return nil
	})
}

// groupRows is the body of the API Groups table.
func groupRows(rows []GroupListRow) templ.Component {
	return rowsComponent(rows, func(w *rowWriter, r GroupListRow) {
		w.raw(`<tr><td data-label="Group name / ID"><div><a href="`)
		w.text(paths.Group(r.ID))
		w.raw(`">`)
		w.text(r.Name)
		w.raw(`</a>`)
		w.idChip(r.ID, "group")
		w.raw(`</div></td><td data-label="Region"><div>`)
		w.text(r.RegionName)
		w.raw(`<span class="sub">`)
		w.text(r.RegionID)
		w.raw(`</span></div></td><td data-label="Instance"><div>`)
		if r.InstanceName != "" {
			w.raw(`<a href="`)
			w.text(paths.Instance(r.InstanceID))
			w.raw(`" title="`)
			w.text(r.InstanceID)
			w.raw(`">`)
			w.text(r.InstanceName)
			w.raw(`</a>`)
		} else {
			w.raw(`<span class="mono nowrap">`)
			w.text(r.InstanceID)
			w.raw(`</span>`)
		}
		switch r.InstanceType {
		case "VPC_DEDICATED":
			w.raw(`<span class="badge accent">VPC_DEDICATED</span>`)
		case "VPC_SHARED":
			w.raw(`<span class="badge">VPC_SHARED</span>`)
		default:
			w.raw(`<span class="badge">`)
			w.text(r.InstanceType)
			w.raw(`</span>`)
		}
		w.raw(`</div></td><td data-label="Public domain"><div>`)
		w.domain(r.PublicDomain)
		w.raw(`</div></td><td data-label="VPC domain"><div>`)
		if r.VpcDomain != "" {
			w.domain(r.VpcDomain)
		} else {
			w.raw(`<span class="muted">Not enabled</span>`)
		}
		w.raw(`</div></td><td data-label="Created">`)
		w.created(r.Created)
		w.raw(`</td></tr>`)
	})
}

// apiRows is the body of an APIs table (APITable); withGroup adds the
// Group column.
func apiRows(rows []APIListRow, withGroup bool) templ.Component {
	return rowsComponent(rows, func(w *rowWriter, r APIListRow) {
		w.raw(`<tr><td data-label="API name / ID"><div><a href="`)
		w.text(paths.API(r.ID))
		w.raw(`">`)
		w.text(r.Name)
		w.raw(`</a>`)
		w.idChip(r.ID, "API")
		w.raw(`</div></td>`)
		if withGroup {
			w.raw(`<td data-label="Group"><div><a href="`)
			w.text(paths.Group(r.GroupID))
			w.raw(`">`)
			w.text(r.GroupName)
			w.raw(`</a><span class="sub">`)
			w.text(r.RegionID)
			w.raw(`</span></div></td>`)
		}
		w.raw(`<td data-label="Request"><div><span class="method">`)
		w.text(r.Method)
		w.raw(`</span> <span class="dname">`)
		w.text(r.Path)
		w.raw(`</span></div></td><td data-label="Backend"><div>`)
		w.text(r.Backend)
		w.raw(`</div></td><td data-label="Deployed to"><div class="stages">`)
		for _, s := range r.Stages {
			if s.Older {
				w.raw(`<span class="badge warn">`)
			} else {
				w.raw(`<span class="badge ok">`)
			}
			w.text(s.Stage)
			w.raw(` · r`)
			w.b = strconv.AppendInt(w.b, s.Revision, 10)
			if s.Older {
				w.raw(` · older`)
			}
			w.raw(`</span> `)
		}
		if len(r.Stages) == 0 {
			w.raw(`<span class="muted">Not deployed</span>`)
		}
		w.raw(`</div></td><td data-label="Created">`)
		w.created(r.Created)
		w.raw(`</td></tr>`)
	})
}
