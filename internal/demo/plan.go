package demo

import (
	"context"
	"fmt"
	"time"

	liaison "github.com/liaisonhq/liaison"
)

// The demo's account plans (SPEC C3, seed 003 §6.1): internal, living plans
// of several accounts, each saved a few times by its relationship manager,
// so that the history and the diff have something to show. One marketing
// action names a service still in the pipeline, with its override reason.

// planItemSpec is a plan item; days is its date relative to today (0: none).
type planItemSpec struct {
	title, note, service string
	days                 int
	override             string
}

// planStep is one save: the items it adds per section, the titles it
// removes, and the date changes (title → days).
type planStep struct {
	add    map[liaison.PlanSection][]planItemSpec
	remove []string
	redate map[string]int
}

type planSpec struct {
	account, manager string
	steps            []planStep
}

var planSpecs = []planSpec{
	{account: "hospital", manager: "johan", steps: []planStep{
		{add: map[liaison.PlanSection][]planItemSpec{
			liaison.PlanBasicInfo: {
				{title: "Budgetansvarig: sjukhusdirektören", note: "IT-budgeten beslutas i sjukhusledningen i oktober; ekonomichefen bereder."},
				{title: "Dygnet-runt-verksamhet", note: "Akut, IVA och förlossning: inga planerade avbrott dagtid; servicefönster natt mot söndag."}},
			liaison.PlanDevelopmentInitiatives: {
				{title: "Mobil journalföring vid sängen", note: "Surfplattor på Medicinkliniken; kräver wifi-täckningen som byggdes ut i höstas.", service: "ehr", days: 75},
				{title: "Digitala remisser till primärvården", note: "Ersätter fax; samordnas med förbättringsförslaget om säker digital post.", service: "files", days: 160}},
			liaison.PlanCriticalUpdateDates: {
				{title: "Årsskiftet i journalsystemet", note: "Inga uppdateringar av journalsystemet 20 december – 7 januari.", service: "ehr", days: 25}},
			liaison.PlanFinanceMeetings: {
				{title: "Budgetdialog 2028 med sjukhusledningen", note: "Underlag: volymer för journalsystem och arbetsplats.", days: 110}},
		}},
		{add: map[liaison.PlanSection][]planItemSpec{
			liaison.PlanDevelopmentNeeds: {
				{title: "Fler laddstationer för surfplattor", note: "Önskemål från avdelning 12 vid tjänsteuppföljningen."}},
			liaison.PlanMarketingActions: {
				{title: "Visa säker filöverföring för remisshanteringen", service: "files",
					note:     "Demo för sjukhusets remissgrupp innan beslut om digitala remisser.",
					override: "Sjukhusledningen har bett om en förhandsvisning inför budgetbeslutet; tjänsten visas som pilot, inte som erbjudande."}},
		}},
		{redate: map[string]int{"Mobil journalföring vid sängen": 95}},
	}},
	{account: "edu", manager: "mikael", steps: []planStep{
		{add: map[liaison.PlanSection][]planItemSpec{
			liaison.PlanBasicInfo: {
				{title: "Beslut i utbildningsnämnden", note: "Förvaltningschefen äger IT-budgeten; rektorerna är beställare."}},
			liaison.PlanDevelopmentInitiatives: {
				{title: "En-till-en-datorer i årskurs 7–9", note: "Upphandling klar till vårterminen.", service: "workplace", days: 60}},
			liaison.PlanCriticalUpdateDates: {
				{title: "Terminsstart: inga ändringar i skolplattformen", note: "Två veckor före och efter terminsstart.", service: "school", days: 40},
				{title: "Betygsperioden", note: "Skolplattformen måste vara tillgänglig; inga servicefönster.", service: "school", days: 170}},
			liaison.PlanFinanceMeetings: {
				{title: "Budgetberedning med förvaltningsekonomen", days: 85}},
		}},
		{add: map[liaison.PlanSection][]planItemSpec{
			liaison.PlanMarketingActions: {
				{title: "Kvällsöppen servicedesk vid terminsstart som ordinarie tjänst", service: "workplace",
					note: "Försöket föll väl ut; erbjud det i nästa överenskommelse."}},
			liaison.PlanDevelopmentNeeds: {
				{title: "Enklare gästnätverk för föräldramöten", service: "network"}},
		}, remove: []string{"Betygsperioden"}},
	}},
	{account: "polaris", manager: "anna", steps: []planStep{
		{add: map[liaison.PlanSection][]planItemSpec{
			liaison.PlanBasicInfo: {
				{title: "Rektorn beslutar inom skolans ram", note: "Större inköp går via Utbildnings förvaltningschef."}},
			liaison.PlanDevelopmentInitiatives: {
				{title: "Skolplattformen som mobilapp", note: "Efterfrågas i nöjd-kund-undersökningen; se förbättringsförslaget.", service: "school", days: 100}},
		}},
		{add: map[liaison.PlanSection][]planItemSpec{
			liaison.PlanFinanceMeetings: {{title: "Budgetsamtal med rektorn", days: 55}},
		}},
	}},
	{account: "fi", manager: "mikko", steps: []planStep{
		{add: map[liaison.PlanSection][]planItemSpec{
			liaison.PlanBasicInfo: {
				{title: "Talousjohtaja päättää IT-budjetista", note: "Hallitus hyväksyy budjetin joulukuussa."}},
			liaison.PlanDevelopmentInitiatives: {
				{title: "ERP-raportointi suomeksi", note: "Vakioraportit suomeksi ennen tilinpäätöstä.", service: "erp", days: 80}},
			liaison.PlanCriticalUpdateDates: {
				{title: "Tilinpäätös: ei ERP-päivityksiä", note: "Tammikuun kaksi ensimmäistä viikkoa.", service: "erp", days: 35}},
			liaison.PlanFinanceMeetings: {{title: "Budjettikokous talousjohtajan kanssa", days: 100}},
		}},
		{redate: map[string]int{"ERP-raportointi suomeksi": 120}},
	}},
	{account: "cn", manager: "chen", steps: []planStep{
		{add: map[liaison.PlanSection][]planItemSpec{
			liaison.PlanBasicInfo: {
				{title: "总经理负责 IT 预算", note: "预算每年十一月由董事会批准。"}},
			liaison.PlanDevelopmentInitiatives: {
				{title: "办公网络升级", note: "新办公楼启用前完成。", service: "network", days: 90}},
			liaison.PlanCriticalUpdateDates: {
				{title: "春节期间不做系统变更", note: "春节前后各一周。", service: "mail", days: 65}},
		}},
		{add: map[liaison.PlanSection][]planItemSpec{
			liaison.PlanDevelopmentNeeds: {{title: "会议室视频设备", service: "workplace"}},
		}},
	}},
}

