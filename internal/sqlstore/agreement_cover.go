package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/liaisonhq/liaison"
)

// checkCoveredServices checks that every service an agreement covers
// exists and that its level, when named, is one the service offers.
func checkCoveredServices(ctx context.Context, tx *writeTx, a *liaison.Agreement, v *liaison.Validation) error {
	for i, c := range a.Services {
		if c.ServiceID == "" {
			continue
		}
		field := fmt.Sprintf("services[%d]", i)
		s, err := findService(ctx, tx, c.ServiceID, tx.db.dialect.forShare)
		if liaison.ErrorCode(err) == liaison.ENOTFOUND {
			unknownRef(v, field+".service_id", "service")
			continue
		} else if err != nil {
			return err
		}
		if c.Level != "" && s.Level(c.Level) == nil {
			v.Add(field+".level", liaison.CodeInvalid, "error.level_not_offered", "%s does not offer the level %s; choose one of %s",
				s.Name, c.Level, strings.Join(s.LevelNames(), ", "))
		}
	}
	return nil
}
