package liaison

import (
	"bytes"
	"mime"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxAttachmentBytes caps an attachment's size: agreements and their
// appendices, stored in the database.
const MaxAttachmentBytes = 5 << 20

// Attachment is a file kept with an agreement. Data is left out of lists.
type Attachment struct {
	ID          string    `json:"id"`
	AgreementID string    `json:"agreement_id"`
	Name        string    `json:"name" maxLength:"200"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by" doc:"The name of who added it."`
	Data        []byte    `json:"-"`
}

// attachmentTypes are the content types accepted, each with a check that
// the bytes are what the type says.
var attachmentTypes = map[string]func([]byte) bool{
	"application/pdf": func(b []byte) bool { return bytes.HasPrefix(b, []byte("%PDF-")) },
	"image/png":       func(b []byte) bool { return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) },
	"image/jpeg":      func(b []byte) bool { return bytes.HasPrefix(b, []byte("\xff\xd8\xff")) },
	"text/plain":      plainText,
	"text/csv":        plainText,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": zipFile,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       zipFile,
	"application/vnd.oasis.opendocument.text":                                 zipFile,
	"application/vnd.oasis.opendocument.spreadsheet":                          zipFile,
}

// byExtension names the type of a file whose client sent none or a generic one.
var byExtension = map[string]string{
	".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".txt": "text/plain", ".csv": "text/csv",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
}

func plainText(b []byte) bool { return utf8.Valid(b) && bytes.IndexByte(b, 0) < 0 }
func zipFile(b []byte) bool   { return bytes.HasPrefix(b, []byte("PK\x03\x04")) }

// AttachmentTypes lists the accepted content types, for help texts.
func AttachmentTypes() string {
	return "PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods), PNG, JPEG, text, CSV"
}

// Normalize cleans the name and settles the content type: a declared
// type's parameters are dropped; a missing or generic one is taken from
// the name's extension.
func (a *Attachment) Normalize() {
	a.Name = strings.TrimSpace(path.Base(strings.ReplaceAll(a.Name, "\\", "/")))
	if a.Name == "." || a.Name == "/" {
		a.Name = ""
	}
	ct, _, err := mime.ParseMediaType(a.ContentType)
	if err != nil {
		ct = ""
	}
	if ct == "" || ct == "application/octet-stream" {
		ct = byExtension[strings.ToLower(path.Ext(a.Name))]
	}
	a.ContentType = ct
	a.Size = len(a.Data)
}

// Validate checks the name, the size and that the bytes are of an accepted
// type and match it.
func (a *Attachment) Validate() error {
	var v Validation
	v.RequireName("name", a.Name)
	check, ok := attachmentTypes[a.ContentType]
	switch {
	case len(a.Data) == 0:
		v.Add("file", CodeRequired, "error.file_empty", "is empty")
	case len(a.Data) > MaxAttachmentBytes:
		v.Add("file", CodeTooLong, "error.file_too_big", "must be at most %d MiB", MaxAttachmentBytes>>20)
	case !ok:
		v.Add("content_type", CodeInvalid, "error.file_type", "is not accepted; use %s", AttachmentTypes())
	case !check(a.Data):
		v.Add("content_type", CodeInvalid, "error.file_mismatch", "does not match the file's content")
	}
	return v.Err()
}
