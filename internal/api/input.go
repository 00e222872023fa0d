package api

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	liaison "github.com/liaisonhq/liaison"
)

// Text that no database column holds is refused before any store sees it:
// PostgreSQL's text type refuses NUL characters and invalid UTF-8 (SQLite
// would keep them), and a number beyond float64 (1e999) fits no field.
// Both are the client's error, answered 422 naming the field (404 for a
// path id: no record has such an id), never a 500.

const badTextMessage = "must be UTF-8 text without NUL characters"

// badText reports whether s holds a NUL character or invalid UTF-8.
func badText(s string) bool {
	return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s)
}

// checkInput checks the decoded input of an operation: its path, query
// and header parameters and its body.
func checkInput(in any) error {
	v := reflect.ValueOf(in)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	var c inputCheck
	c.params(v.Elem())
	if c.notFound {
		return &liaison.Error{Code: liaison.ENOTFOUND, Message: "No record has this id."}
	}
	if len(c.fields) > 0 {
		return validationError(c.fields...)
	}
	return nil
}

type inputCheck struct {
	fields   []liaison.FieldError
	notFound bool
}

func (c *inputCheck) add(field, msg string) {
	c.fields = append(c.fields, liaison.FieldError{Field: field, Code: liaison.CodeInvalid, Message: msg})
}

// params walks an input struct as huma fills it: tagged parameters,
// embedded parameter groups and Body.
func (c *inputCheck) params(v reflect.Value) {
	t := v.Type()
	for i := range t.NumField() {
		f, fv := t.Field(i), v.Field(i)
		if !f.IsExported() {
			continue
		}
		switch {
		case f.Anonymous && fv.Kind() == reflect.Struct:
			c.params(fv)
		case f.Name == "Body":
			c.value(fv, "")
		case fv.Kind() != reflect.String:
		case f.Tag.Get("path") != "":
			c.notFound = c.notFound || badText(fv.String())
		case f.Tag.Get("header") == "If-Match" || f.Tag.Get("header") == "Content-Type":
			// Parsed, never stored: their own checks answer 412 and 415.
		case f.Tag.Get("query") != "" || f.Tag.Get("header") != "":
			name := f.Tag.Get("query")
			if name == "" {
				name = f.Tag.Get("header")
			}
			if badText(fv.String()) {
				c.add(strings.Split(name, ",")[0], badTextMessage)
			}
		}
	}
}

// value walks a body: structs by their JSON names, maps, lists, strings and
// json.Numbers (a merge patch is decoded with UseNumber).
func (c *inputCheck) value(v reflect.Value, at string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			c.value(v.Elem(), at)
		}
	case reflect.String:
		if v.Type() == reflect.TypeFor[json.Number]() {
			n := v.String()
			if _, err := strconv.ParseFloat(n, 64); err != nil {
				c.add(at, "is not a number in range")
			}
			return
		}
		if badText(v.String()) {
			c.add(at, badTextMessage)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			c.value(v.Field(i), joinField(at, name))
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := range v.Len() {
			c.value(v.Index(i), at+"["+strconv.Itoa(i)+"]")
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			if k := iter.Key(); k.Kind() == reflect.String {
				c.value(iter.Value(), joinField(at, k.String()))
			}
		}
	}
}
