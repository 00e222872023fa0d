package dataset

import liaison "github.com/liaisonhq/liaison"

// The pools names are drawn from. People's names are the demo
// organisation's pools (internal/demo), extended and with English added;
// unit names follow the demo's style: Nordic administrations, companies
// and foundations, a Finnish side and Chinese companies.

// names are given and family names of one language. Chinese names are
// written family name first, without a space.
type names struct{ given, family []string }

var personNames = map[liaison.Language]names{
	liaison.Swedish: {
		given: []string{
			"Åsa", "Björn", "Märta", "Göran", "Örjan", "Ingrid", "Magnus", "Sofia", "Erik", "Karl",
			"Lars", "Maria", "Anders", "Eva", "Per", "Lena", "Mats", "Helena", "Ulf", "Annika",
			"Håkan", "Gunilla", "Jörgen", "Kristina", "Stefan", "Birgitta", "Pär", "Malin", "Fredrik", "Therese",
			"Måns", "Sigrid", "Torbjörn", "Ylva", "Jenny", "Niklas", "Linnéa", "Oskar", "Hanna", "Viktor",
			"Alva", "Ebba", "Gustav", "Elsa", "Axel", "Britt-Marie", "Lennart", "Agneta", "Henrik", "Cecilia",
			"Anna", "Johan", "Elin", "Mikael", "Karin", "Sara", "Jonas", "Ida", "Emil", "Frida",
			"Tove", "Ludvig", "Greta", "Albin", "Signe", "Olle", "Saga", "Vilgot", "Astrid", "Hugo",
		},
		family: []string{
			"Sjöberg", "Nyström", "Lindström", "Ström", "Holmgren", "Ekström", "Söderberg", "Wikström", "Sandström", "Lundgren",
			"Forsberg", "Nordström", "Björklund", "Nilsson", "Johansson", "Karlsson", "Andersson", "Persson", "Eriksson", "Larsson",
			"Olofsson", "Jönsson", "Granström", "Lindbäck", "Strömbäck", "Hedlund", "Öhlund", "Bäckström", "Lövström", "Näslund",
			"Åberg", "Hägglöf", "Marklund", "Sundberg", "Engman", "Lundqvist", "Holmström", "Fällström", "Wästlund", "Rönnqvist",
			"Lindqvist", "Holmberg", "Bergström", "Åkesson", "Öberg", "Pettersson", "Sundqvist", "Lövgren", "Rönnbäck", "Nyberg",
			"Backman", "Åström", "Engström", "Hägglund", "Öhman", "Lindahl", "Dahlberg", "Blomqvist", "Sjögren", "Håkansson",
		},
	},
	liaison.Finnish: {
		given: []string{
			"Päivi", "Jukka", "Sari", "Timo", "Tiina", "Antti", "Hanna", "Matti", "Riikka", "Jari",
			"Minna", "Petri", "Satu", "Ville", "Johanna", "Heikki", "Kaisa", "Pekka", "Sanna", "Jyrki",
			"Tuula", "Väinö", "Eetu", "Aino", "Merja", "Kimmo", "Leena", "Jussi", "Mikko", "Anu",
			"Sakari", "Eveliina", "Ilkka", "Outi", "Tapio", "Hilkka", "Juha", "Marjatta", "Lauri", "Kirsi",
		},
		family: []string{
			"Mäkelä", "Järvinen", "Mäkinen", "Räsänen", "Pääkkönen", "Kärkkäinen", "Lähteenmäki", "Korhonen", "Virtanen", "Nieminen",
			"Koskinen", "Lehtonen", "Hyvönen", "Väisänen", "Kääriäinen", "Määttä", "Jääskeläinen", "Tölli", "Törmänen", "Hietala",
			"Heikkinen", "Laine", "Hämäläinen", "Heinonen", "Salminen", "Kettunen", "Rätty", "Niskanen", "Ylönen", "Ängeslevä",
		},
	},
	liaison.Chinese: {
		given: []string{
			"芳", "伟", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
			"秀英", "丽", "婷", "华", "平", "刚", "桂英", "建国", "晓东", "海燕", "志强", "雪梅", "俊杰", "子涵", "欣怡", "浩然",
			"文", "玲", "斌", "宇", "佳", "鹏", "红梅", "建华", "嘉怡", "思远", "雨桐", "梓轩",
		},
		family: []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗",
			"郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"},
	},
	liaison.English: {
		given: []string{
			"James", "Sarah", "Thomas", "Emily", "Oliver", "Charlotte", "Daniel", "Rebecca", "Michael", "Laura",
			"David", "Hannah", "Robert", "Sophie", "William", "Jessica", "Richard", "Amelia", "George", "Lucy",
			"Edward", "Grace", "Patrick", "Eleanor", "Samuel", "Chloe", "Matthew", "Olivia", "Andrew", "Fiona",
		},
		family: []string{
			"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
			"Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
			"Mitchell", "Reilly", "Grant", "O'Brien", "Hughes", "Edwards", "Turner", "Morgan", "Kelly", "Bennett",
		},
	},
}

