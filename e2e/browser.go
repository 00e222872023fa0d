// Package e2e drives Liaison in a real headless Chromium: the user flows of
// each capability, run against the server started exactly as `liaison
// serve` starts it, on a free loopback port with a fresh database.
package e2e

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds Chromium, or returns "" when none is installed.
func chromiumPath() string {
	if p := os.Getenv("LIAISON_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser starts headless Chromium for the test and returns a tab's
// context. Without Chromium the test skips, except in CI where it fails.
func Browser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is not installed, and CI must run the browser tests")
		}
		t.Skip("Chromium not installed (apt-get install chromium); skipping browser test")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// htmxSettled waits until htmx has finished a boosted request and its swap:
// until then the previous page can still be on screen, and values set on
// the new page's fields before its settle step can be lost.
func htmxSettled() chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')`)
}
