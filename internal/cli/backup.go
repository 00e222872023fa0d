package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/liaisonhq/liaison/internal/sqlstore"
)

const (
	backupUsage  = "usage: liaison backup [--db DB] --to FILE [--format portable|sqlite]"
	restoreUsage = "usage: liaison restore [--db DB] --from FILE|- [--force] | liaison restore --check --from FILE|-"
)

// backup writes a consistent backup of a live database (see docs/backup.md).
func backup(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dsn := newFlags("backup")
	to := fs.String("to", "", "the file to write (required); - writes the portable format to standard output")
	format := fs.String("format", "portable", "portable (gzip'd JSON lines; restores on either engine) or sqlite (a SQLite database file; SQLite only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" || fs.NArg() > 0 {
		return errors.New(backupUsage)
	}
	if *format != "portable" && *format != "sqlite" {
		return fmt.Errorf("--format %q: want portable or sqlite", *format)
	}
	if *format == "sqlite" && *to == "-" {
		return errors.New("--format sqlite needs a file, not standard output")
	}
	if err := sqliteExists(*dsn); err != nil {
		return err
	}
	// Not openStore: a backup reads the database as it is, migrating nothing.
	db, err := sqlstore.Open(ctx, *dsn)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	began := time.Now()

	if *format == "sqlite" {
		if err := db.BackupSQLiteFile(ctx, *to); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backup written to %s (SQLite file, %s) in %s\n", *to, fileSize(*to), time.Since(began).Round(time.Millisecond))
		return nil
	}
	if *to == "-" {
		_, err := db.Backup(ctx, stdout)
		return err
	}
	info, err := writeAtomically(*to, func(w io.Writer) (*sqlstore.BackupInfo, error) { return db.Backup(ctx, w) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s: %d rows in %d tables, schema version %d, %s, sha256 %s, in %s\n",
		*to, info.Rows(), len(info.Tables), info.SchemaVersion, fileSize(*to), info.SHA256, time.Since(began).Round(time.Millisecond))
	return nil
}

// writeAtomically writes a file through a temporary one renamed into
// place once complete and synced, so a failed backup never leaves a
// truncated file under the name. The file is private (0600): it holds
// password and session hashes.
func writeAtomically(path string, write func(io.Writer) (*sqlstore.BackupInfo, error)) (*sqlstore.BackupInfo, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	info, err := write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, err
	}
	return info, nil
}

// restore loads a portable backup into an empty database.
func restore(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs, dsn := newFlags("restore")
	from := fs.String("from", "", "the backup file to read (required); - reads standard input")
	force := fs.Bool("force", false, "replace the contents of a database that is not empty (in the restore's one transaction)")
	check := fs.Bool("check", false, "only verify the file (structure, row counts, checksum); open no database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || fs.NArg() > 0 {
		return errors.New(restoreUsage)
	}
	in := stdin
	if *from != "-" {
		f, err := os.Open(*from)
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		defer f.Close()
		if isSQLiteFile(f) {
			return fmt.Errorf("restore: %s is a SQLite database file (backup --format sqlite), not a portable backup: with the server stopped, copy it into place as the database file", *from)
		}
		in = f
	}
	began := time.Now()
	if *check {
		info, err := sqlstore.VerifyBackup(in)
		if err != nil {
			return fmt.Errorf("restore: %s: %w", *from, err)
		}
		fmt.Fprintf(stdout, "%s is intact: %d rows in %d tables, schema version %d, from %s at %s, sha256 %s\n",
			*from, info.Rows(), len(info.Tables), info.SchemaVersion, info.Engine, info.CreatedAt.Format(time.RFC3339), info.SHA256)
		return nil
	}
	db, err := sqlstore.Open(ctx, *dsn)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	info, err := db.Restore(ctx, in, sqlstore.RestoreOptions{Force: *force})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %d rows in %d tables from %s (a %s backup of %s, schema version %d) in %s\n",
		info.Rows(), len(info.Tables), *from, info.Engine, info.CreatedAt.Format(time.RFC3339), info.SchemaVersion, time.Since(began).Round(time.Millisecond))
	return nil
}

// sqliteExists refuses a SQLite path with no file, which opening would
// create: a mistyped --db should not leave an empty database behind.
func sqliteExists(dsn string) error {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") || strings.Contains(dsn, ":memory:") {
		return nil
	}
	path, _, _ := strings.Cut(dsn, "?")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup: no database at %s", path)
	}
	return nil
}

// isSQLiteFile reports whether f starts with SQLite's header, and rewinds it.
func isSQLiteFile(f *os.File) bool {
	var head [16]byte
	n, _ := io.ReadFull(f, head[:])
	f.Seek(0, io.SeekStart)
	return n == 16 && string(head[:]) == "SQLite format 3\x00"
}

func fileSize(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return "size unknown"
	}
	n := float64(st.Size())
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", n/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", n/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", n/(1<<10))
	}
	return fmt.Sprintf("%d bytes", st.Size())
}
