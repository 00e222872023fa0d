package report

import (
	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// Projects is the pack's projects section (SPEC C10): the account's
// projects that are live or changed in the period, and the lessons its
// projects learned in the period that are not marked internal. The pack
// is shown to the customer, so the section carries only what the customer
// may read: name, status, phase, health, dates and project manager —
// never the internal note, the reasons given for the health, or internal
// lessons.
type Projects struct {
	ByHealth []liaison.CountBy `json:"by_health"`
	Items    []ProjectItem     `json:"items"`
	Lessons  []LessonItem      `json:"lessons"`
}

// ProjectItem is a listed project, labels and dates in the pack's language.
type ProjectItem struct {
	ID             string                `json:"id"`
	Name           string                `json:"name"`
	Status         liaison.ProjectStatus `json:"status"`
	StatusLabel    string                `json:"status_label"`
	Phase          string                `json:"phase"`
	Health         liaison.Health        `json:"health"`
	HealthLabel    string                `json:"health_label"`
	Start          string                `json:"start" doc:"The start date as the language writes it."`
	End            string                `json:"end"`
	ProjectManager string                `json:"project_manager"`
}

// LessonItem is a shared lesson of one of the account's projects.
type LessonItem struct {
	Project        string `json:"project"`
	Title          string `json:"title"`
	Recommendation string `json:"recommendation"`
	Date           string `json:"date"`
}

// AddProjects appends the projects section to p when the account has
// projects live or changed in the period; lessons maps a project's id to
// its lessons log.
func AddProjects(p *Pack, l *i18n.Localizer, projects []*liaison.Project, lessons map[string][]*liaison.Lesson) {
	s := &Projects{Items: []ProjectItem{}, Lessons: []LessonItem{}}
	health := newCounter()
	for _, pr := range projects {
		if !pr.Status.Live() && liaison.FormatDate(pr.UpdatedAt) < p.From {
			continue
		}
		hl := l.T("project.health." + string(pr.Health))
		health.add(string(pr.Health), hl)
		if len(s.Items) < maxListed {
			s.Items = append(s.Items, ProjectItem{ID: pr.ID, Name: pr.Name, Status: pr.Status, StatusLabel: l.T("project.status." + string(pr.Status)),
				Phase: pr.Phase, Health: pr.Health, HealthLabel: hl, Start: l.DateString(pr.StartDate), End: l.DateString(pr.EndDate),
				ProjectManager: pr.ProjectManagerName})
		}
		for _, le := range lessons[pr.ID] {
			if le.Internal || le.On < p.From || le.On > p.To || len(s.Lessons) >= maxListed {
				continue
			}
			s.Lessons = append(s.Lessons, LessonItem{Project: pr.Name, Title: le.Title, Recommendation: le.Recommendation, Date: l.DateString(le.On)})
		}
	}
	if len(s.Items) == 0 {
		return
	}
	s.ByHealth = health.list(keys(liaison.Healths))
	p.Sections = append(p.Sections, Section{Kind: KindProjects, Title: l.T("report.projects.title"), Projects: s})
}

func (r *pdfWriter) projects(s *Projects) {
	l := r.l
	r.bars(s.ByHealth, 0)
	rows := make([][]string, len(s.Items))
	for i, x := range s.Items {
		h := x.HealthLabel
		if x.Health == liaison.HealthRed {
			h = "!" + h
		}
		dates := x.Start
		if x.End != "" {
			dates += " – " + x.End
		}
		rows[i] = []string{x.Name, x.StatusLabel, x.Phase, h, dates, x.ProjectManager}
	}
	r.table([]column{{l.T("report.col.title"), 0.28}, {l.T("report.col.status"), 0.13}, {l.T("project.field.phase"), 0.15},
		{l.T("project.field.health"), 0.1}, {l.T("report.projects.dates"), 0.2}, {l.T("project.field.project_manager_id"), 0.14}}, rows)
	if len(s.Lessons) == 0 {
		return
	}
	r.sub(l.T("report.projects.lessons"))
	rows = make([][]string, len(s.Lessons))
	for i, x := range s.Lessons {
		rows[i] = []string{x.Date, x.Project, x.Title}
	}
	r.table([]column{{l.T("report.col.date"), 0.16}, {l.T("project.field.name"), 0.3}, {l.T("lesson.field.title"), 0.54}}, rows)
	for _, x := range s.Lessons {
		if x.Recommendation != "" {
			r.note(x.Title + ": " + x.Recommendation)
		}
	}
}
