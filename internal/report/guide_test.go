package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

func guideProject() *liaison.Project {
	return &liaison.Project{ID: "p1", Name: "Nytt elevregister", OrganisationName: "Kommunförbundet Åäö"}
}

// TestGuidePDFInTheReadersLanguage reads the guide's PDF back with
// pdftotext: one page, in the member's language, every role's
// responsibilities, the member's own seat marked.
func TestGuidePDFInTheReadersLanguage(t *testing.T) {
	for _, c := range []struct {
		lang liaison.Language
		role liaison.BoardRole
		side liaison.Side
		want []string
	}{
		{liaison.Chinese, liaison.RoleSeniorSupplier, liaison.SideSupplier, []string{"项目指导委员会指南", "执行官", "高级用户", "高级供应商", "客户经理", "您的角色"}},
		{liaison.Swedish, liaison.RoleExecutive, liaison.SideCustomer, []string{"Styrgruppsguide", "Projektägare", "Huvudanvändare", "Huvudleverantör", "din roll"}},
		{liaison.Finnish, liaison.RoleRelationshipManager, liaison.SideCustomer, []string{"Ohjausryhmäopas", "Omistaja", "Pääkäyttäjä", "Päätoimittaja", "Kumppanuuspäällikkö (Asiakkaan edustaja)"}},
		{liaison.English, "", "", []string{"Steering group guide", "Executive", "Senior user", "Senior supplier", "choose the right people"}},
	} {
		t.Run(string(c.lang), func(t *testing.T) {
			l := i18n.For(c.lang)
			g := BuildGuide(l, GuideFor{Project: guideProject(), Reader: "Wang Fang", Role: c.role, Represents: c.side}, time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC))
			pdf, err := GuidePDF(g, l)
			if err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, pdf)
			if pages := strings.Count(text, "\f"); pages != 1 {
				t.Errorf("the guide has %d pages, want one", pages)
			}
			flat := strings.Join(strings.Fields(text), "")
			for _, w := range append(c.want, "Nytt elevregister", l.T("guide.role.executive.1"), l.T("guide.role.senior_supplier.4"),
				l.T("guide.communication.title")) {
				if !strings.Contains(flat, strings.Join(strings.Fields(w), "")) {
					t.Errorf("PDF text lacks %q:\n%s", w, text)
				}
			}
			if c.role == "" && strings.Contains(text, l.T("guide.your_seat")) {
				t.Errorf("the customer's copy marks a seat")
			}
		})
	}
}

func TestGuideMarksOnlyTheReadersRole(t *testing.T) {
	g := BuildGuide(i18n.For(liaison.Finnish), GuideFor{Project: guideProject(), Role: liaison.RoleSeniorUser}, time.Now())
	var yours []liaison.BoardRole
	for _, r := range g.Roles {
		if len(r.Items) != guideItems {
			t.Errorf("%s lists %d items", r.Role, len(r.Items))
		}
		if r.Yours {
			yours = append(yours, r.Role)
		}
	}
	if len(g.Roles) != 4 || len(yours) != 1 || yours[0] != liaison.RoleSeniorUser || g.Seat != "Pääkäyttäjä" || g.Language != "fi" {
		t.Fatalf("guide = %+v", g)
	}
}

// TestProjectsSectionIsCustomerFacing: the pack's projects carry no
// internal note, no health reason and no internal lesson; closed projects
// last changed before the period are left out.
func TestProjectsSectionIsCustomerFacing(t *testing.T) {
	l := i18n.For(liaison.English)
	p := &Pack{AccountID: "a1", From: "2026-01-01", To: "2026-12-31"}
	in := func(d string) time.Time { t, _ := liaison.ParseDate(d); return t }
	projects := []*liaison.Project{
		{ID: "p1", Name: "Journal system", Status: liaison.ProjectInProgress, Health: liaison.HealthRed, HealthNote: "SECRET-REASON",
			InternalNote: "SECRET-NOTE", Phase: "Delivery", StartDate: "2026-02-01", ProjectManagerName: "Ivan IT", UpdatedAt: in("2026-03-01")},
		{ID: "p2", Name: "Old closed", Status: liaison.ProjectClosed, Health: liaison.HealthGreen, UpdatedAt: in("2025-06-01")},
		{ID: "p3", Name: "Cancelled this year", Status: liaison.ProjectCancelled, Health: liaison.HealthAmber, UpdatedAt: in("2026-04-01")},
	}
	lessons := map[string][]*liaison.Lesson{"p1": {
		{Title: "Shared lesson", Recommendation: "Name the executive early", On: "2026-05-01"},
		{Title: "SECRET-LESSON", Recommendation: "x", On: "2026-05-02", Internal: true},
		{Title: "Last year", Recommendation: "x", On: "2025-05-02"},
	}}
	AddProjects(p, l, projects, lessons)
	if len(p.Sections) != 1 || p.Sections[0].Kind != KindProjects {
		t.Fatalf("sections = %+v", p.Sections)
	}
	s := p.Sections[0].Projects
	if len(s.Items) != 2 || s.Items[0].Name != "Journal system" || s.Items[1].Name != "Cancelled this year" || s.Items[0].HealthLabel != "Red" {
		t.Fatalf("items = %+v", s.Items)
	}
	if len(s.Lessons) != 1 || s.Lessons[0].Title != "Shared lesson" {
		t.Fatalf("lessons = %+v", s.Lessons)
	}
	b, _ := json.Marshal(p)
	pdf, err := PDF(p, l)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"SECRET-REASON", "SECRET-NOTE", "SECRET-LESSON"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the pack's JSON carries %s", secret)
		}
	}
	text := pdfText(t, pdf)
	for _, w := range []string{"Projects", "Journal system", "Delivery", "Ivan IT", "Shared lesson"} {
		if !strings.Contains(text, w) {
			t.Errorf("PDF lacks %q", w)
		}
	}
	if strings.Contains(text, "SECRET") {
		t.Errorf("PDF carries internal text:\n%s", text)
	}
	empty := &Pack{From: "2026-01-01", To: "2026-12-31"}
	AddProjects(empty, l, projects[1:2], nil)
	if len(empty.Sections) != 0 {
		t.Fatalf("an account without projects in the period got a section")
	}
}
