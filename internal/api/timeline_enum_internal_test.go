package api

import (
	"reflect"
	"strings"
	"testing"

	"github.com/liaisonhq/liaison"
)

// TestTimelineCategoryEnums: the category a client may filter by and the
// one an item carries name exactly the domain's categories, in its order:
// a capability that adds a category cannot leave the API refusing it.
func TestTimelineCategoryEnums(t *testing.T) {
	var names []string
	for _, c := range liaison.TimelineCategories {
		names = append(names, c.Name)
	}
	want := strings.Join(names, ",")
	in, _ := reflect.TypeOf(timelineInput{}).FieldByName("Category")
	item, _ := reflect.TypeOf(liaison.TimelineItem{}).FieldByName("Category")
	for name, got := range map[string]string{"timelineInput.Category": in.Tag.Get("enum"), "TimelineItem.Category": item.Tag.Get("enum")} {
		if got != want {
			t.Errorf("%s enum %q, want %q", name, got, want)
		}
	}
}
