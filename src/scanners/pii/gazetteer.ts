// Word lists the name tagger uses as features (never as matches on their own): they let it
// recognise names and places beyond the training templates. Lower case; multi-word names are
// listed by their words.

export const GAZETTEER_CLASSES = [
  'none',
  'country',
  'city',
  'given',
  'org',
  'street',
  'title',
  'calendar',
] as const;

const COUNTRIES =
  'afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain ' +
  'bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia herzegovina botswana brazil brunei ' +
  'bulgaria burkina faso burundi cambodia cameroon canada chad chile china colombia comoros congo croatia cuba ' +
  'cyprus czechia czech denmark djibouti dominica ecuador egypt salvador eritrea estonia eswatini ethiopia fiji ' +
  'finland france gabon gambia georgia germany ghana greece greenland grenada guatemala guinea guyana haiti ' +
  'honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya ' +
  'kiribati korea kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania ' +
  'luxembourg madagascar malawi malaysia maldives mali malta mauritania mauritius mexico micronesia moldova monaco ' +
  'mongolia montenegro morocco mozambique myanmar namibia nauru nepal netherlands zealand nicaragua niger nigeria ' +
  'macedonia norway oman pakistan palau palestine panama paraguay peru philippines poland portugal qatar romania ' +
  'russia rwanda samoa marino arabia senegal serbia seychelles sierra leone singapore slovakia slovenia somalia ' +
  'africa spain lanka sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga ' +
  'trinidad tobago tunisia turkey türkiye turkmenistan tuvalu uganda ukraine emirates kingdom britain england ' +
  'scotland wales usa uk america uruguay uzbekistan vanuatu vatican venezuela vietnam yemen zambia zimbabwe';

const CITIES =
  'london paris berlin madrid rome vienna prague budapest warsaw krakow lisbon porto dublin amsterdam rotterdam ' +
  'brussels antwerp zurich geneva bern munich hamburg frankfurt cologne stuttgart copenhagen stockholm oslo ' +
  'helsinki espoo tampere reykjavik athens istanbul ankara moscow petersburg kyiv kiev minsk bucharest sofia ' +
  'belgrade zagreb ljubljana bratislava vilnius riga tallinn milan naples turin florence venice barcelona valencia ' +
  'seville bilbao marseille lyon nice toulouse bordeaux manchester birmingham liverpool leeds glasgow edinburgh ' +
  'cardiff belfast bristol oxford cambridge york boston chicago houston phoenix philadelphia dallas austin seattle ' +
  'denver atlanta miami detroit portland vegas angeles francisco diego washington toronto montreal vancouver ' +
  'calgary ottawa mexico guadalajara bogota lima santiago buenos aires paulo janeiro caracas quito havana tokyo ' +
  'osaka kyoto seoul busan beijing shanghai shenzhen guangzhou hong kong taipei singapore bangkok hanoi jakarta ' +
  'manila kuala lumpur delhi mumbai bangalore chennai kolkata karachi lahore dhaka kathmandu tehran baghdad ' +
  'riyadh dubai doha jerusalem tel aviv cairo alexandria casablanca lagos nairobi accra johannesburg cape town ' +
  'durban pretoria sydney melbourne brisbane perth adelaide auckland wellington';

const GIVEN_NAMES =
  'james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark ' +
  'donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary ' +
  'nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander patrick frank ' +
  'raymond jack dennis jerry tyler aaron jose adam nathan henry peter zachary douglas harold kyle noah ethan ' +
  'mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ' +
  'ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura ' +
  'cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra ' +
  'rachel carolyn janet catherine maria heather diane ruth julie olivia joyce virginia victoria kelly lauren ' +
  'christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison ' +
  'frances kathryn janice jean abigail alice judy sophia grace denise amber doris marilyn danielle beverly ' +
  'isabella theresa diana natalie brittany charlotte marie kayla alexis lori mohammed muhammad ahmed ali omar ' +
  'fatima aisha hassan hussein yusuf ibrahim mustafa mehmet ayşe wei li jing yan hui ming hiroshi yuki haruto ' +
  'sakura kenji min seo ji jun raj priya amit anjali rahul sunita arjun deepak carlos juan luis miguel javier ' +
  'diego pablo alejandro sofia lucia carmen isabel ana pedro joão francisco antonio manuel giovanni giuseppe ' +
  'marco luca francesca giulia chiara pierre jean louis camille chloé léa hans klaus jürgen stefan wolfgang ' +
  'lukas jonas anna lena katarina ingrid sven lars erik olaf nils björn astrid freya mikko juha antti jukka ' +
  'aino pekka ivan dmitri sergei vladimir olga natasha svetlana tatiana jan piotr krzysztof agnieszka tomasz ' +
  'pavel petr jiří eva zuzana kwame kofi amara chidi ngozi oluwaseun thabo sipho';

const ORG_WORDS =
  'inc inc. corp corp. corporation llc l.l.c. ltd ltd. limited gmbh ag plc co co. company group holdings partners ' +
  'associates technologies technology solutions systems bank university institute foundation agency labs ' +
  'consulting services industries international enterprises ventures capital media networks software analytics ' +
  'insurance pharmaceuticals motors airlines council committee association society ministry department';

const STREET_WORDS =
  'street st st. avenue ave ave. road rd rd. lane ln drive dr boulevard blvd way court ct place pl square sq ' +
  'terrace close crescent parkway highway straße strasse str. gasse weg laan vej gatan gata gate tie katu rue ' +
  'via calle avenida rua ul. ulica apt apt. apartment suite unit floor box po p.o. building';

const TITLES = 'mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir madam dame lord lady';

// Capitalised but never a name: days and months.
const CALENDAR =
  'monday tuesday wednesday thursday friday saturday sunday january february march april may june july ' +
  'august september october november december mon tue wed thu fri sat sun jan feb mar apr jun jul aug sep sept ' +
  'oct nov dec';

function entries(words: string, cls: number): [string, number][] {
  return words
    .split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => [w, cls]);
}

/** Word → class index into GAZETTEER_CLASSES (later lists win for words in two lists). */
export const GAZETTEER: ReadonlyMap<string, number> = new Map([
  ...entries(COUNTRIES, 1),
  ...entries(CITIES, 2),
  ...entries(GIVEN_NAMES, 3),
  ...entries(ORG_WORDS, 4),
  ...entries(STREET_WORDS, 5),
  ...entries(TITLES, 6),
  ...entries(CALENDAR, 7),
]);
