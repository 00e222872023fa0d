package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
)

// SegmentCreate is the body that creates a segment.
type SegmentCreate struct {
	Name        string `json:"name" maxLength:"200" doc:"Required."`
	Description string `json:"description,omitempty" maxLength:"20000"`
}

type segmentCreateInput struct {
	IdempotencyHeader
	Body SegmentCreate
}

func (api *API) registerSegments() {
	tags := []string{"segments"}
	pt := newPatcher[liaison.Segment](api)
	register(api, huma.Operation{OperationID: "list-segments", Method: http.MethodGet, Path: "/segments", Tags: tags,
		Summary: "List segments"}, liaison.AccessRead,
		func(ctx context.Context, in *ListParams) (*listed[*liaison.Segment], error) {
			all, err := api.app.Segments(ctx)
			if err != nil {
				return nil, err
			}
			return pageInMemory(all, *in, func(s *liaison.Segment) string { return s.Name },
				func(s *liaison.Segment) time.Time { return s.CreatedAt }, func(s *liaison.Segment) time.Time { return s.UpdatedAt })
		})
	register(api, huma.Operation{OperationID: "create-segment", Method: http.MethodPost, Path: "/segments", Tags: tags,
		Summary: "Create a segment (admin, head)", DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessCurate,
		func(ctx context.Context, in *segmentCreateInput) (*created[liaison.Segment], error) {
			return createOnce(ctx, api, in.IdempotencyKey, "POST /segments", in.Body, func(ctx context.Context) (*liaison.Segment, string, int, error) {
				s := &liaison.Segment{Name: in.Body.Name, Description: in.Body.Description}
				if err := api.app.CreateSegment(ctx, s); err != nil {
					return nil, "", 0, err
				}
				return s, BasePath + "/segments/" + s.ID, s.Version, nil
			}, rereader(api.app.Segment, func(v *liaison.Segment) int { return v.Version }), nil)
		})
	register(api, huma.Operation{OperationID: "get-segment", Method: http.MethodGet, Path: "/segments/{id}", Tags: tags,
		Summary: "Get a segment"}, liaison.AccessRead, api.getSegment)
	register(api, huma.Operation{OperationID: "update-segment", Method: http.MethodPatch, Path: "/segments/{id}", Tags: tags,
		Summary: "Update a segment (JSON merge patch; admin, head)", RequestBody: mergePatchBody[liaison.Segment](api),
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired, http.StatusUnsupportedMediaType}},
		liaison.AccessCurate, func(ctx context.Context, in *patchInput) (*one[liaison.Segment], error) {
			cur, err := api.app.Segment(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			s, v, err := pt.apply(in, cur, cur.Version)
			if err != nil {
				return nil, err
			}
			if err := api.app.UpdateSegment(ctx, s, v); err != nil {
				return nil, err
			}
			return api.getSegment(ctx, &idInput{ID: in.ID})
		})
	register(api, huma.Operation{OperationID: "delete-segment", Method: http.MethodDelete, Path: "/segments/{id}", Tags: tags,
		Summary: "Remove a segment (admin, head)", Description: "Answers 409 while accounts use it.",
		Errors: []int{http.StatusConflict, http.StatusPreconditionFailed, http.StatusPreconditionRequired}},
		liaison.AccessCurate, func(ctx context.Context, in *deleteInput) (*struct{}, error) {
			v, err := ifVersion(in.IfMatch, func() (int, error) {
				s, err := api.app.Segment(ctx, in.ID)
				if err != nil {
					return 0, err
				}
				return s.Version, nil
			})
			if err != nil {
				return nil, err
			}
			return nil, api.app.DeleteSegment(ctx, in.ID, v)
		})
	register(api, huma.Operation{OperationID: "list-segment-history", Method: http.MethodGet, Path: "/segments/{id}/history", Tags: tags,
		Summary: "The audit trail of a segment, newest first"}, liaison.AccessRead, api.history("segment"))
}

func (api *API) getSegment(ctx context.Context, in *idInput) (*one[liaison.Segment], error) {
	s, err := api.app.Segment(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return &one[liaison.Segment]{ETag: etag(s.Version), Body: s}, nil
}
