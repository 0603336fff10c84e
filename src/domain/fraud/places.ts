/**
 * Reference places (city centroids) used by the synthetic TabFormer generator for homes and
 * merchants, and by the fraud features to place a merchant on the map. A merchant resolves by
 * ZIP (the place's ZIP block: its first ZIP plus up to PLACE_ZIP_SPAN − 1) or by city + state;
 * online merchants ('ONLINE') and unknown places have no location.
 */
export interface Place {
  city: string;
  state: string;
  /** First ZIP of the place's block (5 digits). */
  zip: string;
  lat: number;
  lon: number;
  /** Population in thousands, for weighting homes. */
  popK: number;
}

/** Merchants of a place use ZIPs zip … zip + PLACE_ZIP_SPAN − 1. */
export const PLACE_ZIP_SPAN = 8;

const RAW: readonly (readonly [string, string, string, number, number, number])[] = [
  ['New York', 'NY', '10001', 40.75, -73.99, 8336], ['Los Angeles', 'CA', '90012', 34.05, -118.24, 3979],
  ['Chicago', 'IL', '60601', 41.88, -87.63, 2693], ['Houston', 'TX', '77002', 29.76, -95.37, 2320],
  ['Phoenix', 'AZ', '85004', 33.45, -112.07, 1680], ['Philadelphia', 'PA', '19103', 39.95, -75.17, 1584],
  ['San Antonio', 'TX', '78205', 29.42, -98.49, 1547], ['San Diego', 'CA', '92101', 32.72, -117.16, 1424],
  ['Dallas', 'TX', '75201', 32.78, -96.8, 1343], ['San Jose', 'CA', '95113', 37.34, -121.89, 1021],
  ['Austin', 'TX', '78701', 30.27, -97.74, 978], ['Jacksonville', 'FL', '32202', 30.33, -81.66, 911],
  ['Fort Worth', 'TX', '76102', 32.76, -97.33, 909], ['Columbus', 'OH', '43215', 39.96, -83.0, 898],
  ['Charlotte', 'NC', '28202', 35.23, -80.84, 885], ['San Francisco', 'CA', '94103', 37.77, -122.42, 881],
  ['Indianapolis', 'IN', '46204', 39.77, -86.16, 876], ['Seattle', 'WA', '98101', 47.61, -122.33, 753],
  ['Denver', 'CO', '80202', 39.74, -104.99, 727], ['Washington', 'DC', '20001', 38.91, -77.02, 705],
  ['Boston', 'MA', '02108', 42.36, -71.06, 692], ['El Paso', 'TX', '79901', 31.76, -106.49, 681],
  ['Nashville', 'TN', '37203', 36.16, -86.78, 670], ['Detroit', 'MI', '48226', 42.33, -83.05, 670],
  ['Oklahoma City', 'OK', '73102', 35.47, -97.52, 655], ['Portland', 'OR', '97204', 45.52, -122.68, 654],
  ['Las Vegas', 'NV', '89101', 36.17, -115.14, 651], ['Memphis', 'TN', '38103', 35.15, -90.05, 651],
  ['Louisville', 'KY', '40202', 38.25, -85.76, 617], ['Baltimore', 'MD', '21202', 39.29, -76.61, 593],
  ['Milwaukee', 'WI', '53202', 43.04, -87.91, 590], ['Albuquerque', 'NM', '87102', 35.08, -106.65, 560],
  ['Tucson', 'AZ', '85701', 32.22, -110.97, 548], ['Fresno', 'CA', '93721', 36.74, -119.79, 531],
  ['Sacramento', 'CA', '95814', 38.58, -121.49, 513], ['Kansas City', 'MO', '64106', 39.1, -94.58, 495],
  ['Atlanta', 'GA', '30303', 33.75, -84.39, 498], ['Miami', 'FL', '33130', 25.77, -80.19, 467],
  ['Raleigh', 'NC', '27601', 35.78, -78.64, 474], ['Omaha', 'NE', '68102', 41.26, -95.94, 478],
  ['Minneapolis', 'MN', '55401', 44.98, -93.27, 429], ['Tulsa', 'OK', '74103', 36.15, -95.99, 401],
  ['Cleveland', 'OH', '44113', 41.5, -81.69, 381], ['Tampa', 'FL', '33602', 27.95, -82.46, 399],
  ['New Orleans', 'LA', '70112', 29.95, -90.07, 390], ['Honolulu', 'HI', '96813', 21.31, -157.86, 345],
  ['Pittsburgh', 'PA', '15222', 40.44, -80.0, 300], ['Cincinnati', 'OH', '45202', 39.1, -84.51, 303],
  ['St. Louis', 'MO', '63101', 38.63, -90.2, 300], ['Orlando', 'FL', '32801', 28.54, -81.38, 287],
  ['Salt Lake City', 'UT', '84111', 40.76, -111.89, 200], ['Birmingham', 'AL', '35203', 33.52, -86.8, 209],
  ['Boise', 'ID', '83702', 43.62, -116.2, 228], ['Des Moines', 'IA', '50309', 41.59, -93.62, 214],
  ['Richmond', 'VA', '23219', 37.54, -77.44, 230], ['Anchorage', 'AK', '99501', 61.22, -149.9, 288],
  ['Little Rock', 'AR', '72201', 34.75, -92.29, 197], ['Jackson', 'MS', '39201', 32.3, -90.18, 160],
  ['Providence', 'RI', '02903', 41.82, -71.41, 179], ['Hartford', 'CT', '06103', 41.77, -72.67, 122],
  ['Newark', 'NJ', '07102', 40.74, -74.17, 282], ['Manchester', 'NH', '03101', 42.99, -71.46, 112],
  ['Portland', 'ME', '04101', 43.66, -70.26, 66], ['Burlington', 'VT', '05401', 44.48, -73.21, 43],
  ['Wilmington', 'DE', '19801', 39.74, -75.55, 70], ['Charleston', 'WV', '25301', 38.35, -81.63, 48],
  ['Charleston', 'SC', '29401', 32.78, -79.93, 137], ['Columbia', 'SC', '29201', 34.0, -81.03, 131],
  ['Fargo', 'ND', '58102', 46.88, -96.79, 125], ['Sioux Falls', 'SD', '57104', 43.55, -96.73, 192],
  ['Billings', 'MT', '59101', 45.78, -108.5, 117], ['Cheyenne', 'WY', '82001', 41.14, -104.82, 64],
  ['Wichita', 'KS', '67202', 37.69, -97.34, 389], ['Reno', 'NV', '89501', 39.53, -119.81, 255],
  ['Spokane', 'WA', '99201', 47.66, -117.43, 222], ['Madison', 'WI', '53703', 43.07, -89.4, 259],
  ['Lexington', 'KY', '40507', 38.05, -84.5, 323], ['Savannah', 'GA', '31401', 32.08, -81.09, 147],
  ['Buffalo', 'NY', '14202', 42.89, -78.88, 255], ['Rochester', 'NY', '14604', 43.16, -77.61, 206],
];

