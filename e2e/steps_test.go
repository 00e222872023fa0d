package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// stepper returns a function that runs a named step of a flow: each action
// gets 15 s; on a failure it takes the screenshot failPrefix+name (when
// LIAISON_SHOTS is set) and stops the test naming the step and the action.
func stepper(t *testing.T, ctx context.Context, failPrefix string) func(name string, actions ...chromedp.Action[chromedp.Void]) {
	return func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for i, a := range actions {
			actx, cancel := context.WithTimeout(ctx, 15*time.Second)
			err := chromedp.Do(actx, a)
			cancel()
			if err != nil {
				shot(t, ctx, failPrefix+name)
				t.Fatalf("%s, action %d: %v", name, i+1, err)
			}
		}
	}
}

// textOf returns a function that reads the visible text of a selector.
func textOf(t *testing.T, ctx context.Context) func(sel string) string {
	return func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
}
