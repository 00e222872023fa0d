package httpx

import (
	"net/http"

	liaison "github.com/liaisonhq/liaison"
)

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
	if s, ok := statusOf[liaison.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}
