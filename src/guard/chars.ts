/** The character classes every rule reads the skeleton by (it is lower-case by then). */
export const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
/** a–z, and ñ: Spanish words keep it (coño is not cono). */
export const isLatin = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || c === 'ñ');
export const isAsciiLower = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z';
export const isHan = (c: string | undefined) => c !== undefined && /\p{Script=Han}/u.test(c);