// pinyin spells Chinese names in e-mail addresses and domains.
var pinyin = map[rune]string{
	'王': "wang", '李': "li", '张': "zhang", '刘': "liu", '陈': "chen", '杨': "yang", '黄': "huang", '赵': "zhao",
	'吴': "wu", '周': "zhou", '徐': "xu", '孙': "sun", '马': "ma", '朱': "zhu", '胡': "hu", '郭': "guo",
	'何': "he", '林': "lin", '高': "gao", '罗': "luo", '郑': "zheng", '梁': "liang", '谢': "xie", '宋': "song",
	'唐': "tang", '许': "xu", '韩': "han", '冯': "feng", '邓': "deng", '曹': "cao",
	'芳': "fang", '伟': "wei", '娜': "na", '敏': "min", '静': "jing", '强': "qiang", '磊': "lei", '军': "jun",
	'洋': "yang", '勇': "yong", '艳': "yan", '杰': "jie", '娟': "juan", '涛': "tao", '明': "ming", '超': "chao",
	'秀': "xiu", '英': "ying", '丽': "li", '婷': "ting", '华': "hua", '平': "ping", '刚': "gang", '桂': "gui",
	'建': "jian", '国': "guo", '晓': "xiao", '东': "dong", '海': "hai", '燕': "yan", '志': "zhi", '雪': "xue",
	'梅': "mei", '俊': "jun", '子': "zi", '涵': "han", '欣': "xin", '怡': "yi", '浩': "hao", '然': "ran",
	'文': "wen", '玲': "ling", '斌': "bin", '宇': "yu", '佳': "jia", '鹏': "peng", '红': "hong", '嘉': "jia",
	'思': "si", '远': "yuan", '雨': "yu", '桐': "tong", '梓': "zi", '轩': "xuan",
}

// place is a town a tree of units is named after: its name, the form
// that goes before another word (Finnish genitive, "Oulun kaupunki"), and
// its name in ASCII for domains and e-mail addresses.
type place struct{ name, gen, ascii string }

