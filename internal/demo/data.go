package demo

import liaison "github.com/liaisonhq/liaison"

// The demo organisation as data: Region Norrsken, a Nordic regional group
// with its administrations, companies and foundations, a Finnish subsidiary
// and a joint-venture office in Suzhou, served by one IT service centre.

// userSpec is an internal user of the IT service centre.
type userSpec struct {
	key   string
	name  string
	email string
	role  liaison.UserRole
	lang  liaison.Language
}

// users: the admin first (it signs the audit trail), then Anna, the
// relationship manager the sign-in hint names.
var users = []userSpec{
	{"admin", "Demo Administrator", AdminEmail, liaison.RoleAdmin, liaison.English},
	{"anna", "Anna Lindqvist", ManagerEmail, liaison.RoleManager, liaison.Swedish},
	{"head", "Karin Holmberg", "karin.holmberg@liaison.demo", liaison.RoleHead, liaison.Swedish},
	{"johan", "Johan Bergström", "johan.bergstrom@liaison.demo", liaison.RoleManager, liaison.Swedish},
	{"elin", "Elin Åkesson", "elin.akesson@liaison.demo", liaison.RoleManager, liaison.Swedish},
	{"mikael", "Mikael Öberg", "mikael.oberg@liaison.demo", liaison.RoleManager, liaison.Swedish},
	{"mikko", "Mikko Heikkinen", "mikko.heikkinen@liaison.demo", liaison.RoleManager, liaison.Finnish},
	{"chen", "陈静", "chen.jing@liaison.demo", liaison.RoleManager, liaison.Chinese},
	{"lena", "Lena Pettersson", "lena.pettersson@liaison.demo", liaison.RoleStaff, liaison.Swedish},
	{"jukka", "Jukka Laine", "jukka.laine@liaison.demo", liaison.RoleStaff, liaison.Finnish},
	{"olivia", "Olivia Grant", "olivia.grant@liaison.demo", liaison.RoleViewer, liaison.English},
}

type segmentSpec struct{ key, name, desc string }

var segments = []segmentSpec{
	{"municipal", "Municipal unit", "Administrations run by the region itself under a political committee (sv förvaltning, fi kunnan yksikkö). Budget set yearly by the assembly."},
	{"company", "Company", "Limited companies the group owns wholly or in part (sv aktiebolag, fi osakeyhtiö, zh 有限公司). Own board, own IT budget under the owner's directive."},
	{"foundation", "Foundation", "Foundations with their own board and statutes (sv stiftelse, fi säätiö). Small budgets, decisions at board meetings."},
	{"healthcare", "Healthcare", "Hospitals, primary care and dental care: round-the-clock operations, patient data, strict availability needs."},
	{"education", "Education", "Schools and adult education: demand follows the school year, with peaks at the start of each term."},
}

// account makes a unit a budget holder. Manager and deputy name user keys;
// reviewed is how many months ago the structure was last reviewed.
type account struct {
	segment, manager, deputy string
	reviewed                 int
	stale                    bool // reviewed longer ago than the stale setting allows
	never                    bool // never reviewed
}

// roleSpec is a role a contact holds. at names another unit's key (empty:
// the contact's own unit); it names the designated IT contact's user key.
type roleSpec struct {
	kind  liaison.RoleKind
	label string
	at    string
	it    string
	ended bool // the role was held, then ended
}

func customer(it ...string) roleSpec { return roleSpec{kind: liaison.RoleCustomer, it: first(it)} }
func orderer(it ...string) roleSpec  { return roleSpec{kind: liaison.RoleOrderer, it: first(it)} }
func user() roleSpec                 { return roleSpec{kind: liaison.RoleUser} }
func other(label string, it ...string) roleSpec {
	return roleSpec{kind: liaison.RoleOther, label: label, it: first(it)}
}

func (r roleSpec) atUnit(key string) roleSpec { r.at = key; return r }

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// contact is a named business contact; an empty name is drawn from the
// name pool of the contact's language.
type contact struct {
	name  string
	title string
	lang  liaison.Language // empty: the unit's language
	notes string
	roles []roleSpec
}

func c(name, title string, roles ...roleSpec) contact {
	return contact{name: name, title: title, roles: roles}
}

// unitSpec is one organisation unit. lang, domain and country are inherited
// from the parent when empty. staff people with the given titles fill the
// unit after its named contacts; most of them get a user role.
type unitSpec struct {
	key, parent string
	name, ext   string
	lang        liaison.Language
	domain      string
	country     string // se, fi or cn: the style of phone numbers
	desc        string
	acc         *account
	contacts    []contact
	staff       []string
}

