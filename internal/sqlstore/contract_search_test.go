package sqlstore_test

import (
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

func init() {
	for name, fn := range map[string]func(t *testing.T, db *sqlstore.DB){
		"Search/Diacritics":        testSearchDiacritics,
		"Search/Chinese":           testSearchChinese,
		"Search/Ranking":           testSearchRanking,
		"Search/TrashAndRestore":   testSearchTrash,
		"Search/Updates":           testSearchUpdates,
		"Search/KindsAndPages":     testSearchKindsPages,
		"Search/EveryKindIndexed":  testSearchEveryKind,
		"Search/RejectsBadQueries": testSearchRejects,
		"Search/BroadQueries":      testSearchBroad,
	} {
		contract[name] = fn
	}
}

// found returns "kind:title" of each hit of q, best first.
func found(t *testing.T, db *sqlstore.DB, q string, kind liaison.SearchKind) []string {
	t.Helper()
	hits, _, err := db.Search(ctx, liaison.SearchQuery{Q: q, Kind: kind})
	ok(t, err)
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = string(h.Kind) + ":" + h.Title
	}
	return out
}

func wantFound(t *testing.T, db *sqlstore.DB, q string, want ...string) {
	t.Helper()
	got := found(t, db, q, "")
	if len(got) != len(want) {
		t.Fatalf("search %q = %q, want %q", q, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("search %q = %q, want %q", q, got, want)
		}
	}
}

func testSearchDiacritics(t *testing.T, db *sqlstore.DB) {
	jkl := mkUnit(t, db, "Jyväskylän kaupunki", nil, account)
	malmo := mkUnit(t, db, "Malmö stad", nil, account)
	mkPerson(t, db, "Åsa Öberg", malmo, func(p *liaison.Person) { p.Title = "IT-strateg" })
	mkPerson(t, db, "Søren Ærø", jkl)
	wantFound(t, db, "jyvaskyla", "organisation:Jyväskylän kaupunki")
	wantFound(t, db, "JYVÄSKYLÄN", "organisation:Jyväskylän kaupunki")
	wantFound(t, db, "malmo", "organisation:Malmö stad")
	wantFound(t, db, "asa ober", "person:Åsa Öberg") // the last term is a prefix
	wantFound(t, db, "soren aero", "person:Søren Ærø")
	wantFound(t, db, "oberg strateg", "person:Åsa Öberg")
	wantFound(t, db, "ober malmo") // terms other than the last are whole words
	hits, _, err := db.Search(ctx, liaison.SearchQuery{Q: "åsa"})
	ok(t, err)
	if len(hits) != 1 || hits[0].OrganisationID != malmo.ID || hits[0].OrganisationName != "Malmö stad" || hits[0].Text != "IT-strateg" {
		t.Fatalf("hit = %+v, want Åsa of Malmö stad with her title as text", hits[0])
	}
}

func testSearchChinese(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	mkUnit(t, db, "北京市政府", nil, account)
	mkComplaint(t, db, f, "邮件服务中断", func(c *liaison.Complaint) { c.Description = "上午十点起无法发送邮件" })
	wantFound(t, db, "北京", "organisation:北京市政府")
	wantFound(t, db, "服务", "complaint:邮件服务中断")
	wantFound(t, db, "发送", "complaint:邮件服务中断")
	wantFound(t, db, "上海")
	wantFound(t, db, "中断 邮件", "complaint:邮件服务中断")
}

func testSearchRanking(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	mkComplaint(t, db, f, "Slow network in the schools", func(c *liaison.Complaint) { c.Description = "The printer is slow too." })
	mkComplaint(t, db, f, "Printer jams every morning")
	mkComplaint(t, db, f, "Mail bounces")
	// The title's word ranks above the text's, whichever was written first.
	wantFound(t, db, "printer", "complaint:Printer jams every morning", "complaint:Slow network in the schools")
	wantFound(t, db, "slow", "complaint:Slow network in the schools")
}

func testSearchTrash(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	c := mkComplaint(t, db, f, "Skrivaren i Västerås")
	p := mkPerson(t, db, "Östen Västerås", f.unit)
	wantFound(t, db, "skrivaren vasteras", "complaint:Skrivaren i Västerås")
	wantFound(t, db, "osten vasteras", "person:Östen Västerås")
	ok(t, db.DeleteComplaint(ctx, c.ID, c.Version))
	ok(t, db.DeletePerson(ctx, p.ID, p.Version))
	wantFound(t, db, "vasteras")
	_, err := db.RestoreComplaint(ctx, c.ID)
	ok(t, err)
	wantFound(t, db, "vasteras", "complaint:Skrivaren i Västerås")
}

func testSearchUpdates(t *testing.T, db *sqlstore.DB) {
	f := mkMeetingFixture(t, db)
	p := mkPerson(t, db, "Pekka Päivärinta", f.acct)
	wantFound(t, db, "paivarinta", "person:Pekka Päivärinta")
	p.Name = "Pekka Virtanen"
	ok(t, db.UpdatePerson(ctx, p, p.Version))
	wantFound(t, db, "paivarinta")
	wantFound(t, db, "virtanen", "person:Pekka Virtanen")

	// A meeting's minutes are found once written, as minutes of it.
	m := f.meeting()
	ok(t, db.CreateMeeting(f.ctx, m))
	wantFound(t, db, "verksamhetens", "meeting:Tjänsteuppföljning Q1")
	wantFound(t, db, "beslutades")
	m.Minutes = "Det beslutades att byta skrivare."
	ok(t, db.UpdateMeeting(f.ctx, m, m.Version))
	wantFound(t, db, "beslutades", "minutes:Tjänsteuppföljning Q1")
	ok(t, db.DeleteMeeting(f.ctx, m.ID, m.Version))
	wantFound(t, db, "tjansteuppfoljning")
}

