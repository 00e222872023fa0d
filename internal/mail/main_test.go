package mail_test

import (
	"testing"

	"github.com/liaisonhq/liaison/internal/sqlstore/sqlstoretest"
)

// TestMain drops the template databases the tests copied theirs from.
func TestMain(m *testing.M) { sqlstoretest.Main(m) }
