/**
 * Reference tables for synthetic portfolios: 2020 census population (thousands) for weighting,
 * the state's main IANA zone (and a second one for states that span two), its 3-digit ZIP prefix
 * range and a few real area codes. Synthetic phone numbers reuse real area codes so that
 * area-code-vs-address time-zone logic can be exercised; they must never be dialled.
 */
export interface StateInfo {
  code: string;
  popK: number;
  tz: string;
  altTz: string | null;
  zipLo: number;
  zipHi: number;
  areaCodes: readonly number[];
}

const E = 'America/New_York';
const C = 'America/Chicago';
const M = 'America/Denver';
const P = 'America/Los_Angeles';

export const STATES: readonly StateInfo[] = [
  { code: 'AL', popK: 5024, tz: C, altTz: null, zipLo: 350, zipHi: 369, areaCodes: [205, 251, 256, 334] },
  { code: 'AK', popK: 733, tz: 'America/Anchorage', altTz: 'America/Adak', zipLo: 995, zipHi: 999, areaCodes: [907] },
  { code: 'AZ', popK: 7152, tz: 'America/Phoenix', altTz: null, zipLo: 850, zipHi: 865, areaCodes: [480, 520, 602, 623, 928] },
  { code: 'AR', popK: 3012, tz: C, altTz: null, zipLo: 716, zipHi: 729, areaCodes: [479, 501, 870] },
  { code: 'CA', popK: 39538, tz: P, altTz: null, zipLo: 900, zipHi: 961, areaCodes: [213, 310, 415, 510, 619, 714, 818, 916] },
  { code: 'CO', popK: 5774, tz: M, altTz: null, zipLo: 800, zipHi: 816, areaCodes: [303, 719, 720, 970] },
  { code: 'CT', popK: 3606, tz: E, altTz: null, zipLo: 60, zipHi: 69, areaCodes: [203, 860] },
  { code: 'DE', popK: 990, tz: E, altTz: null, zipLo: 197, zipHi: 199, areaCodes: [302] },
  { code: 'DC', popK: 690, tz: E, altTz: null, zipLo: 200, zipHi: 205, areaCodes: [202] },
  { code: 'FL', popK: 21538, tz: E, altTz: C, zipLo: 320, zipHi: 349, areaCodes: [305, 407, 561, 727, 813, 850, 904, 954] },
  { code: 'GA', popK: 10712, tz: E, altTz: null, zipLo: 300, zipHi: 319, areaCodes: [404, 470, 678, 706, 912] },
  { code: 'HI', popK: 1455, tz: 'Pacific/Honolulu', altTz: null, zipLo: 967, zipHi: 968, areaCodes: [808] },
  { code: 'ID', popK: 1839, tz: 'America/Boise', altTz: P, zipLo: 832, zipHi: 838, areaCodes: [208] },
  { code: 'IL', popK: 12813, tz: C, altTz: null, zipLo: 600, zipHi: 629, areaCodes: [217, 309, 312, 630, 708, 773, 847] },
  { code: 'IN', popK: 6786, tz: 'America/Indiana/Indianapolis', altTz: C, zipLo: 460, zipHi: 479, areaCodes: [219, 260, 317, 765, 812] },
  { code: 'IA', popK: 3190, tz: C, altTz: null, zipLo: 500, zipHi: 528, areaCodes: [319, 515, 563, 712] },
  { code: 'KS', popK: 2938, tz: C, altTz: M, zipLo: 660, zipHi: 679, areaCodes: [316, 620, 785, 913] },
  { code: 'KY', popK: 4506, tz: 'America/Kentucky/Louisville', altTz: C, zipLo: 400, zipHi: 427, areaCodes: [270, 502, 606, 859] },
  { code: 'LA', popK: 4658, tz: C, altTz: null, zipLo: 700, zipHi: 714, areaCodes: [225, 318, 337, 504, 985] },
  { code: 'ME', popK: 1362, tz: E, altTz: null, zipLo: 39, zipHi: 49, areaCodes: [207] },
  { code: 'MD', popK: 6177, tz: E, altTz: null, zipLo: 206, zipHi: 219, areaCodes: [240, 301, 410, 443] },
  { code: 'MA', popK: 7030, tz: E, altTz: null, zipLo: 10, zipHi: 27, areaCodes: [413, 508, 617, 781, 978] },
  { code: 'MI', popK: 10077, tz: 'America/Detroit', altTz: 'America/Menominee', zipLo: 480, zipHi: 499, areaCodes: [248, 313, 517, 616, 734, 906] },
  { code: 'MN', popK: 5706, tz: C, altTz: null, zipLo: 550, zipHi: 567, areaCodes: [218, 507, 612, 651, 952] },
  { code: 'MS', popK: 2961, tz: C, altTz: null, zipLo: 386, zipHi: 397, areaCodes: [228, 601, 662] },
  { code: 'MO', popK: 6155, tz: C, altTz: null, zipLo: 630, zipHi: 658, areaCodes: [314, 417, 573, 816] },
  { code: 'MT', popK: 1084, tz: M, altTz: null, zipLo: 590, zipHi: 599, areaCodes: [406] },
  { code: 'NE', popK: 1962, tz: C, altTz: M, zipLo: 680, zipHi: 693, areaCodes: [308, 402] },
  { code: 'NV', popK: 3105, tz: P, altTz: null, zipLo: 889, zipHi: 898, areaCodes: [702, 775] },
  { code: 'NH', popK: 1377, tz: E, altTz: null, zipLo: 30, zipHi: 38, areaCodes: [603] },
  { code: 'NJ', popK: 9289, tz: E, altTz: null, zipLo: 70, zipHi: 89, areaCodes: [201, 609, 732, 856, 908, 973] },
  { code: 'NM', popK: 2117, tz: M, altTz: null, zipLo: 870, zipHi: 884, areaCodes: [505, 575] },
  { code: 'NY', popK: 20201, tz: E, altTz: null, zipLo: 100, zipHi: 149, areaCodes: [212, 315, 516, 518, 585, 716, 718, 917] },
  { code: 'NC', popK: 10439, tz: E, altTz: null, zipLo: 270, zipHi: 289, areaCodes: [252, 336, 704, 828, 910, 919] },
  { code: 'ND', popK: 779, tz: C, altTz: M, zipLo: 580, zipHi: 588, areaCodes: [701] },
  { code: 'OH', popK: 11799, tz: E, altTz: null, zipLo: 430, zipHi: 459, areaCodes: [216, 330, 419, 513, 614, 937] },
  { code: 'OK', popK: 3959, tz: C, altTz: null, zipLo: 730, zipHi: 749, areaCodes: [405, 580, 918] },
  { code: 'OR', popK: 4237, tz: P, altTz: 'America/Boise', zipLo: 970, zipHi: 979, areaCodes: [503, 541, 971] },
  { code: 'PA', popK: 13003, tz: E, altTz: null, zipLo: 150, zipHi: 196, areaCodes: [215, 267, 412, 570, 610, 717, 814] },
  { code: 'PR', popK: 3286, tz: 'America/Puerto_Rico', altTz: null, zipLo: 6, zipHi: 9, areaCodes: [787, 939] },
  { code: 'RI', popK: 1097, tz: E, altTz: null, zipLo: 28, zipHi: 29, areaCodes: [401] },
  { code: 'SC', popK: 5118, tz: E, altTz: null, zipLo: 290, zipHi: 299, areaCodes: [803, 843, 864] },
  { code: 'SD', popK: 887, tz: C, altTz: M, zipLo: 570, zipHi: 577, areaCodes: [605] },
  { code: 'TN', popK: 6911, tz: C, altTz: E, zipLo: 370, zipHi: 385, areaCodes: [423, 615, 731, 865, 901] },
  { code: 'TX', popK: 29146, tz: C, altTz: M, zipLo: 750, zipHi: 799, areaCodes: [210, 214, 281, 512, 713, 817, 915, 972] },
  { code: 'UT', popK: 3272, tz: M, altTz: null, zipLo: 840, zipHi: 847, areaCodes: [385, 435, 801] },
  { code: 'VT', popK: 643, tz: E, altTz: null, zipLo: 50, zipHi: 59, areaCodes: [802] },
  { code: 'VA', popK: 8631, tz: E, altTz: null, zipLo: 220, zipHi: 246, areaCodes: [276, 434, 540, 703, 757, 804] },
  { code: 'WA', popK: 7705, tz: P, altTz: null, zipLo: 980, zipHi: 994, areaCodes: [206, 253, 360, 425, 509] },
  { code: 'WV', popK: 1793, tz: E, altTz: null, zipLo: 247, zipHi: 268, areaCodes: [304, 681] },
  { code: 'WI', popK: 5893, tz: C, altTz: null, zipLo: 530, zipHi: 549, areaCodes: [262, 414, 608, 715, 920] },
  { code: 'WY', popK: 577, tz: M, altTz: null, zipLo: 820, zipHi: 831, areaCodes: [307] },
];

