package app

import (
	"context"
	"strings"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/csvio"
)

// Imports (SPEC C15) of units, people, contact roles, services, agreements
// and SLA results from CSV or XLSX,
// by the head of service management or an administrator: upload (the
// mapping of columns to fields is suggested), change the mapping, dry run
// (every rejected row with its line and reason), commit (all or nothing,
// in one transaction). The job, its file and its progress live in the
// database, so any instance serves any step and any progress poll.

// MaxImportBytes caps an uploaded file.
const MaxImportBytes = 32 << 20

// importProgressEvery is how many rows pass between two progress writes.
const importProgressEvery = 2000

func decodeImport(data []byte) (*csvio.Table, error) {
	tb, err := csvio.DecodeAny(data)
	if err != nil {
		return nil, &liaison.Error{Code: liaison.EINVALID, Message: "Validation failed.", Key: "error.validation",
			Fields: []liaison.FieldError{{Field: "file", Code: liaison.CodeInvalid, Key: "import.error_unreadable", Args: []any{err.Error()},
				Message: "cannot be read as CSV or XLSX: " + err.Error()}}}
	}
	return tb, nil
}

func importInvalid(field, key, msg string, args ...any) error {
	var v liaison.Validation
	v.Add(field, liaison.CodeInvalid, key, msg, args...)
	return v.Err()
}

// StartImport reads an uploaded file and stores it as a job of kind with
// the mapping its header suggests.
func (a *App) StartImport(ctx context.Context, kind liaison.ImportKind, fileName string, data []byte) (*liaison.ImportJob, error) {
	p, err := require(ctx, liaison.AccessCurate)
	if err != nil {
		return nil, err
	}
	if _, ok := liaison.ParseImportKind(string(kind)); !ok {
		return nil, importInvalid("kind", "import.error_kind", "names no kind of import: %s", kind)
	}
	if len(data) > MaxImportBytes {
		return nil, importInvalid("file", "import.error_too_large", "is larger than %d MiB", MaxImportBytes>>20)
	}
	tb, err := decodeImport(data)
	if err != nil {
		return nil, err
	}
	j := &liaison.ImportJob{Kind: kind, FileName: fileName, Data: data, Header: tb.Header,
		Mapping: liaison.SuggestMapping(kind, tb.Header), Status: liaison.ImportUploaded, Total: len(tb.Rows), CreatedBy: p.User.ID}
	if err := a.Store.CreateImportJob(ctx, j); err != nil {
		return nil, err
	}
	return j, nil
}

// ImportJob returns a job with its header (the file stays with it).
func (a *App) ImportJob(ctx context.Context, id string) (*liaison.ImportJob, error) {
	if _, err := require(ctx, liaison.AccessCurate); err != nil {
		return nil, err
	}
	j, err := a.Store.FindImportJob(ctx, id)
	if err != nil {
		return nil, err
	}
	tb, err := decodeImport(j.Data)
	if err != nil {
		return nil, err
	}
	j.Header = tb.Header
	if len(tb.Rows) > 0 {
		j.Sample = tb.Rows[0].Fields
	}
	return j, nil
}

// SetImportMapping changes the job's mapping: mapping[i] is the field of
// column i ("" ignores it). A changed mapping needs a new dry run.
func (a *App) SetImportMapping(ctx context.Context, id string, mapping []string) (*liaison.ImportJob, error) {
	j, err := a.ImportJob(ctx, id)
	if err != nil {
		return nil, err
	}
	if j.Status == liaison.ImportRunning || j.Status == liaison.ImportDone {
		return nil, &liaison.Error{Code: liaison.ECONFLICT, Message: "The import has run; upload the file again.", Key: "import.error_ran"}
	}
	if len(mapping) != len(j.Header) {
		return nil, importInvalid("mapping", "import.error_mapping_length", "must name a field (or none) for each of the %d columns", len(j.Header))
	}
	if err := liaison.CheckMapping(j.Kind, mapping); err != nil {
		return nil, err
	}
	j.Mapping, j.Status, j.Report, j.Done = mapping, liaison.ImportUploaded, nil, 0
	return j, a.Store.SaveImportJob(ctx, j)
}

