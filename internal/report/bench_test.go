package report_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/report"
	"github.com/liaisonhq/liaison/internal/sqlstore"
)

// BenchmarkReportPDF times one report pack, read, assembled and written as
// PDF, for the accounts of a dataset L database in turn (SPEC §6: ≤ 300
// ms). Generating L takes minutes, so the benchmark uses one made before:
//
//	go build -o /tmp/liaison ./cmd/liaison
//	/tmp/liaison seed --size L --db /tmp/L.db --end 2026-11-23
//	LIAISON_BENCH_DB=/tmp/L.db go test ./internal/report -run '^$' -bench ReportPDF
func BenchmarkReportPDF(b *testing.B) {
	dsn := os.Getenv("LIAISON_BENCH_DB")
	if dsn == "" {
		b.Skip("LIAISON_BENCH_DB not set: point it at a dataset L database (see the comment)")
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	accounts, err := db.AccountNames(ctx)
	if err != nil || len(accounts) == 0 {
		b.Fatalf("accounts: %d, %v", len(accounts), err)
	}
	end := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	from := liaison.AddMonths(end, -12)
	for _, part := range []string{"read", "pdf"} {
		b.Run(part, func(b *testing.B) {
			i := 0
			for b.Loop() {
				l := i18n.For(liaison.Languages[i%len(liaison.Languages)])
				d, err := db.ReportData(ctx, accounts[i%len(accounts)].ID, from, end)
				if err != nil {
					b.Fatal(err)
				}
				i++
				if part == "read" {
					continue
				}
				if _, err := report.PDF(report.Build(d, l, end), l); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
