package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/app"
)

// Imports (SPEC C15): upload a CSV or XLSX file of units, people, roles,
// services, agreements or SLA results, check or change the suggested mapping of its columns, dry-run,
// commit. The job (file, mapping, progress, report) is kept in the
// database: GET /imports/{id} shows the progress of a commit from any
// instance.

type importUploadInput struct {
	Kind        liaison.ImportKind `query:"kind" required:"true" enum:"units,people,roles,services,agreements,sla-results" doc:"What the file holds."`
	FileName    string             `query:"file_name" maxLength:"200" doc:"The file's name, for the record."`
	ContentType string             `header:"Content-Type" doc:"text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"`
	RawBody     []byte
}

type importJobAnswer struct {
	Status   int
	Location string `header:"Location"`
	Body     *liaison.ImportJob
}

// ImportMapping is the body that changes a job's mapping.
type ImportMapping struct {
	Mapping []string `json:"mapping" maxItems:"500" doc:"The field of each column, by position (see the job's header); \"\" ignores the column."`
}

type importMappingInput struct {
	ID   string `path:"id"`
	Body ImportMapping
}

func (api *API) registerImports() {
	tags := []string{"imports"}
	register(api, huma.Operation{OperationID: "upload-import", Method: http.MethodPost, Path: "/imports", Tags: tags,
		Summary: "Upload a file to import",
		Description: "The body is the file: CSV (comma or semicolon separated; UTF-8 with or without BOM, or Windows-1252) or XLSX " +
			"(the first sheet), with a header row. The answer is the job with the file's header, its first row and the suggested " +
			"mapping of columns to fields (by name, in English, Swedish, Finnish or Chinese). Head of service management and administrators.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: app.MaxImportBytes + 1,
		Errors: []int{http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity}}, liaison.AccessCurate,
		func(ctx context.Context, in *importUploadInput) (*importJobAnswer, error) {
			j, err := api.app.StartImport(ctx, in.Kind, in.FileName, in.RawBody)
			if err != nil {
				return nil, err
			}
			return &importJobAnswer{Status: http.StatusCreated, Location: BasePath + "/imports/" + j.ID, Body: j}, nil
		})
	register(api, huma.Operation{OperationID: "get-import", Method: http.MethodGet, Path: "/imports/{id}", Tags: tags,
		Summary: "Get an import job", Description: "Its mapping, status, progress (done of total) and the report of its last dry run or commit."},
		liaison.AccessCurate, func(ctx context.Context, in *idInput) (*importJobAnswer, error) {
			j, err := api.app.ImportJob(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &importJobAnswer{Status: http.StatusOK, Body: j}, nil
		})
	register(api, huma.Operation{OperationID: "map-import", Method: http.MethodPut, Path: "/imports/{id}/mapping", Tags: tags,
		Summary: "Change an import's mapping", Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}},
		liaison.AccessCurate, func(ctx context.Context, in *importMappingInput) (*importJobAnswer, error) {
			j, err := api.app.SetImportMapping(ctx, in.ID, in.Body.Mapping)
			if err != nil {
				return nil, err
			}
			return &importJobAnswer{Status: http.StatusOK, Body: j}, nil
		})
	run := func(dryRun bool) func(ctx context.Context, in *idInput) (*importJobAnswer, error) {
		return func(ctx context.Context, in *idInput) (*importJobAnswer, error) {
			j, err := api.app.RunImport(ctx, in.ID, dryRun, nil)
			if err != nil {
				return nil, err
			}
			status := http.StatusOK
			if len(j.Report.Rejected) > 0 {
				status = http.StatusUnprocessableEntity
			}
			return &importJobAnswer{Status: status, Body: j}, nil
		}
	}
	register(api, huma.Operation{OperationID: "dry-run-import", Method: http.MethodPost, Path: "/imports/{id}/dry-run", Tags: tags,
		Summary:     "Check an import",
		Description: "Checks every row against the stored records and writes nothing. The report counts what would be created, updated and left unchanged and lists every rejected row (line, field, reason); with any, the answer is 422.",
		Errors:      []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessCurate, run(true))
	register(api, huma.Operation{OperationID: "commit-import", Method: http.MethodPost, Path: "/imports/{id}/commit", Tags: tags,
		Summary: "Commit an import",
		Description: "Writes every row in one transaction, or none: with any rejected row the answer is 422 and nothing is written. " +
			"Rows match stored records by external_id, else email (people), name within the parent (units), person, unit and role " +
			"(roles), name (services), title within the account (agreements) or agreement, service, period and metric (SLA results): " +
			"a re-import updates, never duplicates. One audit entry for the import and one per record written.",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity}}, liaison.AccessCurate, run(false))
}
