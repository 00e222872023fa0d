package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/liaisonhq/liaison"
)

// subjectSurvey is the audit subject type of survey templates.
const subjectSurvey = "survey"

var _ liaison.SurveyStore = (*DB)(nil)

const surveyColumns = `s.id, s.name, s.description, s.survey_version, v.questions_json, s.version, s.created_at, s.updated_at, s.deleted_at`

// surveySource joins a survey with its latest version's questions.
const surveySource = `surveys s JOIN survey_versions v ON v.survey_id = s.id AND v.number = s.survey_version`

func scanSurvey(sc scanner) (*liaison.Survey, error) {
	var s liaison.Survey
	var qs string
	if err := sc.Scan(&s.ID, &s.Name, &s.Description, &s.SurveyVersion, &qs, &s.Version,
		timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt}, nullTimeCol{&s.DeletedAt}); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(qs), &s.Questions); err != nil {
		return nil, fmt.Errorf("survey %s questions: %w", s.ID, err)
	}
	return &s, nil
}

func findSurvey(ctx context.Context, q queryer, id string, lock string) (*liaison.Survey, error) {
	s, err := scanSurvey(q.QueryRowContext(ctx, `SELECT `+surveyColumns+` FROM `+surveySource+` WHERE s.id = $1 AND s.deleted_at IS NULL`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("survey", id)
	} else if err != nil {
		return nil, fmt.Errorf("find survey %s: %w", id, err)
	}
	return s, nil
}

// FindSurveyByID returns a live survey with its latest questions.
func (db *DB) FindSurveyByID(ctx context.Context, id string) (*liaison.Survey, error) {
	return findSurvey(ctx, db.ro, id, "")
}

// FindSurveys lists survey templates (the trash with f.Trashed).
func (db *DB) FindSurveys(ctx context.Context, f liaison.SurveyFilter) ([]*liaison.Survey, string, error) {
	s, err := parseSort(f.Sort)
	if err != nil {
		return nil, "", err
	}
	c, err := decodeCursor(f.Cursor, s)
	if err != nil {
		return nil, "", err
	}
	limit := pageLimit(f.Limit)
	q := query{d: db.dialect}
	if f.Trashed {
		q.and("s.deleted_at IS NOT NULL")
	} else {
		q.and("s.deleted_at IS NULL")
	}
	q.search("s.search_text", f.Q)
	tail := q.page("s", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+surveyColumns+` FROM `+surveySource+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find surveys: %w", err)
	}
	out, err := collectRows(rows, scanSurvey)
	if err != nil {
		return nil, "", fmt.Errorf("find surveys: %w", err)
	}
	out, next := nextPage(out, limit, s, func(x *liaison.Survey) (string, string) {
		return sortValue(s, x.Name, x.CreatedAt, x.UpdatedAt), x.ID
	})
	return out, next, nil
}

func surveySearchText(s *liaison.Survey) string { return liaison.SearchText(s.Name, s.Description) }

// publishVersion stores the questions of s as version number.
func (tx *writeTx) publishVersion(ctx context.Context, s *liaison.Survey, number int, actorID string) error {
	b, err := json.Marshal(s.Questions)
	if err != nil {
		return fmt.Errorf("survey questions: %w", err)
	}
	var by any
	if actorID != "" {
		by = actorID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO survey_versions (survey_id, number, name, questions_json, created_by_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, s.ID, number, s.Name, string(b), by, tx.t(tx.now))
	if err != nil {
		return fmt.Errorf("publish survey %s version %d: %w", s.ID, number, err)
	}
	return nil
}

// CreateSurvey stores a survey template and publishes its questions as
// version 1.
func (db *DB) CreateSurvey(ctx context.Context, s *liaison.Survey) error {
	n := *s
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		actorID, _, err := tx.actor(ctx)
		if err != nil {
			return err
		}
		n.ID, n.SurveyVersion, n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = newID(), 1, 1, tx.now, tx.now, nil
		if _, err := tx.ExecContext(ctx, `INSERT INTO surveys (id, name, description, survey_version, search_text, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, n.ID, n.Name, n.Description, n.SurveyVersion, surveySearchText(&n), n.Version, tx.t(tx.now)); err != nil {
			return fmt.Errorf("create survey: %w", err)
		}
		if err := tx.publishVersion(ctx, &n, 1, actorID); err != nil {
			return err
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectSurvey, subjectID: n.ID, summary: n.Name, after: &n})
	})
	if err != nil {
		return err
	}
	*s = n
	return nil
}

// UpdateSurvey saves the name and description and, when the questions
// changed, publishes them as a new version. Published versions never change.
func (db *DB) UpdateSurvey(ctx context.Context, s *liaison.Survey, ifVersion int) error {
	n := *s
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findSurvey(ctx, tx, n.ID, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		n.SurveyVersion = cur.SurveyVersion
		if !reflect.DeepEqual(cur.Questions, n.Questions) {
			actorID, _, err := tx.actor(ctx)
			if err != nil {
				return err
			}
			n.SurveyVersion++
			if err := tx.publishVersion(ctx, &n, n.SurveyVersion, actorID); err != nil {
				return err
			}
		}
		n.Version, n.CreatedAt, n.UpdatedAt, n.DeletedAt = cur.Version+1, cur.CreatedAt, tx.now, nil
		res, err := tx.ExecContext(ctx, `UPDATE surveys SET name = $1, description = $2, survey_version = $3, search_text = $4,
			version = $5, updated_at = $6 WHERE id = $7 AND version = $8`,
			n.Name, n.Description, n.SurveyVersion, surveySearchText(&n), n.Version, tx.t(tx.now), n.ID, ifVersion)
		if err != nil {
			return fmt.Errorf("update survey %s: %w", n.ID, err)
		}
		if k, err := rowsAffected(res); err != nil {
			return err
		} else if k == 0 {
			return stale(cur.Version)
		}
		summary := n.Name
		if n.SurveyVersion != cur.SurveyVersion {
			summary = fmt.Sprintf("%s: version %d", n.Name, n.SurveyVersion)
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectSurvey, subjectID: n.ID, summary: summary, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*s = n
	return nil
}

// DeleteSurvey moves a survey template to the trash; its versions and the
// campaigns that sent them stay.
func (db *DB) DeleteSurvey(ctx context.Context, id string, ifVersion int) error {
	return db.write(ctx, func(tx *writeTx) error {
		cur, err := findSurvey(ctx, tx, id, tx.db.dialect.forUpdate)
		if err != nil {
			return err
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		after := *cur
		after.Version, after.UpdatedAt, after.DeletedAt = cur.Version+1, tx.now, &tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE surveys SET deleted_at = $1, updated_at = $1, version = $2 WHERE id = $3`,
			tx.t(tx.now), after.Version, id); err != nil {
			return fmt.Errorf("delete survey %s: %w", id, err)
		}
		return tx.audit(ctx, change{action: liaison.ActionDelete, subjectType: subjectSurvey, subjectID: id, summary: cur.Name, before: cur, after: &after})
	})
}

