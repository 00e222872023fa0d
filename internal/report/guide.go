package report

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// The steering-group guide (SPEC C10, seed 003 §6.2.4): one printable
// page that tells the members of a project's steering group what each
// role answers for, in the reader's language. It goes to the customer
// when the project is agreed (so the right people are chosen) and to each
// member when named, and is reviewed at the first steering-group meeting.
// The texts are our own, in the locale files (guide.*).

// guideItems is how many responsibilities each role lists.
const guideItems = 4

// Guide is the guide for one reader. The HTML page and the PDF render it.
type Guide struct {
	Language    string      `json:"language"`
	Title       string      `json:"title"`
	Subtitle    string      `json:"subtitle"`
	Project     string      `json:"project"`
	Account     string      `json:"account,omitempty"`
	Reader      string      `json:"reader,omitempty" doc:"The member or customer the copy is for."`
	Seat        string      `json:"seat,omitempty" doc:"The reader's seat, as the language writes it; empty for the customer's copy."`
	YourSeat    string      `json:"your_seat" doc:"The label that marks the reader's role."`
	Note        string      `json:"note" doc:"Why the reader receives it."`
	Intro       string      `json:"intro"`
	Roles       []GuideRole `json:"roles"`
	Sections    []GuideText `json:"sections"`
	GeneratedAt time.Time   `json:"generated_at"`
}

// GuideRole is one role's responsibilities.
type GuideRole struct {
	Role    liaison.BoardRole `json:"role"`
	Name    string            `json:"name"`
	Summary string            `json:"summary"`
	Items   []string          `json:"items"`
	Yours   bool              `json:"yours" doc:"The reader's own role."`
}

// GuideText is a titled paragraph.
type GuideText struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

// GuideFor names the reader of a guide: a board member (Role set) or the
// customer receiving it when the project is agreed (Role empty).
type GuideFor struct {
	Project    *liaison.Project
	Reader     string
	Role       liaison.BoardRole
	Represents liaison.Side
}

// BuildGuide writes the guide in l's language for the reader.
func BuildGuide(l *i18n.Localizer, f GuideFor, now time.Time) *Guide {
	g := &Guide{Language: string(l.Lang()), Title: l.T("guide.title"), Subtitle: l.T("guide.subtitle"),
		Project: f.Project.Name, Account: f.Project.OrganisationName, Reader: f.Reader, Intro: l.T("guide.intro"), GeneratedAt: now.UTC(),
		YourSeat: l.T("guide.your_seat")}
	if f.Role != "" {
		g.Seat = SeatLabel(l, f.Role, f.Represents)
		g.Note = l.T("guide.note.member", g.Seat)
	} else {
		g.Note = l.T("guide.note.customer")
	}
	for _, r := range liaison.BoardRoles {
		gr := GuideRole{Role: r, Name: l.T("board.role." + string(r)), Summary: l.T("guide.role." + string(r) + ".summary"), Yours: r == f.Role}
		for i := 1; i <= guideItems; i++ {
			gr.Items = append(gr.Items, l.T(fmt.Sprintf("guide.role.%s.%d", r, i)))
		}
		g.Roles = append(g.Roles, gr)
	}
	g.Sections = []GuideText{
		{Title: l.T("guide.manager.title"), Text: l.T("guide.manager.text")},
		{Title: l.T("guide.communication.title"), Text: l.T("guide.communication.text")},
		{Title: l.T("guide.first_meeting.title"), Text: l.T("guide.first_meeting.text")},
	}
	return g
}

// SeatLabel names a seat: the role, and for the relationship manager
// whom they represent.
func SeatLabel(l *i18n.Localizer, r liaison.BoardRole, side liaison.Side) string {
	s := l.T("board.role." + string(r))
	if r == liaison.RoleRelationshipManager && side != "" {
		s += " (" + l.T("board.side."+string(side)) + ")"
	}
	return s
}

