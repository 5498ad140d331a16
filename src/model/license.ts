/**
 * Licences of articles and images: an SPDX identifier (`CC-BY-4.0`) or the URL
 * of the licence text. Aggregators republish only what says how it may be
 * reused; each format wants a URL (RSS creativeCommons:license, Atom
 * rel="license", Media RSS media:license) and a readable name. Runtime-free.
 */

/** An SPDX licence identifier (or `LicenseRef-…`), as the SPDX licence list writes them. */
export const SPDX_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.+-]{0,99}$/;

/** Creative Commons SPDX ids whose deed lives at creativecommons.org (readers and aggregators recognise those URLs). */
const CC = /^CC-(BY(?:-SA|-ND|-NC|-NC-SA|-NC-ND)?)-(\d\.\d)$/i;

/** Is this a licence URL (rather than an SPDX id)? */
export const isLicenseUrl = (license: string) => /^https?:\/\//i.test(license);

/** The URL of a licence: itself when it is one, the Creative Commons deed for CC ids, otherwise the SPDX list page. */
export function licenseUrl(license: string): string {
  if (isLicenseUrl(license)) return license;
  const cc = CC.exec(license);
  if (cc) return `https://creativecommons.org/licenses/${cc[1]!.toLowerCase()}/${cc[2]}/`;
  if (/^CC0-1\.0$/i.test(license)) return 'https://creativecommons.org/publicdomain/zero/1.0/';
  return `https://spdx.org/licenses/${license}.html`;
}

/** A readable statement of a licence for text fields (RSS dc:rights, Atom rights, ninjs usageTerms). */
export function licenseStatement(license: string): string {
  return isLicenseUrl(license) ? `Lisensi: ${license}` : `Lisensi ${license} (${licenseUrl(license)})`;
}
