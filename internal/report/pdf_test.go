package report

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
)

// pdfText extracts a PDF's text with poppler's pdftotext, the independent
// reader the issue names. Without it the test skips, except in CI.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing in CI: install poppler-utils")
		}
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	cmd := exec.Command(bin, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestPDFTextInLanguage(t *testing.T) {
	for _, c := range []struct {
		lang liaison.Language
		want []string
	}{
		{liaison.Swedish, []string{"Klagomål", "Öppna åtgärder", "Kommunförbundet Åäö", "E-post nere", "98,25 %"}},
		{liaison.Chinese, []string{"投诉", "服务水平", "改进", "Kommunförbundet Åäö"}},
		{liaison.Finnish, []string{"Valitukset", "Avoimet toimenpiteet"}},
	} {
		t.Run(string(c.lang), func(t *testing.T) {
			l := i18n.For(c.lang)
			pdf, err := PDF(Build(fixture(), l, day("2026-07-01")), l)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", pdf[:min(20, len(pdf))])
			}
			text := pdfText(t, pdf)
			for _, w := range append(c.want, l.T("report.complaints.title"), l.T("report.sla.title")) {
				if !strings.Contains(text, w) {
					t.Errorf("PDF text lacks %q:\n%s", w, text)
				}
			}
		})
	}
}

// TestPDFEmbedsSubset checks the font is embedded and subset: a pack is
// far smaller than the 3.2 MB font.
func TestPDFEmbedsSubset(t *testing.T) {
	l := i18n.For(liaison.Chinese)
	pdf, err := PDF(Build(fixture(), l, day("2026-07-01")), l)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(pdf, []byte("/FontFile2")) {
		t.Error("no embedded TrueType font")
	}
	if len(pdf) > 400_000 {
		t.Errorf("PDF is %d bytes: the font is not subset", len(pdf))
	}
}

// TestWritePDFFiles writes the fixture's packs for a person to look at
// (LIAISON_PDF_DIR=/tmp/x go test -run WritePDFFiles).
func TestWritePDFFiles(t *testing.T) {
	dir := os.Getenv("LIAISON_PDF_DIR")
	if dir == "" {
		t.Skip("LIAISON_PDF_DIR not set")
	}
	for _, lang := range liaison.Languages {
		l := i18n.For(lang)
		pdf, err := PDF(Build(fixture(), l, day("2026-07-01")), l)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dir+"/report-"+string(lang)+".pdf", pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkPDFFixture(b *testing.B) {
	l := i18n.For(liaison.Chinese)
	p := Build(fixture(), l, day("2026-07-01"))
	for b.Loop() {
		if _, err := PDF(p, l); err != nil {
			b.Fatal(err)
		}
	}
}