func testSearchKindsPages(t *testing.T, db *sqlstore.DB) {
	f := mkAgreementFixture(t, db)
	for _, title := range []string{"Gävle ett", "Gävle två", "Gävle tre"} {
		mkComplaint(t, db, f, title)
	}
	mkUnit(t, db, "Gävle kommun", nil, account)
	if got := found(t, db, "gavle", liaison.SearchOrganisation); len(got) != 1 || got[0] != "organisation:Gävle kommun" {
		t.Fatalf("kind organisation: %q", got)
	}
	if got := found(t, db, "gavle", liaison.SearchComplaint); len(got) != 3 {
		t.Fatalf("kind complaint: %q", got)
	}
	seen := map[string]bool{}
	cursor := ""
	for range 10 {
		hits, next, err := db.Search(ctx, liaison.SearchQuery{Q: "gavle", Limit: 3, Cursor: cursor})
		ok(t, err)
		for _, h := range hits {
			if seen[h.ID] {
				t.Fatalf("%s seen twice", h.Title)
			}
			seen[h.ID] = true
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	if len(seen) != 4 {
		t.Fatalf("pages held %d records, want 4", len(seen))
	}
	if hits, next, err := db.Search(ctx, liaison.SearchQuery{Q: " -- "}); err != nil || len(hits) != 0 || next != "" {
		t.Fatalf("a query without words: %v %v %q", hits, err, next)
	}
}

func testSearchEveryKind(t *testing.T, db *sqlstore.DB) {
	f := mkBizFixture(t, db)
	i := f.improvement(func(i *liaison.Improvement) { i.Title = "Zebra improvement" })
	ok(t, db.CreateImprovement(f.ctx, i))
	w := f.note(func(w *liaison.WatchNote) { w.Title = "Zebra watch" })
	ok(t, db.CreateWatchNote(f.ctx, w))
	mkAgreement(t, db, f.agreementFixture, f.acct, "Zebra agreement")
	hits, _, err := db.Search(ctx, liaison.SearchQuery{Q: "zebra"})
	ok(t, err)
	kinds := map[liaison.SearchKind]*liaison.SearchHit{}
	for _, h := range hits {
		kinds[h.Kind] = h
	}
	for _, k := range []liaison.SearchKind{liaison.SearchImprovement, liaison.SearchWatch, liaison.SearchAgreement} {
		if kinds[k] == nil {
			t.Fatalf("no %s among %d hits", k, len(hits))
		}
	}
	if h := kinds[liaison.SearchWatch]; h.OrganisationID != f.other.ID {
		t.Fatalf("watch note's unit = %q, want its first account %q", h.OrganisationID, f.other.ID)
	}
	ok(t, db.DeleteWatchNote(f.ctx, w.ID, w.Version))
	if got := found(t, db, "zebra", liaison.SearchWatch); len(got) != 0 {
		t.Fatalf("trashed note found: %q", got)
	}
}

func testSearchRejects(t *testing.T, db *sqlstore.DB) {
	_, _, err := db.Search(ctx, liaison.SearchQuery{Q: "x", Kind: "user"})
	wantField(t, err, "kind", liaison.CodeInvalid)
	_, _, err = db.Search(ctx, liaison.SearchQuery{Q: "x", Cursor: "nope"})
	wantCode(t, err, liaison.EBADREQUEST)
}

// testSearchBroad: a query matching more records than the engine ranks
// puts the titles holding every term first, then the newest.
func testSearchBroad(t *testing.T, db *sqlstore.DB) {
	db.SetSearchBounds(2, 4)
	f := mkAgreementFixture(t, db)
	mkComplaint(t, db, f, "Äldst", func(c *liaison.Complaint) { c.Description = "skriv" })
	mkComplaint(t, db, f, "Nätet", func(c *liaison.Complaint) { c.Description = "Skrivaren också." })
	mkComplaint(t, db, f, "Skrivaren står still")
	mkComplaint(t, db, f, "Telefonen", func(c *liaison.Complaint) { c.Description = "Skrivaren, tredje gången." })
	mkComplaint(t, db, f, "Skrivbordet", func(c *liaison.Complaint) { c.Description = "Skrivaren igen." })
	// Five match "skriv": the four newest are looked at, titles first, then newest first.
	wantFound(t, db, "skriv", "complaint:Skrivbordet", "complaint:Skrivaren står still", "complaint:Telefonen", "complaint:Nätet")
	hits, next, err := db.Search(ctx, liaison.SearchQuery{Q: "skriv", Limit: 3})
	ok(t, err)
	if len(hits) != 3 || next != "3" {
		t.Fatalf("first page: %d hits, next %q", len(hits), next)
	}
	hits, next, err = db.Search(ctx, liaison.SearchQuery{Q: "skriv", Limit: 3, Cursor: next})
	ok(t, err)
	if len(hits) != 1 || next != "" || hits[0].Title != "Nätet" {
		t.Fatalf("second page: %v, next %q", hits, next)
	}
	wantFound(t, db, "skrivaren star", "complaint:Skrivaren står still") // narrow: ranked by the engine
}