var places = map[liaison.Language][]place{
	liaison.Swedish: {
		{"Malmö", "Malmö", "malmo"}, {"Umeå", "Umeå", "umea"}, {"Luleå", "Luleå", "lulea"}, {"Skellefteå", "Skellefteå", "skelleftea"},
		{"Östersund", "Östersunds", "ostersund"}, {"Växjö", "Växjö", "vaxjo"}, {"Jönköping", "Jönköpings", "jonkoping"},
		{"Norrköping", "Norrköpings", "norrkoping"}, {"Örebro", "Örebro", "orebro"}, {"Gävle", "Gävle", "gavle"},
		{"Borås", "Borås", "boras"}, {"Västerås", "Västerås", "vasteras"}, {"Sundsvall", "Sundsvalls", "sundsvall"},
		{"Kiruna", "Kiruna", "kiruna"}, {"Piteå", "Piteå", "pitea"}, {"Härnösand", "Härnösands", "harnosand"},
		{"Söderhamn", "Söderhamns", "soderhamn"}, {"Ystad", "Ystads", "ystad"}, {"Kalmar", "Kalmar", "kalmar"},
		{"Älvsbyn", "Älvsbyns", "alvsbyn"}, {"Åre", "Åre", "are"}, {"Örnsköldsvik", "Örnsköldsviks", "ornskoldsvik"},
		{"Höganäs", "Höganäs", "hoganas"}, {"Trollhättan", "Trollhättans", "trollhattan"}, {"Mölndal", "Mölndals", "molndal"},
		{"Södertälje", "Södertälje", "sodertalje"}, {"Haparanda", "Haparanda", "haparanda"}, {"Boden", "Bodens", "boden"},
	},
	liaison.Finnish: {
		{"Oulu", "Oulun", "oulu"}, {"Jyväskylä", "Jyväskylän", "jyvaskyla"}, {"Hämeenlinna", "Hämeenlinnan", "hameenlinna"},
		{"Kempele", "Kempeleen", "kempele"}, {"Seinäjoki", "Seinäjoen", "seinajoki"}, {"Rovaniemi", "Rovaniemen", "rovaniemi"},
		{"Kuopio", "Kuopion", "kuopio"}, {"Pori", "Porin", "pori"}, {"Lahti", "Lahden", "lahti"}, {"Tampere", "Tampereen", "tampere"},
		{"Vaasa", "Vaasan", "vaasa"}, {"Kajaani", "Kajaanin", "kajaani"}, {"Mikkeli", "Mikkelin", "mikkeli"}, {"Kemi", "Kemin", "kemi"},
		{"Äänekoski", "Äänekosken", "aanekoski"}, {"Pälkäne", "Pälkäneen", "palkane"}, {"Ylöjärvi", "Ylöjärven", "ylojarvi"},
	},
	liaison.Chinese: {
		{"上海", "上海", "shanghai"}, {"苏州", "苏州", "suzhou"}, {"杭州", "杭州", "hangzhou"}, {"南京", "南京", "nanjing"},
		{"无锡", "无锡", "wuxi"}, {"宁波", "宁波", "ningbo"}, {"成都", "成都", "chengdu"}, {"深圳", "深圳", "shenzhen"},
		{"广州", "广州", "guangzhou"}, {"天津", "天津", "tianjin"},
	},
	liaison.English: {
		{"Oxford", "Oxford", "oxford"}, {"Leeds", "Leeds", "leeds"}, {"Bristol", "Bristol", "bristol"}, {"York", "York", "york"},
		{"Norwich", "Norwich", "norwich"}, {"Cardiff", "Cardiff", "cardiff"}, {"Exeter", "Exeter", "exeter"},
		{"Durham", "Durham", "durham"}, {"Bath", "Bath", "bath"}, {"Chester", "Chester", "chester"},
		{"Carlisle", "Carlisle", "carlisle"}, {"Lancaster", "Lancaster", "lancaster"},
	},
}

// Tree kinds: what the top unit of a tree is.
const (
	kindRegion     = "region"
	kindMunicipal  = "municipal"
	kindCompany    = "company"
	kindFoundation = "foundation"
)

// rootNames name a tree's top unit by language and kind. {P} is the
// place, {G} its form before another word, {X} a brand word.
var rootNames = map[liaison.Language]map[string][]string{
	liaison.Swedish: {
		kindRegion:     {"Region {P}"},
		kindMunicipal:  {"{P} kommun", "{P} stad"},
		kindCompany:    {"{P} Energi AB", "{G} Bostäder AB", "{G} Hamn AB", "{P} Vatten AB", "{G} Logistik AB"},
		kindFoundation: {"Stiftelsen {P}museet", "Stiftelsen {G} konsthall", "Stiftelsen {X}gården"},
	},
	liaison.Finnish: {
		kindRegion:     {"{G} hyvinvointialue"},
		kindMunicipal:  {"{G} kaupunki", "{G} kunta"},
		kindCompany:    {"{P} Energia Oy", "{G} Vesi Oy", "{G} Satama Oy", "{P} Data Oy"},
		kindFoundation: {"{G} kulttuurisäätiö", "{X}-säätiö"},
	},
	liaison.Chinese: {
		kindRegion:     {"{P}市人民政府"},
		kindMunicipal:  {"{P}市人民政府", "{P}市教育局"},
		kindCompany:    {"{P}{X}信息技术有限公司", "{P}{X}科技有限公司", "{P}{X}物流有限公司"},
		kindFoundation: {"{P}{X}文化基金会"},
	},
	liaison.English: {
		kindRegion:     {"{P} County Council"},
		kindMunicipal:  {"{P} City Council"},
		kindCompany:    {"{P} Holdings Ltd", "{P} Water Ltd", "{P} Port Authority", "{P} Logistics Ltd"},
		kindFoundation: {"The {X} Foundation", "{P} Museums Trust"},
	},
}

