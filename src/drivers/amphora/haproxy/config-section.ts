/**
 * Building blocks of the rendered text: a directive is its words joined by
 * single spaces, a section is a header line followed by its directives
 * indented by four spaces. Callers escape or validate every word first.
 */

/** A word of a directive; false, null and undefined are left out. */
export type Word = string | number | false | null | undefined

/** Joins the present words of one directive. */
export function directive(...words: readonly Word[]): string {
  return words.filter((w): w is string | number => w !== false && w !== null && w !== undefined).join(' ')
}

/** A section (`global`, `frontend <name>`, …) with its directives. */
export interface Section {
  readonly header: string
  readonly lines: readonly string[]
}

/** Text of a section, ending with a line feed. */
export function formatSection(section: Section): string {
  return [section.header, ...section.lines.map((line) => `    ${line}`)].join('\n') + '\n'
}
