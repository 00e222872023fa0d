package server_test

import (
	"fmt"
	"net/url"
	"strings"

	liaison "github.com/liaisonhq/liaison"
)

// The customer data map, contact channels, the contact log and
// announcements (SPEC C15, C16). Anyone in IT but viewers records systems
// (proposer); the head and admin remove them. Channels are account data.
// Anyone but viewers logs a contact on any account; the account's writers
// (and whoever logged it or has it: the fixture's is the admin's) change
// it. Announcements are written and published by managers, head and admin.
func init() {
	for k, v := range map[string]string{
		"GET /api/v1/data-sources":                read,
		"POST /api/v1/data-sources":               proposer,
		"GET /api/v1/data-sources/{id}":           read,
		"PATCH /api/v1/data-sources/{id}":         proposer,
		"DELETE /api/v1/data-sources/{id}":        curate,
		"GET /api/v1/data-sources/{id}/history":   read,
		"GET /api/v1/channels":                    read,
		"POST /api/v1/channels":                   account,
		"GET /api/v1/channels/{id}":               read,
		"PATCH /api/v1/channels/{id}":             account,
		"DELETE /api/v1/channels/{id}":            account,
		"GET /api/v1/channels/{id}/history":       read,
		"GET /api/v1/contacts":                    read,
		"POST /api/v1/contacts":                   proposer,
		"GET /api/v1/contacts/{id}":               read,
		"PATCH /api/v1/contacts/{id}":             account,
		"DELETE /api/v1/contacts/{id}":            account,
		"GET /api/v1/contacts/{id}/history":       read,
		"POST /api/v1/contacts/{id}/project":      account,
		"GET /api/v1/announcements":               read,
		"POST /api/v1/announcements":              anyWriter,
		"GET /api/v1/announcements/{id}":          read,
		"PATCH /api/v1/announcements/{id}":        anyWriter,
		"DELETE /api/v1/announcements/{id}":       anyWriter,
		"GET /api/v1/announcements/{id}/history":  read,
		"POST /api/v1/announcements/{id}/publish": anyWriter,
		"GET /data-map":                           read,
		"GET /data-sources/new":                   proposer,
		"POST /data-sources":                      proposer,
		"GET /data-sources/{id}":                  read,
		"GET /data-sources/{id}/edit":             proposer,
		"POST /data-sources/{id}":                 proposer,
		"POST /data-sources/{id}/delete":          curate,
		"GET /contacts":                           read,
		"GET /contacts/new":                       proposer,
		"POST /contacts":                          proposer,
		"GET /contacts/{id}":                      read,
		"GET /contacts/{id}/edit":                 account,
		"POST /contacts/{id}":                     account,
		"POST /contacts/{id}/status":              account,
		"POST /contacts/{id}/project":             account,
		"POST /contacts/{id}/delete":              account,
		"GET /organisations/{id}/contacts":        read,
		"GET /channels/new":                       account,
		"POST /channels":                          account,
		"GET /channels/{id}/edit":                 account,
		"POST /channels/{id}":                     account,
		"POST /channels/{id}/delete":              account,
		"GET /announcements":                      read,
		"GET /announcements/new":                  anyWriter,
		"POST /announcements":                     anyWriter,
		"GET /announcements/{id}":                 read,
		"GET /announcements/{id}/edit":            anyWriter,
		"POST /announcements/{id}":                anyWriter,
		"POST /announcements/{id}/publish":        anyWriter,
		"POST /announcements/{id}/delete":         anyWriter,
	} {
		matrix[k] = v
	}
}

// dataMapFixture is a system on the data map, a channel and a logged
// development need on account A (logged by the admin), and a draft
// announcement to account A.
type dataMapFixture struct {
	source, channel, contact, announcement, account string
}

func (w *world) freshDataMap(n int64) dataMapFixture {
	d := &liaison.DataSource{Name: fmt.Sprintf("System %d", n), Data: "Invoices", MaintainerUnit: "Finance"}
	w.must(w.a.CreateDataSource(w.sys, d))
	ch := &liaison.Channel{OrganisationID: w.accA, Kind: liaison.ChannelKindServiceDesk, Name: fmt.Sprintf("Desk %d", n)}
	w.must(w.a.CreateChannel(w.sys, ch))
	c := &liaison.Contact{OrganisationID: w.accA, Channel: liaison.ChannelPhone, Kind: liaison.ContactDevelopment, Subject: fmt.Sprintf("Need %d", n)}
	w.must(w.a.CreateContact(w.sys, c))
	a := &liaison.Announcement{Kind: liaison.AnnouncementUpdate, Title: fmt.Sprintf("Notice %d", n), Body: "Coming soon.", OrganisationIDs: []string{w.accA}}
	w.must(w.a.CreateAnnouncement(w.sys, a))
	return dataMapFixture{source: d.ID, channel: ch.ID, contact: c.ID, announcement: a.ID, account: w.accA}
}