// RunImport checks (dryRun) or commits the job's file with its mapping.
// progress, when not nil, hears the percentage of each step too (the
// CLI's bar). The
// report lists every rejected row; a commit with any writes nothing.
func (a *App) RunImport(ctx context.Context, id string, dryRun bool, progress func(percent int)) (*liaison.ImportJob, error) {
	j, err := a.runnableImport(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.runImport(ctx, j, dryRun, progress)
}

// runnableImport returns the job when it may run: not running or run, and
// mapped well.
func (a *App) runnableImport(ctx context.Context, id string) (*liaison.ImportJob, error) {
	j, err := a.ImportJob(ctx, id)
	if err != nil {
		return nil, err
	}
	if j.Status == liaison.ImportRunning || j.Status == liaison.ImportDone {
		return nil, &liaison.Error{Code: liaison.ECONFLICT, Message: "The import has run; upload the file again.", Key: "import.error_ran"}
	}
	if err := liaison.CheckMapping(j.Kind, j.Mapping); err != nil {
		return nil, err
	}
	return j, nil
}

// StartCommit marks the job running and commits it in the background,
// for the web page that polls the job's progress (from the database, so
// any instance answers the poll). The work goes on when the request ends.
func (a *App) StartCommit(ctx context.Context, id string) (*liaison.ImportJob, error) {
	j, err := a.runnableImport(ctx, id)
	if err != nil {
		return nil, err
	}
	j.Status, j.Done, j.Report = liaison.ImportRunning, 0, nil
	if err := a.Store.SaveImportJob(ctx, j); err != nil {
		return nil, err
	}
	bg := context.WithoutCancel(ctx)
	go func() {
		if _, err := a.runImport(bg, j, false, nil); err != nil {
			a.Log.Error("import: commit", "job", j.ID, "err", err)
		}
	}()
	return j, nil
}

func (a *App) runImport(ctx context.Context, j *liaison.ImportJob, dryRun bool, progress func(percent int)) (*liaison.ImportJob, error) {
	tb, err := decodeImport(j.Data)
	if err != nil {
		return nil, err
	}
	// Progress: Done counts the rows read and mapped, the first half of
	// the bar (ImportJob.Percent); the one transaction that checks them
	// against the store and writes them is the second, reported when it
	// ends (it cannot report from inside: on SQLite it holds the only
	// writer).
	j.Status, j.Total, j.Done = liaison.ImportRunning, len(tb.Rows), 0
	if err := a.Store.SaveImportJob(ctx, j); err != nil {
		return nil, err
	}
	report := func() {
		if progress != nil {
			progress(j.Percent())
		}
	}
	report()
	rows := make([]liaison.ImportRow, len(tb.Rows))
	for i, r := range tb.Rows {
		rows[i] = liaison.MapRow(r.Line, r.Fields, j.Mapping)
		if (i+1)%importProgressEvery == 0 {
			j.Done = i + 1
			if err := a.Store.SaveImportJob(ctx, j); err != nil {
				return nil, err
			}
			report()
		}
	}
	j.Done = len(rows)
	if err := a.Store.SaveImportJob(ctx, j); err != nil {
		return nil, err
	}
	report()
	plan, err := a.Store.ApplyImport(ctx, j.Kind, rows, dryRun)
	if err != nil {
		j.Status = liaison.ImportFailed
		rej := liaison.ImportRowError{Code: liaison.CodeInvalid, Key: "import.error_failed", Message: liaison.ErrorMessage(err)}
		if e, ok := err.(*liaison.Error); ok && e.Key != "" {
			rej.Key = e.Key
		}
		j.Report = &liaison.ImportSummary{Rows: len(rows), Rejected: []liaison.ImportRowError{rej}}
		if serr := a.Store.SaveImportJob(context.WithoutCancel(ctx), j); serr != nil {
			a.Log.Error("import: save failed job", "job", j.ID, "err", serr)
		}
		return nil, err
	}
	rep := plan.Report(dryRun)
	rep.Committed = !dryRun && len(rep.Rejected) == 0
	j.Report, j.Done = rep, j.Total
	switch {
	case rep.Committed:
		j.Status = liaison.ImportDone
	case dryRun:
		j.Status = liaison.ImportChecked
	default:
		j.Status = liaison.ImportFailed
	}
	if err := a.Store.SaveImportJob(ctx, j); err != nil {
		return nil, err
	}
	report()
	return j, nil
}

// ImportFile uploads, maps (the suggestion, changed by overrides: column
// name → field, "" to ignore a column) and runs an import in one call:
// the CLI and the API's one-step import.
func (a *App) ImportFile(ctx context.Context, kind liaison.ImportKind, fileName string, data []byte, overrides map[string]string,
	dryRun bool, progress func(percent int)) (*liaison.ImportJob, error) {
	j, err := a.StartImport(ctx, kind, fileName, data)
	if err != nil {
		return nil, err
	}
	if len(overrides) > 0 {
		m := append([]string(nil), j.Mapping...)
		for col, field := range overrides {
			found := false
			for i, h := range j.Header {
				if h == strings.ToLower(strings.TrimSpace(col)) {
					m[i], found = field, true
				}
			}
			if !found {
				return nil, importInvalid("mapping", "import.error_no_column", "names the column %s, which the file lacks", col)
			}
		}
		if j, err = a.SetImportMapping(ctx, j.ID, m); err != nil {
			return nil, err
		}
	}
	return a.RunImport(ctx, j.ID, dryRun, progress)
}
