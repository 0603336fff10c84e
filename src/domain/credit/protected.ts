/**
 * Protected characteristics under ECOA / Regulation B (12 CFR 1002.2(z), 1002.5, 1002.6) and the
 * usual proxies for them. A credit-score request that carries any of these is refused outright:
 * they must never reach the model, not even to be ignored, and the caller must learn at once that
 * their integration sends them.
 */

/** Canonical name → why it is refused. Keys are normalised (lower case, letters and digits only). */
const PROTECTED: Record<string, string> = {
  race: 'race',
  color: 'colour',
  colour: 'colour',
  ethnicity: 'ethnicity (race / national origin)',
  ethnic: 'ethnicity (race / national origin)',
  religion: 'religion',
  religiousaffiliation: 'religion',
  nationalorigin: 'national origin',
  nationality: 'national origin',
  countryofbirth: 'national origin',
  birthcountry: 'national origin',
  citizenship: 'national origin',
  immigrationstatus: 'national origin',
  sex: 'sex',
  gender: 'sex',
  genderidentity: 'sex',
  sexualorientation: 'sex',
  maritalstatus: 'marital status',
  married: 'marital status',
  spouse: 'marital status',
  age: 'age',
  dateofbirth: 'age',
  dob: 'age',
  birthdate: 'age',
  birthday: 'age',
  yearofbirth: 'age',
  birthyear: 'age',
  publicassistance: 'receipt of public assistance',
  publicassistanceincome: 'receipt of public assistance',
  disability: 'disability (a proxy the lender may not consider)',
  pregnancy: 'sex (childbearing)',
  childbearingintent: 'sex (childbearing)',
  familialstatus: 'familial status',
  numberofchildren: 'familial status',
  primarylanguage: 'national origin (language is a proxy)',
  language: 'national origin (language is a proxy)',
  firstname: 'sex / national origin (names are proxies)',
  lastname: 'national origin (names are proxies)',
  name: 'sex / national origin (names are proxies)',
  zip: 'race (geography is a proxy)',
  zipcode: 'race (geography is a proxy)',
  postalcode: 'race (geography is a proxy)',
};

const normalise = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The protected category behind `key` (any casing: gender, Gender, date_of_birth, dateOfBirth…), or null. */
export function protectedCategoryOf(key: string): string | null {
  return PROTECTED[normalise(key)] ?? null;
}

export interface ProtectedField {
  /** Dotted path of the offending key in the request body. */
  path: string;
  category: string;
}

/** Every protected key anywhere in a JSON value (nested objects and arrays included). */
export function findProtectedFields(value: unknown, prefix = ''): ProtectedField[] {
  if (typeof value !== 'object' || value === null) return [];
  const found: ProtectedField[] = [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, v] of entries) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const category = Array.isArray(value) ? null : protectedCategoryOf(key);
    if (category !== null) found.push({ path, category });
    found.push(...findProtectedFields(v, path));
  }
  return found;
}
