package server_test

import (
	"fmt"
	"net/url"
	"strings"

	liaison "github.com/liaisonhq/liaison"
)

// projectWriter: a project is written by its project manager (here
// "staff"), the account's writers (admin, head, "mgr") — not by another
// manager, a viewer or a read-only token.
const projectWriter = "yyynynun"

func init() {
	for k, v := range map[string]string{
		"GET /api/v1/projects":                               read,
		"POST /api/v1/projects":                              account, // staff may start one naming themselves, tested in the API
		"GET /api/v1/projects/{id}":                          read,
		"PATCH /api/v1/projects/{id}":                        projectWriter,
		"DELETE /api/v1/projects/{id}":                       projectWriter,
		"POST /api/v1/projects/{id}/restore":                 curate,
		"GET /api/v1/projects/{id}/history":                  read,
		"GET /api/v1/projects/{id}/health":                   read,
		"GET /api/v1/projects/{id}/board":                    read,
		"POST /api/v1/projects/{id}/board":                   projectWriter,
		"GET /api/v1/projects/{id}/board/{member_id}":        read,
		"DELETE /api/v1/projects/{id}/board/{member_id}":     projectWriter,
		"POST /api/v1/projects/{id}/board/{member_id}/guide": projectWriter,
		"GET /api/v1/projects/{id}/guide":                    read,
		"GET /api/v1/projects/{id}/guide/deliveries":         read,
		"POST /api/v1/projects/{id}/guide/review":            projectWriter,
		"GET /api/v1/projects/{id}/lessons":                  read,
		"POST /api/v1/projects/{id}/lessons":                 projectWriter,
		"GET /api/v1/projects/{id}/lessons/{lesson_id}":      read,
		"DELETE /api/v1/projects/{id}/lessons/{lesson_id}":   projectWriter,

		"GET /projects":                                  read,
		"GET /projects/new":                              proposer, // any role but viewer may start a project it manages
		"POST /projects":                                 account,
		"GET /projects/{id}":                             read,
		"GET /projects/{id}/edit":                        projectWriter,
		"POST /projects/{id}":                            projectWriter,
		"POST /projects/{id}/status":                     projectWriter,
		"POST /projects/{id}/health":                     projectWriter,
		"POST /projects/{id}/delete":                     projectWriter,
		"POST /projects/{id}/board":                      projectWriter,
		"POST /projects/{id}/board/{member_id}/delete":   projectWriter,
		"POST /projects/{id}/board/{member_id}/guide":    projectWriter,
		"GET /projects/{id}/guide":                       read,
		"GET /projects/{id}/guide/pdf":                   read,
		"POST /projects/{id}/guide/review":               projectWriter,
		"POST /projects/{id}/lessons":                    projectWriter,
		"POST /projects/{id}/lessons/{lesson_id}/delete": projectWriter,
		"GET /organisations/{id}/projects":               read,
	} {
		matrix[k] = v
	}
}

// projectFixture is a proposed project of account A managed by "staff",
// with a customer contact on its board and a lesson.
type projectFixture struct {
	project, member, lesson, person, manager string
}

func (w *world) freshProjects(n int64) projectFixture {
	staff := w.users["staff"].ID
	p := &liaison.Project{OrganisationID: &w.accA, Name: fmt.Sprintf("Project %d", n), ProjectManagerID: &staff}
	_, err := w.a.CreateProject(w.sys, p)
	w.must(err)
	person := &liaison.Person{Name: fmt.Sprintf("Board person %d", n), OrganisationID: w.accA}
	w.must(w.a.CreatePerson(w.sys, person))
	m := &liaison.BoardMember{ProjectID: p.ID, Role: liaison.RoleExecutive, PersonID: &person.ID}
	_, err = w.a.AddBoardMember(w.sys, m)
	w.must(err)
	l := &liaison.Lesson{ProjectID: p.ID, Title: "Name the executive early", Recommendation: "Before agreeing"}
	w.must(w.a.AddLesson(w.sys, l))
	return projectFixture{project: p.ID, member: m.ID, lesson: l.ID, person: person.ID, manager: staff}
}

func (pf projectFixture) path(p string) string {
	p = strings.Replace(p, "/projects/{id}", "/projects/"+pf.project, 1)
	p = strings.Replace(p, "{member_id}", pf.member, 1)
	return strings.Replace(p, "{lesson_id}", pf.lesson, 1)
}

// body is a valid input for the project routes; ok is false for others.
func (pf projectFixture) body(method, pattern string, f fixture, n int64) (string, string, bool) {
	form := "application/x-www-form-urlencoded"
	switch {
	case method == "POST" && pattern == "/api/v1/projects":
		return fmt.Sprintf(`{"name":"Project %d","organisation_id":%q}`, n, f.account), "application/json", true
	case method == "PATCH" && strings.HasPrefix(pattern, "/api/v1/projects/"):
		return `{"phase":"Initiation"}`, "application/json", true
	case method == "POST" && pattern == "/api/v1/projects/{id}/board":
		return fmt.Sprintf(`{"role":"senior_user","person_id":%q}`, pf.person), "application/json", true
	case method == "POST" && pattern == "/api/v1/projects/{id}/lessons":
		return `{"title":"Test early","recommendation":"Book the test environment"}`, "application/json", true
	case method == "POST" && pattern == "/api/v1/projects/{id}/guide/review":
		return `{"meeting_id":"no-such-meeting"}`, "application/json", true
	case method == "POST" && pattern == "/projects":
		return url.Values{"name": {fmt.Sprintf("Form project %d", n)}, "organisation_id": {f.account}}.Encode(), form, true
	case method == "POST" && pattern == "/projects/{id}":
		return url.Values{"version": {"1"}, "name": {"Renamed"}, "status": {"proposed"}, "health": {"green"},
			"organisation_id": {f.account}, "project_manager_id": {pf.manager}}.Encode(), form, true
	case method == "POST" && pattern == "/projects/{id}/status":
		return url.Values{"version": {"1"}, "status": {"agreed"}}.Encode(), form, true
	case method == "POST" && pattern == "/projects/{id}/health":
		return url.Values{"version": {"1"}, "health": {"amber"}, "health_note": {"Late"}}.Encode(), form, true
	case method == "POST" && pattern == "/projects/{id}/board":
		return url.Values{"role": {"senior_user"}, "member": {"p:" + pf.person}}.Encode(), form, true
	case method == "POST" && pattern == "/projects/{id}/lessons":
		return url.Values{"title": {"Test early"}, "recommendation": {"Book it"}}.Encode(), form, true
	case method == "POST" && strings.HasPrefix(pattern, "/projects/"):
		return url.Values{"version": {"1"}, "meeting_id": {"none"}}.Encode(), form, true
	}
	return "", "", false
}