export const PLACES: readonly Place[] = RAW.map(([city, state, zip, lat, lon, popK]) => ({ city, state, zip, lat, lon, popK }));

const byZip = new Map<string, Place>();
const byCityState = new Map<string, Place>();
for (const p of PLACES) {
  const z = Number(p.zip);
  for (let k = 0; k < PLACE_ZIP_SPAN; k++) byZip.set(String(z + k).padStart(5, '0'), p);
  byCityState.set(`${p.city.toUpperCase()}|${p.state.toUpperCase()}`, p);
}

/** ZIP as TabFormer writes it ("91750.0", "2108") → 5 digits, or null. */
export function normalizeZip(zip: string | number | null | undefined): string | null {
  if (zip === null || zip === undefined) return null;
  const text = String(zip).trim();
  if (text === '') return null;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 99999) return null;
  return String(Math.trunc(n)).padStart(5, '0');
}

/** Latitude/longitude of a merchant; null for online merchants and places not in the table. */
export function merchantLocation(city: string, state: string, zip?: string | null): { lat: number; lon: number } | null {
  if (city.trim().toUpperCase() === 'ONLINE') return null;
  const z = normalizeZip(zip);
  const p = (z !== null ? byZip.get(z) : undefined) ?? byCityState.get(`${city.trim().toUpperCase()}|${state.trim().toUpperCase()}`);
  return p ? { lat: p.lat, lon: p.lon } : null;
}

/** Great-circle distance in km (haversine, mean Earth radius). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}
