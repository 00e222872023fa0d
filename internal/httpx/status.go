package httpx

import (
	"context"
	"errors"
	"net/http"

	liaison "github.com/liaisonhq/liaison"
)

// StatusClientClosed answers a request whose client closed it first.
const StatusClientClosed = 499

var statusOf = map[string]int{
	liaison.EINVALID:      http.StatusUnprocessableEntity,
	liaison.EBADREQUEST:   http.StatusBadRequest,
	liaison.ENOTFOUND:     http.StatusNotFound,
	liaison.ECONFLICT:     http.StatusConflict,
	liaison.ESTALE:        http.StatusPreconditionFailed,
	liaison.EPRECONDITION: http.StatusPreconditionRequired,
	liaison.EUNAUTHORIZED: http.StatusUnauthorized,
	liaison.EFORBIDDEN:    http.StatusForbidden,
	liaison.ETOOMANY:      http.StatusTooManyRequests,
	liaison.EINTERNAL:     http.StatusInternalServerError,
}

// Status is the one place that maps a domain error to its HTTP status;
// the API's problem responses and the UI's error pages both use it.
func Status(err error) int {
	if errors.Is(err, context.Canceled) {
		// The client went away: nothing failed on this side, and nobody
		// reads the answer (nginx's 499, "client closed request").
		return StatusClientClosed
	}
	if s, ok := statusOf[liaison.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}