const surveyVersionColumns = `survey_id, number, name, questions_json, created_by_id, created_at`

func scanSurveyVersion(sc scanner) (*liaison.SurveyVersion, error) {
	var v liaison.SurveyVersion
	var qs string
	var by sql.NullString
	if err := sc.Scan(&v.SurveyID, &v.Number, &v.Name, &qs, &by, timeCol{&v.CreatedAt}); err != nil {
		return nil, err
	}
	v.CreatedByID = strPtr(by)
	if err := json.Unmarshal([]byte(qs), &v.Questions); err != nil {
		return nil, fmt.Errorf("survey %s version %d: %w", v.SurveyID, v.Number, err)
	}
	return &v, nil
}

func findSurveyVersion(ctx context.Context, q queryer, surveyID string, number int) (*liaison.SurveyVersion, error) {
	v, err := scanSurveyVersion(q.QueryRowContext(ctx, `SELECT `+surveyVersionColumns+` FROM survey_versions
		WHERE survey_id = $1 AND number = $2`, surveyID, number))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("survey version", fmt.Sprintf("%s/%d", surveyID, number))
	} else if err != nil {
		return nil, fmt.Errorf("find survey %s version %d: %w", surveyID, number, err)
	}
	return v, nil
}

// FindSurveyVersion returns one published version of a survey's questions.
func (db *DB) FindSurveyVersion(ctx context.Context, surveyID string, number int) (*liaison.SurveyVersion, error) {
	return findSurveyVersion(ctx, db.ro, surveyID, number)
}

// FindSurveyVersions lists a live survey's versions, the newest first.
func (db *DB) FindSurveyVersions(ctx context.Context, surveyID string) ([]*liaison.SurveyVersion, error) {
	if _, err := db.FindSurveyByID(ctx, surveyID); err != nil {
		return nil, err
	}
	rows, err := db.ro.QueryContext(ctx, `SELECT `+surveyVersionColumns+` FROM survey_versions WHERE survey_id = $1 ORDER BY number DESC`, surveyID)
	if err != nil {
		return nil, fmt.Errorf("find survey versions: %w", err)
	}
	return collectRows(rows, scanSurveyVersion)
}
