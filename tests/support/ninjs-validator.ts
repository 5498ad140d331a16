/**
 * Validates ninjs objects against the IPTC ninjs 3.1 JSON Schema (draft 2020-12,
 * vendored in tests/schemas with its CC BY 4.0 notice) with Ajv's 2020 build and
 * ajv-formats. Independent of Warta's code.
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const schema = JSON.parse(readFileSync(new URL('../schemas/ninjs-schema_3.1.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
// ninjs `places[].geometry` refers to the GeoJSON schema, which is not vendored (Warta writes no places):
// a stand-in that accepts any object lets the rest compile; a `places` Warta wrote would still be checked as ninjs.
ajv.addSchema({ $id: 'https://geojson.org/schema/GeoJSON.json', type: 'object' });
const validate = ajv.compile(schema);

/** The schema errors of `item` (empty when it is a valid ninjs 3.1 object). */
export function ninjsErrors(item: unknown): string[] {
  return validate(item) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