// createPlans saves the demo's account plans, each step as its manager,
// and a template of the healthcare segment with its own guidance.
func (l *loader) createPlans(ctx context.Context) error {
	svcs, _, err := l.a.Services(ctx, liaison.ServiceFilter{Limit: 100})
	if err != nil {
		return err
	}
	byKey := map[string]string{}
	for _, spec := range services {
		for _, s := range svcs {
			if s.Name == spec.name {
				byKey[spec.key] = s.ID
			}
		}
	}
	date := func(days int) *string {
		if days == 0 {
			return nil
		}
		return liaison.Ptr(l.today.Add(time.Duration(days) * 24 * time.Hour).Format(liaison.DateLayout))
	}
	for _, spec := range planSpecs {
		acct := l.units[spec.account]
		if acct == nil {
			return fmt.Errorf("plan: unknown account %s", spec.account)
		}
		as := liaison.WithPrincipal(ctx, &liaison.Principal{User: l.users[spec.manager], Scope: liaison.ScopeWrite, Via: "demo"})
		var sections liaison.PlanSections
		for n, step := range spec.steps {
			for _, s := range liaison.PlanSectionList {
				items := sections.Items(s)
				for _, it := range step.add[s] {
					item := liaison.PlanItem{Title: it.title, Note: it.note, Date: date(it.days), OverrideReason: it.override}
					if it.service != "" {
						id, ok := byKey[it.service]
						if !ok {
							return fmt.Errorf("plan %s: unknown service %s", spec.account, it.service)
						}
						item.ServiceID = &id
					}
					*items = append(*items, item)
				}
				kept := (*items)[:0]
				for _, it := range *items {
					if days, ok := step.redate[it.Title]; ok {
						it.Date = date(days)
					}
					if !contains(step.remove, it.Title) {
						kept = append(kept, it)
					}
				}
				*items = kept
			}
			saved, err := l.a.SaveAccountPlan(as, acct.ID, sections, n)
			if err != nil {
				return fmt.Errorf("plan %s, save %d: %w", spec.account, n+1, err)
			}
			sections = saved.Sections
		}
	}
	hc := l.segments["healthcare"]
	return l.a.SavePlanTemplate(ctx, &liaison.PlanTemplate{SegmentID: &hc, Sections: []liaison.PlanTemplateSection{
		{Section: liaison.PlanCriticalUpdateDates, Shown: true,
			Guidance: liaison.PlanText{
				En: "Healthcare runs round the clock: note every period when the clinical systems must not change (year end, holidays, audits).",
				Sv: "Vården är igång dygnet runt: notera varje period då de kliniska systemen inte får ändras (årsskifte, semestrar, revisioner).",
				Fi: "Terveydenhuolto toimii ympäri vuorokauden: kirjaa jaksot, joina kliinisiä järjestelmiä ei saa muuttaa (vuodenvaihde, lomat, auditoinnit).",
				Zh: "医疗业务全天候运行：请记录临床系统不得变更的所有时段（年末、假期、审计）。"}},
	}}, 0)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
