package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/liaisonhq/liaison"
)

const userColumns = `u.id, u.email, u.name, u.role, u.language, u.active, u.password_hash, u.version, u.created_at, u.updated_at`

func scanUser(s scanner) (*liaison.User, error) {
	var u liaison.User
	if err := s.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Language, &u.Active, &u.PasswordHash, &u.Version,
		timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt}); err != nil {
		return nil, err
	}
	return &u, nil
}

func userSearchText(u *liaison.User) string { return liaison.SearchText(u.Name, u.Email) }

// normEmail is how emails are stored and looked up: the domain lower-cases
// them, so matching is case-insensitive on both engines.
func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

const userEmailTaken = "a user with this email already exists"

func findUser(ctx context.Context, q queryer, where, lock string, arg any) (*liaison.User, error) {
	return scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE `+where+lock, arg))
}

// FindUserByID returns a user.
func (db *DB) FindUserByID(ctx context.Context, id string) (*liaison.User, error) {
	u, err := findUser(ctx, db.ro, "u.id = $1", "", id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user", id)
	} else if err != nil {
		return nil, fmt.Errorf("find user %s: %w", id, err)
	}
	return u, nil
}

// FindUserByEmail returns the user with the email, whatever its case.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*liaison.User, error) {
	u, err := findUser(ctx, db.ro, "u.email = $1", "", normEmail(email))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user", email)
	} else if err != nil {
		return nil, fmt.Errorf("find user by email: %w", err)
	}
	return u, nil
}

// FindUsers lists users.
func (db *DB) FindUsers(ctx context.Context, f liaison.UserFilter) ([]*liaison.User, string, error) {
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
	if f.Role != "" {
		q.and("u.role = " + q.arg(string(f.Role)))
	}
	if f.Email != "" {
		q.and("u.email = " + q.arg(normEmail(f.Email)))
	}
	q.search("u.search_text", f.Q)
	tail := q.page("u", s, c, limit)
	rows, err := db.ro.QueryContext(ctx, `SELECT `+userColumns+` FROM users u`+q.whereClause()+tail, q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("find users: %w", err)
	}
	users, err := collectRows(rows, scanUser)
	if err != nil {
		return nil, "", fmt.Errorf("find users: %w", err)
	}
	users, next := nextPage(users, limit, s, func(u *liaison.User) (string, string) {
		return sortValue(s, u.Name, u.CreatedAt, u.UpdatedAt), u.ID
	})
	return users, next, nil
}

// CreateUser stores a new user. The email's unique index is the check: it
// is the table's only unique key, so its violation needs no pre-check to
// be explained.
func (db *DB) CreateUser(ctx context.Context, u *liaison.User) error {
	n := *u
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		n.ID, n.Version, n.CreatedAt, n.UpdatedAt = newID(), 1, tx.now, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, role, language, active, password_hash,
			search_text, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
			n.ID, n.Email, n.Name, string(n.Role), string(n.Language), n.Active, n.PasswordHash, userSearchText(&n),
			n.Version, tx.t(tx.now)); err != nil {
			return fmt.Errorf("create user: %w", constraintError(err, userEmailTaken))
		}
		return tx.audit(ctx, change{action: liaison.ActionCreate, subjectType: subjectUser, subjectID: n.ID,
			summary: n.Name, after: &n})
	})
	if err != nil {
		return err
	}
	*u = n
	return nil
}

// UpdateUser replaces the user's fields, the password hash included.
func (db *DB) UpdateUser(ctx context.Context, u *liaison.User, ifVersion int) error {
	n := *u
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *writeTx) error {
		cur, err := findUser(ctx, tx, "u.id = $1", tx.db.dialect.forUpdate, n.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user", n.ID)
		} else if err != nil {
			return fmt.Errorf("update user %s: %w", n.ID, err)
		}
		if cur.Version != ifVersion {
			return stale(cur.Version)
		}
		n.Version, n.CreatedAt, n.UpdatedAt = cur.Version+1, cur.CreatedAt, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE users SET email = $1, name = $2, role = $3, language = $4, active = $5,
			password_hash = $6, search_text = $7, version = $8, updated_at = $9 WHERE id = $10 AND version = $11`,
			n.Email, n.Name, string(n.Role), string(n.Language), n.Active, n.PasswordHash, userSearchText(&n),
			n.Version, tx.t(tx.now), n.ID, ifVersion); err != nil {
			return fmt.Errorf("update user %s: %w", n.ID, constraintError(err, userEmailTaken))
		}
		return tx.audit(ctx, change{action: liaison.ActionUpdate, subjectType: subjectUser, subjectID: n.ID,
			summary: n.Name, before: cur, after: &n})
	})
	if err != nil {
		return err
	}
	*u = n
	return nil
}