const (
	regionDomain = "regionnorrsken.example"
	movedUnit    = "adult"   // created under movedFrom, then moved and made an account
	movedFrom    = "admin"   // where the moved unit sat before the reorganisation
	endedUnit    = "culture" // its customer has retired; no successor named yet
	leaverUnit   = "payroll" // one of its staff has left: the person is in the trash
)

var units = []unitSpec{
	{key: "region", name: "Region Norrsken", ext: "RN-1000", lang: liaison.Swedish, domain: regionDomain, country: "se",
		desc: "Regionkoncernen: regionens förvaltningar, bolag och stiftelser, dotterbolaget i Finland och det samägda kontoret i Suzhou."},

	// Hälso- och sjukvård: the division decides for dental care; hospital and primary care hold their own budgets.
	{key: "hs", parent: "region", name: "Hälso- och sjukvård", ext: "RN-2000",
		desc: "Hälso- och sjukvårdsförvaltningen: sjukhus, primärvård och folktandvård. Beslutar om och finansierar de gemensamma IT-tjänsterna för vården.",
		acc:  &account{segment: "healthcare", manager: "anna", deputy: "johan", reviewed: 3},
		contacts: []contact{
			{name: "Margareta Öhman", title: "Hälso- och sjukvårdsdirektör", roles: []roleSpec{customer()},
				notes: "Vill ha beslutsunderlag skriftligt senast en vecka före mötet."},
			c("Per Hägglund", "Informationssäkerhetssamordnare", other("Kontaktperson informationssäkerhet", "lena")),
			c("", "Verksamhetsutvecklare", other("IT-samordnare")),
		},
		staff: []string{"Controller", "Verksamhetsutvecklare"}},
	{key: "hospital", parent: "hs", name: "Norrskenssjukhuset", ext: "RN-2100",
		desc: "Länssjukhus med akutsjukvård dygnet runt. Egen IT-budget för de kliniska systemen.",
		acc:  &account{segment: "healthcare", manager: "johan", deputy: "anna", reviewed: 2},
		contacts: []contact{
			c("Lars Sundqvist", "Sjukhusdirektör", customer()),
			c("", "Systemförvaltare vårdinformationssystem", other("Objektspecialist journalsystem")),
		},
		staff: []string{"Medicinsk sekreterare", "Administratör"}},
	{key: "er", parent: "hospital", name: "Akutkliniken", ext: "RN-2110",
		contacts: []contact{c("", "Verksamhetschef", orderer("lena"))},
		staff:    []string{"Sjuksköterska", "Läkare", "Undersköterska", "Specialistläkare"}},
	{key: "med", parent: "hospital", name: "Medicinkliniken", ext: "RN-2120",
		contacts: []contact{c("", "Klinikchef", orderer())},
		staff:    []string{"Överläkare", "Vårdadministratör"}},
	{key: "ward12", parent: "med", name: "Vårdavdelning 12 – hjärtsjukvård", ext: "RN-2121",
		contacts: []contact{
			c("", "Avdelningschef", orderer()),
			c("", "Sjuksköterska", other("Superanvändare")),
		},
		staff: []string{"Sjuksköterska", "Undersköterska", "Sjuksköterska"}},
	{key: "primary", parent: "hs", name: "Primärvård", ext: "RN-2200",
		desc: "Regionens vårdcentraler. Egen budget för IT sedan vårdvalsreformen.",
		acc:  &account{segment: "healthcare", manager: "elin", deputy: "mikael", reviewed: 5},
		contacts: []contact{
			c("Kristina Lövgren", "Primärvårdsdirektör", customer()),
		},
		staff: []string{"Verksamhetscontroller"}},
	{key: "vc1", parent: "primary", name: "Vårdcentral Forsbacka", ext: "RN-2210",
		contacts: []contact{c("", "Verksamhetschef", orderer())},
		staff:    []string{"Distriktssköterska", "Distriktsläkare", "Medicinsk sekreterare"}},
	{key: "vc2", parent: "primary", name: "Vårdcentral Älvsbyn", ext: "RN-2220",
		contacts: []contact{c("", "Verksamhetschef", orderer())},
		staff:    []string{"Distriktssköterska", "Fysioterapeut"}},
	{key: "dental", parent: "hs", name: "Folktandvården", ext: "RN-2300",
		desc:     "Ingen egen IT-budget: beställer inom ramen för hälso- och sjukvårdens överenskommelse.",
		contacts: []contact{c("", "Tandvårdschef", orderer())},
		staff:    []string{"Tandläkare", "Tandhygienist", "Tandsköterska"}},

	// Utbildning.
	{key: "edu", parent: "region", name: "Utbildning", ext: "RN-3000",
		desc: "Utbildningsförvaltningen: grundskola, gymnasium och vuxenutbildning.",
		acc:  &account{segment: "education", manager: "mikael", deputy: "elin", reviewed: 4},
		contacts: []contact{
			c("Göran Marklund", "Utbildningsdirektör", customer()),
			c("", "IT-pedagog", other("IT-pedagogisk samordnare")),
		},
		staff: []string{"Skolcontroller"}},
	{key: "comp", parent: "edu", name: "Grundskola", ext: "RN-3100",
		contacts: []contact{c("", "Grundskolechef", orderer())}},
	{key: "norrby", parent: "comp", name: "Norrbyskolan", ext: "RN-3110",
		contacts: []contact{c("", "Rektor", orderer("elin"))},
		staff:    []string{"Lärare", "Lärare", "Skoladministratör", "Speciallärare"}},
	{key: "akerlund", parent: "comp", name: "Åkerlundsskolan", ext: "RN-3120",
		contacts: []contact{c("", "Rektor", orderer())},
		staff:    []string{"Lärare", "Fritidspedagog", "Lärare"}},
	{key: "polaris", parent: "edu", name: "Gymnasieskolan Polaris", ext: "RN-3200",
		desc: "Gymnasieskola med nationella program och IB-programmet. Egen budget som intraprenad.",
		acc:  &account{segment: "education", manager: "anna", deputy: "mikael", reviewed: 6},
		contacts: []contact{
			c("", "Gymnasiechef", customer()),
			{name: "Sarah Mitchell", title: "IB Coordinator", lang: liaison.English, roles: []roleSpec{user()},
				notes: "Prefers meetings and minutes in English."},
		},
		staff: []string{"Lärare", "Studie- och yrkesvägledare", "Skoladministratör"}},
	{key: "natur", parent: "polaris", name: "Naturvetenskapsprogrammet", ext: "RN-3210",
		contacts: []contact{c("", "Biträdande rektor", orderer())},
		staff:    []string{"Lärare", "Lärare"}},
	{key: "adult", parent: "edu", name: "Vuxenutbildningen", ext: "RN-3300",
		desc: "Flyttades från Regionkansliet till Utbildning vid omorganisationen och fick då egen IT-budget. Kundansvarig är ännu inte utsedd.",
		acc:  &account{segment: "education", never: true},
		contacts: []contact{
			c("", "Verksamhetschef", customer("head")),
		},
		staff: []string{"Lärare", "Studie- och yrkesvägledare"}},

	// Tekniska förvaltningen and its energy company.
	{key: "tech", parent: "region", name: "Tekniska förvaltningen", ext: "RN-4000",
		desc: "Vatten och avfall, gator och fastigheter. Ägarförvaltare av Norrsken Energi AB.",
		acc:  &account{segment: "municipal", manager: "johan", deputy: "elin", stale: true},
		contacts: []contact{
			c("Anders Rönnbäck", "Förvaltningschef", customer()),
		},
		staff: []string{"Förvaltningsekonom"}},
	{key: "water", parent: "tech", name: "Vatten och avfall", ext: "RN-4100",
		contacts: []contact{
			c("", "VA-chef", orderer()),
			c("", "Drifttekniker", other("Systemförvaltare SCADA")),
		},
		staff: []string{"Processingenjör", "Drifttekniker"}},
	{key: "energy", parent: "tech", name: "Norrsken Energi AB", ext: "RN-4500", domain: "norrskenenergi.example",
		desc: "Helägt regionalt energibolag: elnät och fjärrvärme. Eget IT-budgetansvar enligt ägardirektivet.",
		acc:  &account{segment: "company", manager: "mikael", deputy: "johan", reviewed: 3},
		contacts: []contact{
			c("Fredrik Nyberg", "Verkställande direktör", customer()),
			c("", "Ekonomichef", orderer()),
			{name: "Thomas Reilly", title: "Head of Energy Trading", lang: liaison.English, roles: []roleSpec{user()}},
		},
		staff: []string{"Kundtjänstmedarbetare", "Controller"}},
	{key: "grid", parent: "energy", name: "Elnät", ext: "RN-4510",
		contacts: []contact{c("", "Nätchef", orderer("johan"))},
		staff:    []string{"Nätingenjör", "Drifttekniker"}},

	// Kultur och fritid.
	{key: "culture", parent: "region", name: "Kultur och fritid", ext: "RN-5000",
		desc: "Bibliotek, kulturhus och fritidsverksamhet. Huvudman för Stiftelsen Norrskensmuseet.",
		acc:  &account{segment: "municipal", manager: "elin", deputy: "anna", reviewed: 8},
		contacts: []contact{
			{name: "Ingrid Backman", title: "Kultur- och fritidschef", roles: []roleSpec{{kind: liaison.RoleCustomer, ended: true}},
				notes: "Gick i pension. Efterträdaren är ännu inte utsedd, så ingen kund är namngiven."},
		},
		staff: []string{"Förvaltningssekreterare"}},
	{key: "library", parent: "culture", name: "Biblioteken", ext: "RN-5100",
		contacts: []contact{c("", "Bibliotekschef", orderer())},
		staff:    []string{"Bibliotekarie", "Bibliotekarie", "Biblioteksassistent"}},
	{key: "aurora", parent: "culture", name: "Kulturhuset Aurora", ext: "RN-5200",
		contacts: []contact{c("", "Verksamhetschef", orderer())},
		staff:    []string{"Producent", "Scentekniker"}},
	{key: "museum", parent: "culture", name: "Stiftelsen Norrskensmuseet", ext: "RN-5500", domain: "norrskensmuseet.example",
		desc: "Stiftelse med egen styrelse. Köper IT-tjänster av regionen enligt avtal.",
		acc:  &account{segment: "foundation", manager: "elin", reviewed: 7},
		contacts: []contact{
			c("Sigrid Åström", "Museichef", customer()),
			c("", "Intendent", other("Objektansvarig samlingsdatabas")),
		},
		staff: []string{"Museipedagog"}},

	// Socialförvaltningen.
	{key: "social", parent: "region", name: "Socialförvaltningen", ext: "RN-6000",
		desc: "Äldreomsorg, individ- och familjeomsorg.",
		acc:  &account{segment: "municipal", manager: "anna", deputy: "elin", reviewed: 2},
		contacts: []contact{
			c("Birgitta Lundgren", "Socialdirektör", customer()),
		},
		staff: []string{"Kvalitetsutvecklare"}},
	{key: "elder", parent: "social", name: "Äldreomsorg", ext: "RN-6100",
		contacts: []contact{c("", "Äldreomsorgschef", orderer())}},
	{key: "homecare", parent: "elder", name: "Hemtjänst Norr", ext: "RN-6110",
		contacts: []contact{c("", "Enhetschef", orderer())},
		staff:    []string{"Undersköterska", "Vårdbiträde", "Samordnare", "Undersköterska"}},
	{key: "solgarden", parent: "elder", name: "Solgårdens vård- och omsorgsboende", ext: "RN-6120",
		contacts: []contact{c("", "Enhetschef", orderer())},
		staff:    []string{"Undersköterska", "Sjuksköterska", "Undersköterska"}},
	{key: "ifo", parent: "social", name: "Individ- och familjeomsorg", ext: "RN-6200",
		contacts: []contact{
			c("", "Verksamhetschef", orderer()),
			c("", "Socialsekreterare", other("Systemförvaltare verksamhetssystem")),
		},
		staff: []string{"Socialsekreterare", "Biståndshandläggare", "Socialsekreterare"}},

	// Regionkansliet.
	{key: "admin", parent: "region", name: "Regionkansliet", ext: "RN-7000",
		desc: "Regiondirektörens stab: ekonomi, HR och nämndadministration.",
		acc:  &account{segment: "municipal", manager: "johan", deputy: "mikael", reviewed: 1},
		contacts: []contact{
			c("Magnus Sjöberg", "Regiondirektör", customer()),
			c("Åsa Engström", "Dataskyddsombud",
				other("Dataskyddsombud", "head"),
				other("Dataskyddsombud", "head").atUnit("hs"),
				other("Dataskyddsombud", "head").atUnit("social")),
			c("", "Digitaliseringsstrateg", other("Digitaliseringsstrateg")),
		},
		staff: []string{"Nämndsekreterare"}},
	{key: "finance", parent: "admin", name: "Ekonomiavdelningen", ext: "RN-7100",
		contacts: []contact{c("", "Ekonomidirektör", orderer())}},
	{key: "accounting", parent: "finance", name: "Redovisning", ext: "RN-7110",
		contacts: []contact{c("", "Redovisningschef", orderer())},
		staff:    []string{"Redovisningsekonom", "Redovisningsekonom", "Redovisningsekonom"}},
	{key: "payroll", parent: "finance", name: "Lönecenter", ext: "RN-7120",
		contacts: []contact{c("", "Lönechef", orderer())},
		staff:    []string{"Löneadministratör", "Löneadministratör", "Löneadministratör"}},
	{key: "hr", parent: "admin", name: "HR-avdelningen", ext: "RN-7200",
		contacts: []contact{c("", "HR-direktör", orderer())},
		staff:    []string{"HR-specialist", "HR-konsult"}},

	// The Finnish subsidiary.
	{key: "fi", parent: "region", name: "Norrsken Suomi Oy", ext: "NSO-100", lang: liaison.Finnish, domain: "norrsken-suomi.example", country: "fi",
		desc: "Tytäryhtiö Oulussa: asiakaspalvelu sekä talous- ja henkilöstöpalvelut konsernin suomalaisille yksiköille.",
		acc:  &account{segment: "company", manager: "mikko", deputy: "chen", reviewed: 4},
		contacts: []contact{
			c("Päivi Hämäläinen", "Toimitusjohtaja", customer(), other("Hallituksen jäsen").atUnit("revontuli")),
			c("", "Tietosuojavastaava", other("Tietosuojavastaava")),
		},
		staff: []string{"Hallintoassistentti"}},
	{key: "fi-acc", parent: "fi", name: "Asiakkuudet ja projektit", ext: "NSO-110",
		contacts: []contact{c("", "Yksikön päällikkö", orderer("jukka"))},
		staff:    []string{"Projektipäällikkö", "Asiakkuusasiantuntija", "Projektipäällikkö"}},
	{key: "fi-fin", parent: "fi", name: "Talous- ja henkilöstöpalvelut", ext: "NSO-120",
		contacts: []contact{
			c("", "Talous- ja henkilöstöpäällikkö", orderer()),
			c("", "Palkkasihteeri", other("Pääkäyttäjä, palkkajärjestelmä")),
		},
		staff: []string{"Kirjanpitäjä", "Palkkasihteeri"}},
	{key: "revontuli", parent: "fi", name: "Revontuli-säätiö", ext: "NSO-200", domain: "revontulisaatio.example",
		desc: "Säätiö, joka tukee pohjoisen kulttuuria ja tutkimusta. Uusi asiakkuus: asiakasta ei ole vielä nimetty.",
		acc:  &account{segment: "foundation", manager: "mikko", deputy: "anna", reviewed: 5},
		contacts: []contact{
			c("", "Asiamies", other("Hallituksen sihteeri")),
		},
		staff: []string{"Hankekoordinaattori"}},

	// The joint-venture office in Suzhou.
	{key: "cn", parent: "region", name: "北极光（苏州）信息技术有限公司", ext: "NLSZ-100", lang: liaison.Chinese, domain: "norrsken-suzhou.example", country: "cn",
		desc: "北极光区域集团与苏州合作方共同出资的合资公司，为集团提供软件研发与客户服务。",
		acc:  &account{segment: "company", manager: "chen", deputy: "mikko", reviewed: 2},
		contacts: []contact{
			c("王建华", "总经理", customer()),
			{name: "Maria Hedlund", title: "Deputy General Manager", lang: liaison.English, roles: []roleSpec{other("Group liaison")},
				notes: "Seconded from Region Norrsken; speaks Swedish and English."},
			c("", "信息安全专员", other("信息安全负责人")),
		},
		staff: []string{"总经理助理"}},
	{key: "cn-admin", parent: "cn", name: "综合管理部", ext: "NLSZ-110",
		contacts: []contact{c("", "部门经理", orderer("mikko"))},
		staff:    []string{"行政专员", "人事专员", "财务专员"}},
	{key: "cn-rd", parent: "cn", name: "研发中心", ext: "NLSZ-120",
		contacts: []contact{c("", "研发总监", orderer())},
		staff:    []string{"软件工程师", "高级软件工程师", "架构师"}},
	{key: "cn-test", parent: "cn-rd", name: "软件测试组", ext: "NLSZ-121",
		contacts: []contact{c("", "测试经理", orderer())},
		staff:    []string{"测试工程师", "测试工程师"}},
	{key: "cn-cs", parent: "cn", name: "客户服务部", ext: "NLSZ-130",
		contacts: []contact{c("", "客服经理", orderer())},
		staff:    []string{"客服专员", "客服主管", "客服专员"}},
}