var brands = map[liaison.Language][]string{
	liaison.Swedish: {"Norrsken", "Fjällrosen", "Solgården", "Björkhagen", "Ekbacken"},
	liaison.Finnish: {"Revontuli", "Kalevala", "Pohjantähti", "Aurora", "Kuura"},
	liaison.Chinese: {"北极光", "星河", "远航", "华信", "锦程"},
	liaison.English: {"Northern Lights", "Heritage", "Riverside", "Greenfield", "Harbour"},
}

// Domains of work: what a division does. They choose names below it and
// the segment of the accounts in it.
const (
	domHealth    = "health"
	domEducation = "education"
	domInfra     = "infrastructure"
	domCulture   = "culture"
	domSocial    = "social"
	domAdmin     = "admin"
	domBusiness  = "business"
	domSupport   = "support"
)

// divisions name the units right below the top unit, by language and
// domain; below them come departments (level 2), named by their
// division's domain, and from level 3 teams.
var divisions = map[liaison.Language]map[string][]string{
	liaison.Swedish: {
		domHealth:    {"Hälso- och sjukvård", "Hälso- och sjukvårdsförvaltningen"},
		domEducation: {"Utbildning", "Skolförvaltningen", "Barn- och utbildningsförvaltningen"},
		domInfra:     {"Tekniska förvaltningen", "Samhällsbyggnad"},
		domCulture:   {"Kultur och fritid", "Kultur- och fritidsförvaltningen"},
		domSocial:    {"Socialförvaltningen", "Vård och omsorg"},
		domAdmin:     {"Kommunledningskontoret", "Regionkansliet", "Ekonomi och personal"},
		domBusiness:  {"Affärsområde {P}", "Försäljning", "Produktion", "{P}kontoret"},
		domSupport:   {"Kansli", "Samlingar", "Utställningar", "Kundtjänst"},
	},
	liaison.Finnish: {
		domHealth:    {"Sosiaali- ja terveystoimi", "Terveyspalvelut"},
		domEducation: {"Sivistystoimi", "Kasvatus ja opetus"},
		domInfra:     {"Tekninen toimi", "Kaupunkiympäristö"},
		domCulture:   {"Kulttuuri- ja vapaa-aikapalvelut"},
		domSocial:    {"Vanhuspalvelut", "Perhe- ja sosiaalipalvelut"},
		domAdmin:     {"Konsernipalvelut", "Hallintopalvelut"},
		domBusiness:  {"{G} toimipiste", "Myynti", "Tuotanto", "Asiakkuudet ja projektit"},
		domSupport:   {"Asiamiehen toimisto", "Kokoelmat", "Asiakaspalvelu"},
	},
	liaison.Chinese: {
		domHealth:    {"卫生健康委员会"},
		domEducation: {"教育局", "教育发展中心"},
		domInfra:     {"住房和城乡建设局", "水务局"},
		domCulture:   {"文化和旅游局"},
		domSocial:    {"民政局"},
		domAdmin:     {"综合管理部", "办公室"},
		domBusiness:  {"{P}分公司", "研发中心", "市场部", "生产部"},
		domSupport:   {"客户服务部", "信息技术部", "财务部"},
	},
	liaison.English: {
		domHealth:    {"Health and Social Care", "Public Health"},
		domEducation: {"Education", "Children's Services"},
		domInfra:     {"Infrastructure", "Environment and Transport"},
		domCulture:   {"Culture and Leisure"},
		domSocial:    {"Adult Social Care", "Housing"},
		domAdmin:     {"Finance", "Human Resources", "Corporate Services"},
		domBusiness:  {"{P} Office", "Sales", "Operations", "Research and Development"},
		domSupport:   {"Secretariat", "Collections", "Customer Service"},
	},
}

