package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

func TestChromiumStarts(t *testing.T) {
	ctx := Browser(t)
	if err := chromedp.Do(ctx, chromedp.Navigate("data:text/html,<title>ok</title>")); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil || title != "ok" {
		t.Fatalf("title = %q, %v", title, err)
	}
}
