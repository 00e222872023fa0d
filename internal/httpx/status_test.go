package httpx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	liaison "github.com/liaisonhq/liaison"
)

func TestStatus(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{liaison.Errorf(liaison.EINVALID, "bad"), http.StatusUnprocessableEntity},
		{fmt.Errorf("update: %w", liaison.Errorf(liaison.ESTALE, "stale")), http.StatusPreconditionFailed},
		{liaison.Errorf(liaison.ECONFLICT, "taken"), http.StatusConflict},
		{errors.New("disk on fire"), http.StatusInternalServerError},
		{fmt.Errorf("find organisations: %w", context.Canceled), StatusClientClosed},
		{fmt.Errorf("find organisations: %w", context.DeadlineExceeded), http.StatusInternalServerError},
	}
	for _, tt := range tests {
		if got := Status(tt.err); got != tt.want {
			t.Errorf("Status(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