// GuidePDF writes the guide as a one-page A4 PDF in its language.
func GuidePDF(g *Guide, l *i18n.Localizer) ([]byte, error) {
	doc := fpdf.New("P", "mm", "A4", "")
	doc.SetCreationDate(g.GeneratedAt)
	doc.SetModificationDate(g.GeneratedAt)
	doc.SetTitle(g.Title+" – "+g.Project, true)
	doc.SetLang(g.Language)
	doc.SetCreator("Liaison", true)
	doc.AddUTF8FontFromBytes(fontName, "", font)
	const m = 14.0
	doc.SetMargins(m, 12, m)
	doc.SetAutoPageBreak(true, 10)
	w := pageW - 2*m
	r := &pdfWriter{doc: doc, l: l}
	doc.AddPage()
	r.font(8.5, colAccent)
	doc.CellFormat(w, 4.5, g.Subtitle, "", 1, "L", false, 0, "")
	r.font(17, colInk)
	r.para(m, w, 7.5, g.Title+": "+g.Project)
	r.font(9.5, colMuted)
	line := g.Account
	if g.Reader != "" {
		if line != "" {
			line += " · "
		}
		line += g.Reader
	}
	if line != "" {
		r.para(m, w, 5, line)
	}
	r.font(9.5, colInk)
	r.para(m, w, 5, g.Note)
	doc.Ln(1.5)
	r.font(9, colInk)
	r.para(m, w, 4.6, g.Intro)
	doc.Ln(1.5)
	// The roles in two columns of two.
	colW, gap := (w-5)/2, 5.0
	for row := 0; row < 2; row++ {
		y0 := doc.GetY()
		bottom := y0
		for col := 0; col < 2; col++ {
			gr := g.Roles[row*2+col]
			x := m + float64(col)*(colW+gap)
			bottom = max(bottom, r.guideRole(gr, x, y0, colW))
		}
		for col := 0; col < 2; col++ { // both boxes of a row as tall as the taller
			c, lw := colRule, 0.3
			if g.Roles[row*2+col].Yours {
				c, lw = colAccent, 0.7
			}
			doc.SetDrawColor(c[0], c[1], c[2])
			doc.SetLineWidth(lw)
			doc.RoundedRect(m+float64(col)*(colW+gap), y0, colW, bottom-y0, 1.5, "1234", "D")
		}
		doc.SetLineWidth(0.2)
		doc.SetXY(m, bottom+2)
	}
	for _, s := range g.Sections {
		r.font(10.5, colInk)
		doc.CellFormat(w, 5.5, s.Title, "", 1, "L", false, 0, "")
		r.font(9, colInk)
		r.para(m, w, 4.6, s.Text)
		doc.Ln(1)
	}
	r.font(7.5, colMuted)
	doc.CellFormat(w, 4, l.T("guide.footer", l.Date(g.GeneratedAt)), "", 1, "L", false, 0, "")
	if err := doc.Error(); err != nil {
		return nil, fmt.Errorf("guide pdf: %w", err)
	}
	var b bytes.Buffer
	if err := doc.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// guideRole writes one role's box content at x, y; it returns the box's
// bottom (the caller draws the border).
func (r *pdfWriter) guideRole(gr GuideRole, x, y, w float64) float64 {
	d := r.doc
	const pad = 2.5
	d.SetXY(x+pad, y+pad)
	r.font(11, colInk)
	name := gr.Name
	if gr.Yours {
		name = name + " – " + r.l.T("guide.your_seat")
	}
	r.para(x+pad, w-2*pad, 5.5, name)
	r.font(8.8, colMuted)
	r.para(x+pad, w-2*pad, 4.3, gr.Summary)
	d.Ln(0.8)
	r.font(8.8, colInk)
	for _, it := range gr.Items {
		yy := d.GetY()
		d.SetXY(x+pad, yy)
		d.CellFormat(3, 4.3, "•", "", 0, "L", false, 0, "")
		d.SetY(yy)
		r.para(x+pad+3, w-2*pad-3, 4.3, it)
	}
	return d.GetY() + pad
}

// para writes text from x in lines of at most w millimetres, h apart, in
// the current font. Lines break at spaces, or between any two characters
// where a run has none (Chinese): fpdf's MultiCell drops a character at
// such breaks.
func (r *pdfWriter) para(x, w, h float64, text string) {
	for _, line := range r.wrap(text, w) {
		r.doc.SetX(x)
		r.doc.CellFormat(w, h, line, "", 2, "L", false, 0, "")
	}
	r.doc.SetX(x)
}

// wrap splits text into lines no wider than w.
func (r *pdfWriter) wrap(text string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		rs := []rune(para)
		for len(rs) > 0 {
			if r.doc.GetStringWidth(string(rs)) <= w {
				lines = append(lines, string(rs))
				break
			}
			// The longest prefix that fits, then back to its last space if any.
			n := 1
			for n < len(rs) && r.doc.GetStringWidth(string(rs[:n+1])) <= w {
				n++
			}
			cut, next := n, n
			for i := n; i > 0; i-- {
				if rs[i] == ' ' {
					cut, next = i, i+1
					break
				}
			}
			lines = append(lines, strings.TrimRight(string(rs[:cut]), " "))
			rs = rs[next:]
		}
	}
	return lines
}