func (df dataMapFixture) path(p string) string {
	for prefix, id := range map[string]string{"/data-sources/": df.source, "/channels/": df.channel, "/contacts/": df.contact,
		"/announcements/": df.announcement} {
		p = strings.Replace(p, prefix+"{id}", prefix+id, 1)
	}
	if p == "/channels/new" {
		p += "?organisation_id=" + df.account
	}
	return p
}

// ifMatch: the routes that act on a version without being PATCH or DELETE.
func (dataMapFixture) ifMatch(method, pattern string) bool {
	return method == "POST" && (pattern == "/api/v1/contacts/{id}/project" || pattern == "/api/v1/announcements/{id}/publish")
}

func (df dataMapFixture) body(method, pattern string, f fixture, n int64) (string, string, bool) {
	form := "application/x-www-form-urlencoded"
	js := "application/json"
	switch {
	case method == "POST" && pattern == "/api/v1/data-sources":
		return fmt.Sprintf(`{"name":"API system %d","data":"Devices"}`, n), js, true
	case method == "PATCH" && pattern == "/api/v1/data-sources/{id}":
		return `{"refresh_days":30}`, js, true
	case method == "POST" && pattern == "/api/v1/channels":
		return fmt.Sprintf(`{"organisation_id":%q,"kind":"other","name":"Chat %d"}`, f.account, n), js, true
	case method == "PATCH" && pattern == "/api/v1/channels/{id}":
		return `{"note":"Weekdays"}`, js, true
	case method == "POST" && pattern == "/api/v1/contacts":
		return fmt.Sprintf(`{"organisation_id":%q,"channel":"email","subject":"Question %d"}`, f.account, n), js, true
	case method == "PATCH" && pattern == "/api/v1/contacts/{id}":
		return `{"description":"Called again"}`, js, true
	case method == "POST" && pattern == "/api/v1/contacts/{id}/project":
		return `{}`, js, true
	case method == "POST" && pattern == "/api/v1/announcements":
		return fmt.Sprintf(`{"kind":"update","title":"Notice %d","body":"Soon","organisation_ids":[%q]}`, n, f.account), js, true
	case method == "PATCH" && pattern == "/api/v1/announcements/{id}":
		return `{"body":"Later"}`, js, true
	case method == "POST" && (pattern == "/data-sources" || pattern == "/data-sources/{id}"):
		return url.Values{"version": {"1"}, "name": {fmt.Sprintf("Form system %d", n)}, "data": {"Contracts"}}.Encode(), form, true
	case method == "POST" && (pattern == "/contacts" || pattern == "/contacts/{id}"):
		return url.Values{"version": {"1"}, "organisation_id": {f.account}, "channel": {"phone"}, "kind": {"development_need"},
			"subject": {fmt.Sprintf("Form contact %d", n)}}.Encode(), form, true
	case method == "POST" && pattern == "/contacts/{id}/status":
		return url.Values{"version": {"1"}, "status": {"closed"}, "resolution": {"Answered"}}.Encode(), form, true
	case method == "POST" && pattern == "/channels" || method == "POST" && pattern == "/channels/{id}":
		return url.Values{"version": {"1"}, "organisation_id": {f.account}, "kind": {"other"}, "name": {fmt.Sprintf("Form channel %d", n)}}.Encode(), form, true
	case method == "POST" && (pattern == "/announcements" || pattern == "/announcements/{id}"):
		return url.Values{"version": {"1"}, "kind": {"update"}, "title": {fmt.Sprintf("Form notice %d", n)}, "body": {"Soon"},
			"organisation_ids": {f.account}}.Encode(), form, true
	case method == "POST" && strings.HasSuffix(pattern, "/delete") || pattern == "/contacts/{id}/project" || pattern == "/announcements/{id}/publish":
		if strings.HasPrefix(pattern, "/data-sources") || strings.HasPrefix(pattern, "/contacts") || strings.HasPrefix(pattern, "/channels") ||
			strings.HasPrefix(pattern, "/announcements") {
			return url.Values{"version": {"1"}}.Encode(), form, true
		}
	}
	return "", "", false
}