var departments = map[liaison.Language]map[string][]string{
	liaison.Swedish: {
		domHealth:    {"{G} sjukhus", "Primärvård", "Vårdcentral {P}", "Akutkliniken", "Folktandvården", "Medicinkliniken", "Kirurgkliniken", "Psykiatri", "Laboratoriemedicin", "Vårdavdelning {N}"},
		domEducation: {"Grundskola", "{P}skolan", "Gymnasieskolan {X}", "Vuxenutbildningen", "Förskola {P}", "Skolhälsovård", "Musikskolan"},
		domInfra:     {"Vatten och avfall", "Gator och parker", "Fastighetsavdelningen", "Elnät", "Fjärrvärme", "Bygglov", "Miljö och hälsoskydd"},
		domCulture:   {"Biblioteken", "Kulturhuset {X}", "Idrott och fritid", "Stiftelsen {X}museet", "Fritidsgårdar"},
		domSocial:    {"Äldreomsorg", "Hemtjänst {P}", "{X} vård- och omsorgsboende", "Individ- och familjeomsorg", "Funktionsstöd"},
		domAdmin:     {"Ekonomiavdelningen", "Redovisning", "Lönecenter", "HR-avdelningen", "Kommunikation", "Upphandling", "Nämndadministration"},
		domBusiness:  {"Kundtjänst", "Drift", "Projekt och utveckling", "Marknad", "Inköp"},
		domSupport:   {"Ekonomi", "Administration", "Arkiv"},
	},
	liaison.Finnish: {
		domHealth:    {"{G} terveysasema", "Vuodeosasto {N}", "Hammashoitola", "Kotihoito", "Mielenterveyspalvelut", "Laboratorio"},
		domEducation: {"{G} koulu", "{G} lukio", "Varhaiskasvatus", "Kansalaisopisto", "Musiikkiopisto"},
		domInfra:     {"Vesihuolto", "Katu- ja puistopalvelut", "Tilapalvelut", "Rakennusvalvonta", "Ympäristöpalvelut"},
		domCulture:   {"Kaupunginkirjasto", "Museo", "Liikuntapalvelut", "Nuorisopalvelut"},
		domSocial:    {"Palvelutalo {X}", "Kotihoito {P}", "Lastensuojelu", "Vammaispalvelut"},
		domAdmin:     {"Talouspalvelut", "Henkilöstöpalvelut", "Viestintä", "Hankinnat", "Tietohallinto"},
		domBusiness:  {"Asiakaspalvelu", "Käyttö ja kunnossapito", "Projektit", "Markkinointi"},
		domSupport:   {"Talous", "Hallinto", "Arkisto"},
	},
	liaison.Chinese: {
		domHealth:    {"{P}市第一人民医院", "社区卫生服务中心", "疾病预防控制中心"},
		domEducation: {"{P}第一中学", "实验小学", "职业技术学校"},
		domInfra:     {"供水处", "市政工程处", "规划设计院"},
		domCulture:   {"{P}图书馆", "{P}博物馆", "文化馆"},
		domSocial:    {"养老服务中心", "社会救助科"},
		domAdmin:     {"行政办公室", "人力资源部", "财务部", "法务部"},
		domBusiness:  {"软件测试组", "架构组", "前端开发组", "数据平台组", "销售部", "技术支持部"},
		domSupport:   {"客服一组", "客服二组", "呼叫中心", "运维组"},
	},
	liaison.English: {
		domHealth:    {"{P} General Hospital", "Primary Care", "Community Nursing", "Mental Health Services", "Dental Services"},
		domEducation: {"{P} Primary School", "{P} Academy", "Adult Learning", "School Transport", "Special Educational Needs"},
		domInfra:     {"Highways", "Waste and Recycling", "Facilities Management", "Water Services", "Planning"},
		domCulture:   {"Libraries", "{P} Museum", "Sports and Leisure", "Parks"},
		domSocial:    {"Home Care", "Residential Care", "Family Support", "Homelessness"},
		domAdmin:     {"Accounts Payable", "Payroll", "Procurement", "Internal Audit", "Recruitment", "Communications"},
		domBusiness:  {"Platform Team", "Quality Assurance", "Data Science", "Field Service", "Key Accounts"},
		domSupport:   {"Contact Centre", "Complaints Team", "Records"},
	},
}

