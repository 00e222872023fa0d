package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// settingsTag is the strong ETag of the settings. They carry no version,
// so the tag is a digest of their JSON.
func settingsTag(s *liaison.Settings) string {
	b, _ := json.Marshal(s)
	sum := sha256.Sum256(b)
	return `"s-` + hex.EncodeToString(sum[:8]) + `"`
}

// matchTag reports whether an If-Match header allows a change of the
// representation with the strong tag tag.
func matchTag(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == "*" || t == tag {
			return true
		}
	}
	return false
}

func (api *API) registerSettings() {
	tags := []string{"settings"}
	pt := newPatcher[liaison.Settings](api)
	pt.readOnly = nil
	register(api, huma.Operation{OperationID: "get-settings", Method: http.MethodGet, Path: "/settings", Tags: tags,
		Summary: "The runtime settings"}, liaison.AccessRead, api.getSettings)
	register(api, huma.Operation{OperationID: "update-settings", Method: http.MethodPatch, Path: "/settings", Tags: tags,
		Summary: "Change the runtime settings (JSON merge patch; admin)", RequestBody: mergePatchBody[liaison.Settings](api),
		Description: "If-Match takes the ETag of GET /settings, a digest of their content.",
		Errors:      []int{http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessAdmin, func(ctx context.Context, in *settingsPatchInput) (*one[liaison.Settings], error) {
			cur, err := api.app.Settings(ctx)
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(in.IfMatch) == "" {
				return nil, preconditionRequired()
			}
			if !matchTag(in.IfMatch, settingsTag(&cur)) {
				return nil, &liaison.Error{Code: liaison.ESTALE, Key: "error.stale",
					Message: "The settings have changed since you read them; read them again."}
			}
			s, err := pt.patchInto(&patchInput{IfMatch: in.IfMatch, ContentType: in.ContentType, RawBody: in.RawBody}, &cur)
			if err != nil {
				return nil, err
			}
			if err := api.app.SaveSettings(ctx, *s); err != nil {
				return nil, err
			}
			return api.getSettings(ctx, &struct{}{})
		})
}

type settingsPatchInput struct {
	IfMatch     string `header:"If-Match" doc:"The ETag you read; * for any. Required."`
	ContentType string `header:"Content-Type" doc:"application/merge-patch+json or application/json."`
	RawBody     []byte
}

func (api *API) getSettings(ctx context.Context, _ *struct{}) (*one[liaison.Settings], error) {
	s, err := api.app.Settings(ctx)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Settings]{ETag: settingsTag(&s), Body: &s}, nil
}
