package sqlstore_test

import (
	"slices"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	contract["Lookups/AccountNames"] = testAccountNames
	contract["Lookups/UnitsWithCustomer"] = testUnitsWithCustomer
}

// testAccountNames: live accounts only, by name, with their ids.
func testAccountNames(t *testing.T, db *sqlstore.DB) {
	region := mkUnit(t, db, "Region", nil)
	umea := mkUnit(t, db, "Umeå kommun", region, account)
	alvsby := mkUnit(t, db, "Älvsby kommun", region, account)
	bergs := mkUnit(t, db, "Bergs kommun", region, account)
	mkUnit(t, db, "Skolförvaltningen", umea) // not an account
	ok(t, db.DeleteOrganisation(ctx, bergs.ID, bergs.Version))

	got, err := db.AccountNames(ctx)
	ok(t, err)
	want := []liaison.Ref{{ID: umea.ID, Name: "Umeå kommun"}, {ID: alvsby.ID, Name: "Älvsby kommun"}}
	if !slices.Equal(got, want) {
		t.Fatalf("account names = %v, want %v", got, want)
	}
}

// testUnitsWithCustomer: units with an active customer, not those with
// only an orderer or an ended customer role.
func testUnitsWithCustomer(t *testing.T, db *sqlstore.DB) {
	a := mkUnit(t, db, "Lunds kommun", nil, account)
	b := mkUnit(t, db, "Eslövs kommun", nil, account)
	c := mkUnit(t, db, "Höörs kommun", nil, account)
	mkRole(t, db, mkPerson(t, db, "Anna Kund", a), a, liaison.RoleCustomer)
	mkRole(t, db, mkPerson(t, db, "Olle Beställare", b), b, liaison.RoleOrderer)
	ended := mkRole(t, db, mkPerson(t, db, "Cecilia Förra", c), c, liaison.RoleCustomer)
	ended.Active = false
	ok(t, db.UpdateRole(ctx, ended, ended.Version))

	got, err := db.UnitsWithCustomer(ctx)
	ok(t, err)
	if !slices.Equal(got, []string{a.ID}) {
		t.Fatalf("units with a customer = %v, want [%s]", got, a.ID)
	}
}