// teams name units from level 3 down. {A} is a letter, {N} a number,
// {C} a Chinese numeral.
var teams = map[liaison.Language][]string{
	liaison.Swedish: {"Enhet {A}", "Sektion {N}", "Team {P}", "Arbetslag {N}", "Grupp {A}", "Avdelning {N}"},
	liaison.Finnish: {"Tiimi {N}", "Yksikkö {A}", "Ryhmä {P}", "Osasto {N}"},
	liaison.Chinese: {"第{C}组", "{P}小组", "第{C}科", "{P}办事处"},
	liaison.English: {"Team {A}", "{P} Section", "Unit {N}", "{P} Team"},
}

var chineseNumerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// unitDescriptions are short notes some units carry.
var unitDescriptions = map[liaison.Language][]string{
	liaison.Swedish: {
		"Beställer IT-tjänster inom ramen för förvaltningens överenskommelse.",
		"Egen budget för IT sedan omorganisationen.",
		"Verksamhet dygnet runt med höga krav på tillgänglighet.",
		"Flyttade till nya lokaler under året.",
		"Samordnar sina IT-beställningar via förvaltningens IT-samordnare.",
		"Ny enhetschef från och med hösten.",
	},
	liaison.Finnish: {
		"Tilaa IT-palvelut toimialan sopimuksen puitteissa.",
		"Oma IT-budjetti organisaatiomuutoksesta lähtien.",
		"Ympärivuorokautista toimintaa, korkeat käytettävyysvaatimukset.",
		"Muutti uusiin tiloihin tänä vuonna.",
	},
	liaison.Chinese: {
		"按照集团协议采购信息技术服务。",
		"自机构调整以来拥有独立的信息技术预算。",
		"全天候运营，对系统可用性要求高。",
		"今年迁入新办公地点。",
	},
	liaison.English: {
		"Orders IT services under the directorate's agreement.",
		"Own IT budget since the reorganisation.",
		"Round-the-clock operations with strict availability needs.",
		"Moved to new premises this year.",
		"Coordinates its IT orders through the directorate's IT lead.",
	},
}

// Titles of people: the heads of units (often orderers), the customers of
// accounts, and everyone else.
var (
	staffTitles = map[liaison.Language][]string{
		liaison.Swedish: {"Controller", "Verksamhetsutvecklare", "Medicinsk sekreterare", "Administratör", "Överläkare", "Vårdadministratör",
			"Sjuksköterska", "Undersköterska", "Distriktssköterska", "Distriktsläkare", "Fysioterapeut", "Tandläkare", "Tandhygienist",
			"Lärare", "Skoladministratör", "Speciallärare", "Fritidspedagog", "Studie- och yrkesvägledare", "Förvaltningsekonom",
			"Processingenjör", "Drifttekniker", "Kundtjänstmedarbetare", "Nätingenjör", "Bibliotekarie", "Producent", "Museipedagog",
			"Kvalitetsutvecklare", "Vårdbiträde", "Samordnare", "Socialsekreterare", "Biståndshandläggare", "Nämndsekreterare",
			"Redovisningsekonom", "Löneadministratör", "HR-specialist", "HR-konsult"},
		liaison.Finnish: {"Hallintoassistentti", "Projektipäällikkö", "Asiakkuusasiantuntija", "Kirjanpitäjä", "Palkkasihteeri",
			"Sairaanhoitaja", "Lähihoitaja", "Opettaja", "Suunnittelija", "Asiantuntija", "Kirjastonhoitaja", "Sosiaalityöntekijä"},
		liaison.Chinese: {"总经理助理", "行政专员", "人事专员", "财务专员", "软件工程师", "高级软件工程师", "架构师", "测试工程师",
			"客服专员", "客服主管", "护士", "教师"},
		liaison.English: {"Finance Officer", "HR Adviser", "Project Manager", "Customer Service Adviser", "Software Engineer",
			"Teacher", "Nurse", "Administrator", "Business Analyst", "Librarian", "Social Worker", "Data Analyst"},
	}
	headTitles = map[liaison.Language][]string{
		liaison.Swedish: {"Verksamhetschef", "Enhetschef", "Avdelningschef", "Klinikchef", "Rektor", "Bibliotekschef", "Sektionschef"},
		liaison.Finnish: {"Yksikön päällikkö", "Palvelupäällikkö", "Osastonhoitaja", "Rehtori", "Tiiminvetäjä"},
		liaison.Chinese: {"部门经理", "研发总监", "测试经理", "客服经理", "科长"},
		liaison.English: {"Head of Service", "Team Leader", "Service Manager", "Head Teacher", "Operations Manager"},
	}
	customerTitles = map[liaison.Language][]string{
		liaison.Swedish: {"Förvaltningschef", "Verkställande direktör", "Regiondirektör", "Sjukhusdirektör", "Utbildningsdirektör", "Socialdirektör", "Museichef"},
		liaison.Finnish: {"Toimitusjohtaja", "Toimialajohtaja", "Kaupunginjohtaja", "Sivistysjohtaja"},
		liaison.Chinese: {"总经理", "副总经理", "首席信息官", "局长"},
		liaison.English: {"Chief Executive", "Director of Operations", "Managing Director", "Director of Education"},
	}
	// otherLabels label the roles of kind other.
	otherLabels = map[liaison.Language][]string{
		liaison.Swedish: {"Superanvändare", "Systemförvaltare", "Dataskyddsombud", "IT-samordnare", "Informationssäkerhetssamordnare", "Objektspecialist journalsystem"},
		liaison.Finnish: {"Pääkäyttäjä", "Tietosuojavastaava", "Tietohallintoyhdyshenkilö", "Järjestelmävastaava"},
		liaison.Chinese: {"信息安全负责人", "系统管理员", "数据保护专员"},
		liaison.English: {"Super user", "Data protection officer", "IT coordinator", "System owner"},
	}
	personNotes = map[liaison.Language][]string{
		liaison.Swedish: {"Föredrar möten på förmiddagen.", "Vill ha beslutsunderlag skriftligt senast en vecka före mötet.",
			"Nås bäst via e-post.", "Föräldraledig till och med augusti.", "Ny i rollen sedan årsskiftet.", "Deltar i styrgruppen för digitalisering."},
		liaison.Finnish: {"Tavoittaa parhaiten sähköpostilla.", "Uusi tehtävässä vuoden alusta.", "Osallistuu digitalisaation ohjausryhmään.",
			"Perhevapaalla elokuun loppuun."},
		liaison.Chinese: {"偏好上午开会。", "请通过电子邮件联系。", "年初新任此职。", "参加数字化指导小组。"},
		liaison.English: {"Prefers meetings in the morning.", "Best reached by email.", "New in the role since January.",
			"On parental leave until August.", "Sits on the digitalisation steering group."},
	}
)

