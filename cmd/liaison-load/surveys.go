package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/cli"
	"github.com/liaisonhq/liaison/internal/dataset"
	"github.com/liaisonhq/liaison/internal/load"
)

// surveyLink is an unused link of an open campaign and the answer form to
// post through it.
type surveyLink struct {
	token string
	body  []byte
}

// addSurveyScenarios adds survey-submit: each request posts a valid
// answer form to the respondent page /s/{token} through an unused link
// of an open campaign, each link once. The links are made again from the
// dataset's seed (dataset.SurveyToken) and kept when their hash is a
// recipient row that has not responded; a database not seeded with the
// dataset (or with another seed) has none, and the scenario is left out.
// When the links run out, a request posts through a used one and is
// counted as an error (409).
func addSurveyScenarios(ctx context.Context, srv *cli.Running, dsn string, seed uint64, all map[string]load.Scenario) error {
	links, err := unusedSurveyLinks(ctx, srv, dsn, seed)
	if err != nil || len(links) == 0 {
		return err
	}
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"text/html"}}
	var next atomic.Int64
	all["survey-submit"] = load.Scenario{Name: fmt.Sprintf("POST /s/{token} (%d unused links)", len(links)), Next: func(c, i int) load.Request {
		l := links[int(next.Add(1)-1)%len(links)]
		return load.Request{Method: "POST", URL: srv.URL + "/s/" + l.token, Header: form, Body: l.body}
	}}
	return nil
}

// unusedSurveyLinks finds the unused links of the open campaigns, with
// each campaign's answer form.
func unusedSurveyLinks(ctx context.Context, srv *cli.Running, dsn string, seed uint64) ([]surveyLink, error) {
	driver, conn := driverOf(dsn)
	db, err := sql.Open(driver, conn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	type campaign struct {
		id         string
		recipients int
	}
	rows, err := db.QueryContext(ctx, `SELECT c.id, COUNT(r.id) FROM campaigns c JOIN campaign_recipients r ON r.campaign_id = c.id
		WHERE c.status = 'open' AND c.deleted_at IS NULL GROUP BY c.id ORDER BY c.id`)
	if err != nil {
		return nil, fmt.Errorf("survey links: %w", err)
	}
	var cs []campaign
	for rows.Next() {
		var c campaign
		if err := rows.Scan(&c.id, &c.recipients); err != nil {
			rows.Close()
			return nil, err
		}
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var links []surveyLink
	for _, c := range cs {
		unused := map[string]bool{}
		rows, err := db.QueryContext(ctx, `SELECT token_hash FROM campaign_recipients WHERE campaign_id = $1 AND responded_at IS NULL`, c.id)
		if err != nil {
			return nil, fmt.Errorf("survey links: %w", err)
		}
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				rows.Close()
				return nil, err
			}
			unused[h] = true
		}
		rows.Close()
		var body []byte
		for n := range c.recipients {
			tok := dataset.SurveyToken(seed, c.id, n)
			h := sha256.Sum256([]byte(tok))
			if !unused[hex.EncodeToString(h[:])] {
				continue
			}
			if body == nil {
				f, err := srv.App.RespondentForm(ctx, tok, "")
				if err != nil {
					return nil, fmt.Errorf("survey links: campaign %s: %w", c.id, err)
				}
				body = answerForm(f)
			}
			links = append(links, surveyLink{tok, body})
		}
	}
	return links, nil
}

// answerForm is a valid answer to every question of f, as the respondent
// page posts it (inputs q0, q1, … by position).
func answerForm(f *liaison.RespondentForm) []byte {
	v := url.Values{}
	for i, q := range f.Questions {
		name := "q" + strconv.Itoa(i)
		switch q.Type {
		case liaison.QuestionRating:
			v.Set(name, "4")
		case liaison.QuestionNPS:
			v.Set(name, "8")
		case liaison.QuestionSingleChoice, liaison.QuestionMultipleChoice:
			v.Set(name, q.Choices[0].ID)
		case liaison.QuestionText:
			v.Set(name, "Answered by the load generator.")
		}
	}
	return []byte(v.Encode())
}