// Name pools, drawn from with a seeded generator.
var (
	swedishGiven = []string{
		"Åsa", "Björn", "Märta", "Göran", "Örjan", "Ingrid", "Magnus", "Sofia", "Erik", "Karl",
		"Lars", "Maria", "Anders", "Eva", "Per", "Lena", "Mats", "Helena", "Ulf", "Annika",
		"Håkan", "Gunilla", "Jörgen", "Kristina", "Stefan", "Birgitta", "Pär", "Malin", "Fredrik", "Therese",
		"Måns", "Sigrid", "Torbjörn", "Ylva", "Jenny", "Niklas", "Linnéa", "Oskar", "Hanna", "Viktor",
		"Alva", "Ebba", "Gustav", "Elsa", "Axel", "Britt-Marie", "Lennart", "Agneta", "Henrik", "Cecilia",
	}
	swedishFamily = []string{
		"Sjöberg", "Nyström", "Lindström", "Ström", "Holmgren", "Ekström", "Söderberg", "Wikström", "Sandström", "Lundgren",
		"Forsberg", "Nordström", "Björklund", "Nilsson", "Johansson", "Karlsson", "Andersson", "Persson", "Eriksson", "Larsson",
		"Olofsson", "Jönsson", "Granström", "Lindbäck", "Strömbäck", "Hedlund", "Öhlund", "Bäckström", "Lövström", "Näslund",
		"Åberg", "Hägglöf", "Marklund", "Sundberg", "Engman", "Lundqvist", "Holmström", "Fällström", "Wästlund", "Rönnqvist",
	}
	finnishGiven = []string{
		"Päivi", "Jukka", "Sari", "Timo", "Tiina", "Antti", "Hanna", "Matti", "Riikka", "Jari",
		"Minna", "Petri", "Satu", "Ville", "Johanna", "Heikki", "Kaisa", "Pekka", "Sanna", "Jyrki",
		"Tuula", "Väinö", "Eetu", "Aino", "Merja", "Kimmo", "Leena", "Jussi",
	}
	finnishFamily = []string{
		"Mäkelä", "Järvinen", "Mäkinen", "Räsänen", "Pääkkönen", "Kärkkäinen", "Lähteenmäki", "Korhonen", "Virtanen", "Nieminen",
		"Koskinen", "Lehtonen", "Hyvönen", "Väisänen", "Kääriäinen", "Määttä", "Jääskeläinen", "Tölli", "Törmänen", "Hietala",
	}
	// Chinese names are one-character family names and one- or
	// two-character given names; pinyin spells them in e-mail addresses.
	chineseFamily = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗"}
	chineseGiven  = []string{
		"芳", "伟", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
		"秀英", "丽", "婷", "华", "平", "刚", "桂英", "建国", "晓东", "海燕", "志强", "雪梅", "俊杰", "子涵", "欣怡", "浩然",
	}
	pinyin = map[rune]string{
		'王': "wang", '李': "li", '张': "zhang", '刘': "liu", '陈': "chen", '杨': "yang", '黄': "huang", '赵': "zhao",
		'吴': "wu", '周': "zhou", '徐': "xu", '孙': "sun", '马': "ma", '朱': "zhu", '胡': "hu", '郭': "guo",
		'何': "he", '林': "lin", '高': "gao", '罗': "luo",
		'芳': "fang", '伟': "wei", '娜': "na", '敏': "min", '静': "jing", '强': "qiang", '磊': "lei", '军': "jun",
		'洋': "yang", '勇': "yong", '艳': "yan", '杰': "jie", '娟': "juan", '涛': "tao", '明': "ming", '超': "chao",
		'秀': "xiu", '英': "ying", '丽': "li", '婷': "ting", '华': "hua", '平': "ping", '刚': "gang", '桂': "gui",
		'建': "jian", '国': "guo", '晓': "xiao", '东': "dong", '海': "hai", '燕': "yan", '志': "zhi", '雪': "xue",
		'梅': "mei", '俊': "jun", '子': "zi", '涵': "han", '欣': "xin", '怡': "yi", '浩': "hao", '然': "ran",
	}
)