// segmentSpecs are the segments: the demo's five, then three more.
var segmentSpecs = []struct{ key, name, desc string }{
	{"municipal", "Municipal unit", "Administrations run by the region itself under a political committee (sv förvaltning, fi kunnan yksikkö). Budget set yearly by the assembly."},
	{"company", "Company", "Limited companies the group owns wholly or in part (sv aktiebolag, fi osakeyhtiö, zh 有限公司). Own board, own IT budget under the owner's directive."},
	{"foundation", "Foundation", "Foundations with their own board and statutes (sv stiftelse, fi säätiö). Small budgets, decisions at board meetings."},
	{"healthcare", "Healthcare", "Hospitals, primary care and dental care: round-the-clock operations, patient data, strict availability needs."},
	{"education", "Education", "Schools and adult education: demand follows the school year, with peaks at the start of each term."},
	{"social", "Social care", "Elderly care, home care and family services: many users on shared devices, sensitive personal data."},
	{"culture", "Culture and leisure", "Libraries, museums and sports: public-facing services with seasonal peaks."},
	{"infrastructure", "Infrastructure and utilities", "Water, energy, streets and property: operational technology beside office IT."},
}

var segmentDescriptionEdits = []string{
	"Reviewed at the yearly portfolio meeting.",
	"Budget cycle follows the calendar year.",
	"Decisions by the board; allow a month for approvals.",
}

// segmentOf maps a division's domain to a segment key.
var segmentOf = map[string]string{
	domHealth: "healthcare", domEducation: "education", domInfra: "infrastructure",
	domCulture: "culture", domSocial: "social", domAdmin: "municipal",
}

// itDomain is the e-mail domain of the internal users: the IT service centre.
const itDomain = "itcentre.example"

// Password is every seeded user's password. The seeded database is for
// benchmarks and trials: never load it into a database that matters (the
// load refuses a database that holds data).
const Password = "bench-2026"

// AdminEmail is the seeded administrator's sign-in.
const AdminEmail = "admin@" + itDomain