export const STATE_CODES: ReadonlySet<string> = new Set(STATES.map((s) => s.code));

/** A broad, mixed list; names carry no meaning for the ground truth or the features. */
export const FIRST_NAMES: readonly string[] = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Karen',
  'Daniel', 'Lisa', 'Matthew', 'Nancy', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Jose', 'Ashley',
  'Wei', 'Mei', 'Minh', 'Linh', 'Ji-woo', 'Seo-yeon', 'Aarav', 'Priya', 'Mohammed', 'Fatima',
  'Luis', 'Maria', 'Juan', 'Ana', 'Kwame', 'Amara', 'Dmitri', 'Olga', 'Liam', 'Emma',
  'Noah', 'Olivia', 'Mateo', 'Sofia', 'Ethan', 'Ava', 'Lucas', 'Isabella', 'Jamal', 'Aaliyah',
  'Hiroshi', 'Yuki', 'Tariq', 'Leila', 'Sean', 'Siobhan', 'Pierre', 'Chloé', 'Andrés', 'Renée',
];

export const LAST_NAMES: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Nguyen', 'Tran', 'Kim', 'Park', 'Chen', 'Wang', 'Patel', 'Shah', 'Khan', 'Ali',
  'Okafor', 'Mensah', 'Ivanov', 'Kowalski', "O'Brien", 'Murphy', 'Dubois', 'Rossi', 'Tanaka', 'Sato',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Hill', 'Flores', 'Green',
  'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Smith-Jones',
];

/** ISO 639-1 codes with their share of the synthetic book (mostly English, then Spanish). */
export const LANGUAGES: readonly (readonly [string, number])[] = [
  ['en', 0.855], ['es', 0.115], ['zh', 0.008], ['vi', 0.007], ['ko', 0.005], ['tl', 0.005], ['fr', 0.005],
];
